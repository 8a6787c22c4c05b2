package importer

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// EachACLED hands over the records before the file's first problem, then
// reports the same problems as ParseACLED.
func TestEachACLEDStopsHandingOverAtAProblem(t *testing.T) {
	in := acledCSV(minHeader, minRow("IRQ1", ""), minRow("IRQ2", ""), minRow("IRQ3", "admin1=Nowhere"),
		minRow("IRQ4", ""), minRow("IRQ5", "fatalities=many"))
	var got []string
	err := EachACLED(strings.NewReader(in), "acled.csv", func(inc *model.Incident) error {
		got = append(got, inc.External.ID)
		return nil
	})
	if strings.Join(got, " ") != "IRQ1 IRQ2" {
		t.Errorf("handed over %v, want IRQ1 IRQ2 (the records before the first problem)", got)
	}
	_, parsed := ParseACLED(strings.NewReader(in), "acled.csv")
	if err == nil || parsed == nil || err.Error() != parsed.Error() {
		t.Errorf("EachACLED: %v\nParseACLED: %v\nwant the same problems", err, parsed)
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 || list[0].Line != 4 || list[1].Line != 6 {
		t.Errorf("problems %v, want lines 4 and 6", err)
	}
}

// An error from fn stops the reading at once and comes back as it is.
func TestEachACLEDStopsAtFnError(t *testing.T) {
	in := acledCSV(minHeader, minRow("IRQ1", ""), minRow("IRQ2", ""), minRow("IRQ3", "admin1=Nowhere"))
	stop := errors.New("the store refused it")
	calls := 0
	err := EachACLED(strings.NewReader(in), "acled.csv", func(*model.Incident) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("got %v after %d calls, want the error of fn after 1", err, calls)
	}
}

// Each record handed over is a value of its own: an import holds several
// until it writes them.
func TestEachACLEDHandsOverNewValues(t *testing.T) {
	in := acledCSV(minHeader, minRow("IRQ1", ""), minRow("IRQ2", ""))
	var held []*model.Incident
	if err := EachACLED(strings.NewReader(in), "acled.csv", func(inc *model.Incident) error {
		held = append(held, inc)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(held) != 2 || held[0].External.ID != "IRQ1" || held[1].External.ID != "IRQ2" {
		t.Errorf("held %v", held)
	}
}

func TestCountCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     int
	}{
		{"empty", "", 0},
		{"header only", "a,b\n", 0},
		{"two records", "a,b\n1,2\n3,4\n", 2},
		{"no final newline", "a,b\n1,2\n3,4", 2},
		{"line breaks in quotes", "a,b\n\"x\ny\nz\",2\n3,4\n", 2},
		{"CRLF and a BOM", "\uFEFFa,b\r\n1,2\r\n", 1},
		{"blank lines", "a,b\n\n1,2\n\n", 1},
		{"ragged rows", "a,b\n1\n1,2,3\n", 2},
		{"broken quote", "a,b\n1,2\n\"x,3\n4,5\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CountCSV(strings.NewReader(tc.in)); got != tc.want {
				t.Errorf("CountCSV = %d, want %d", got, tc.want)
			}
		})
	}
}

// Reading a file holds on to nothing of a row it has handed over but its
// event ID: 10,000 rows of 2 KB notes (20 MB) leave the heap as it was
// after the first row, give or take a few MB. A key of the file's
// duplicate check cut from the row's line kept every line alive.
func TestEachACLEDKeepsNoLines(t *testing.T) {
	const rows = 10000
	notes := strings.Repeat("A long note of the kind ACLED writes. ", 54) // about 2 KB
	r, w := io.Pipe()
	go func() {
		header := acledCSV(minHeader)
		fmt.Fprint(w, header)
		for i := range rows {
			fmt.Fprint(w, acledCSV(minHeader, minRow(fmt.Sprintf("IRQ%d", i), "notes="+notes))[len(header):])
		}
		w.Close()
	}()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var first, last uint64
	n := 0
	err := EachACLED(r, "acled.csv", func(*model.Incident) error {
		switch n++; n {
		case 1:
			first = heap()
		case rows:
			last = heap()
		}
		return nil
	})
	if err != nil || n != rows {
		t.Fatalf("read %d rows: %v", n, err)
	}
	if grew := int64(last) - int64(first); grew > 8<<20 {
		t.Errorf("the heap grew by %d MB over %d rows of 2 KB: the rows are kept", grew>>20, rows)
	}
}
