package store

import (
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

// numbered hands over n records, their IDs 1..n, then returns end; it
// counts the records it handed over in *sent.
func numbered(n int, end error, sent *int) Records {
	return func(yield func(*model.Incident) error) error {
		for i := 1; i <= n; i++ {
			if err := yield(&model.Incident{ID: strconv.Itoa(i)}); err != nil {
				return err
			}
			*sent++
		}
		return end
	}
}

func TestReadAheadInOrder(t *testing.T) {
	var sent int
	got := 0
	err := ReadAhead(numbered(1000, nil, &sent), 16)(func(inc *model.Incident) error {
		got++
		if inc.ID != strconv.Itoa(got) {
			t.Fatalf("record %d has ID %s", got, inc.ID)
		}
		return nil
	})
	if err != nil || got != 1000 || sent != 1000 {
		t.Errorf("err %v, %d taken of %d sent, want 1000 and no error", err, got, sent)
	}
}

func TestReadAheadReaderError(t *testing.T) {
	bad := errors.New("line 7: not CSV")
	var sent int
	got := 0
	err := ReadAhead(numbered(6, bad, &sent), 4)(func(*model.Incident) error { got++; return nil })
	if err != bad || got != 6 {
		t.Errorf("err %v after %d records, want the reader's error after 6", err, got)
	}
}

// When the import stops taking records, the reader is stopped too: it
// hands over at most depth more, and its goroutine ends.
func TestReadAheadConsumerError(t *testing.T) {
	before := runtime.NumGoroutine()
	full := errors.New("the store refused record 10")
	var sent int
	got := 0
	err := ReadAhead(numbered(100000, nil, &sent), 8)(func(*model.Incident) error {
		if got++; got == 10 {
			return full
		}
		return nil
	})
	if err != full {
		t.Errorf("err %v, want the consumer's", err)
	}
	if sent > 10+8+1 {
		t.Errorf("the reader handed over %d records after the import stopped at 10", sent)
	}
	waitGoroutines(t, before)
}

func TestReadAheadPanics(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		defer func() {
			if r := recover(); r != "reader bug" {
				t.Errorf("recovered %v, want the reader's panic", r)
			}
		}()
		ReadAhead(func(yield func(*model.Incident) error) error { panic("reader bug") }, 4)(func(*model.Incident) error { return nil })
		t.Error("a panic in the reader did not reach the caller")
	}()
	var sent int
	func() {
		defer func() {
			if r := recover(); r != "import bug" {
				t.Errorf("recovered %v, want the import's panic", r)
			}
		}()
		ReadAhead(numbered(100000, nil, &sent), 4)(func(*model.Incident) error { panic("import bug") })
	}()
	waitGoroutines(t, before)
}

// waitGoroutines fails unless the goroutines started since before end.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	for range 200 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("%d goroutines left running, %d before", runtime.NumGoroutine(), before)
}

// A reader that ends its goroutine without returning fails the import: it
// may not have handed over every record.
func TestReadAheadReaderGoexit(t *testing.T) {
	got := 0
	err := ReadAhead(func(yield func(*model.Incident) error) error {
		for range 5 {
			if err := yield(&model.Incident{}); err != nil {
				return err
			}
		}
		runtime.Goexit()
		return nil
	}, 4)(func(*model.Incident) error { got++; return nil })
	if !errors.Is(err, errReaderExited) || got != 5 {
		t.Errorf("err %v after %d records, want errReaderExited after 5", err, got)
	}
}

// A reader's panic is raised in the caller even when the import had
// already failed: a bug must not hide behind the error.
func TestReadAheadReaderPanicsAfterConsumerError(t *testing.T) {
	defer func() {
		if r := recover(); r != "reader bug" {
			t.Errorf("recovered %v, want the reader's panic", r)
		}
	}()
	ReadAhead(func(yield func(*model.Incident) error) error {
		yield(&model.Incident{})
		panic("reader bug")
	}, 4)(func(*model.Incident) error { return errors.New("store refused") })
	t.Error("the reader's panic did not reach the caller")
}
