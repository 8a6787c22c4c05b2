package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// eachFile is an import file of 2,101 records, more than one lookup window
// of ImportEach: a victim given by the ID of a stored person (known), and
// the 10th record again at the end, which updates it from another window.
func eachFile(known string) []model.Incident {
	batch := NewGen(2100).Batch(2100)
	v := batch[3].Victims[0]
	batch[3].Victims = append(batch[3].Victims, model.Victim{PersonID: known, Role: v.Role, Outcome: v.Outcome})
	again := NewGen(2100).Batch(10)[9]
	again.Fatalities++
	return append(batch, again)
}

// records hands over incs as a file reader would: new values each call,
// counted in calls.
func records(incs func() []model.Incident, calls *int) store.Records {
	return func(yield func(*model.Incident) error) error {
		*calls++
		for _, inc := range incs() {
			if err := yield(&inc); err != nil {
				return err
			}
		}
		return nil
	}
}

// testImportEach imports the same file into two fresh stores, once from a
// slice (ImportIncidents) and once record by record as a file is read
// (ImportEach), which then imports it again: every table and the search
// index must end up the same.
func testImportEach(t *testing.T, ctx context.Context, open func(*testing.T) Opened) {
	sliced, each := open(t), open(t)
	defer sliced.Store.Close()
	defer each.Store.Close()
	var (
		results []store.ImportResult
		file    func() []model.Incident // each's
	)
	for i, o := range []Opened{sliced, each} {
		known := *Incident().Victims[1].Person
		if err := o.Store.Persons().Create(ctx, "tester", &known); err != nil {
			t.Fatal(err)
		}
		file = func() []model.Incident { return eachFile(known.ID) }
		var (
			res   store.ImportResult
			err   error
			calls int
			seen  []int
		)
		if i == 0 {
			res, err = o.Store.ImportIncidents(ctx, "importer", file(), nil)
		} else {
			res, err = o.Store.ImportEach(ctx, "importer", 2101, records(file, &calls), func(n int) { seen = append(seen, n) })
			if calls != 1 {
				t.Errorf("ImportEach read the file %d times, want once", calls)
			}
			if len(seen) == 0 || seen[len(seen)-1] != 2101 || !slices.IsSorted(seen) {
				t.Errorf("progress reported %v, want it rising to 2101", seen)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	if results[0] != results[1] || results[0] != (store.ImportResult{Created: 2100, Updated: 1}) {
		t.Errorf("import results: from a slice %+v, record by record %+v; want 2100 created, 1 updated", results[0], results[1])
	}
	for _, q := range append(slices.Clip(chunkDumps), each.SearchDumps...) {
		if a, b := DumpRows(t, sliced.SQL, q), DumpRows(t, each.SQL, q); a != b {
			t.Errorf("the two imports differ in\n%s\n%s", q, firstDiff(a, b))
		}
	}
	// Again: every record is found in the store, whichever window it is
	// in; the 10th is set back and forth.
	calls := 0
	again, err := each.Store.ImportEach(ctx, "importer", 2101, records(file, &calls), nil)
	if err != nil || again != (store.ImportResult{Updated: 2, Unchanged: 2099}) {
		t.Errorf("import of the same file again = %+v, %v; want 2 updated, 2099 unchanged", again, err)
	}
	if n := count(t, each.SQL, "incidents"); n != 2100 {
		t.Errorf("%d incidents after importing the file again, want 2100", n)
	}
	if _, err := store.VerifyAudit(ctx, each.Store, AuditKey); err != nil {
		t.Errorf("audit: %v", err)
	}
}

// testImportEachAllOrNothing fails an ImportEach twice, past its first
// lookup window and chunks: once because the file's reader fails, once
// because the store refuses a record. Neither changes the store, and the
// second names the record, after reading the file again one by one.
func testImportEachAllOrNothing(t *testing.T, ctx context.Context, o Opened) {
	mustCreate(t, ctx, o.Store, Incident())
	before := state(t, o)
	file := func() []model.Incident { return NewGen(1500).Batch(1500) }

	readErr := errors.New("line 1401: the disk could not be read")
	calls := 0
	failing := func(yield func(*model.Incident) error) error {
		calls++
		for i, inc := range file() {
			if i == 1400 {
				return readErr
			}
			if err := yield(&inc); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := o.Store.ImportEach(ctx, "importer", 1500, failing, nil); !errors.Is(err, readErr) {
		t.Errorf("import whose reader fails: %v, want the reader's error", err)
	}
	if calls != 1 {
		t.Errorf("the failing reader was called %d times, want once", calls)
	}
	if after := state(t, o); after != before {
		t.Errorf("an import whose reader failed changed the store:\nbefore %s\nafter  %s", before, after)
	}

	calls = 0
	bad := func() []model.Incident {
		incs := file()
		incs[1199].Visibility = "everyone" // refused by the schema
		return incs
	}
	_, err := o.Store.ImportEach(ctx, "importer", 1500, records(bad, &calls), nil)
	if err == nil || !strings.Contains(err.Error(), "record 1200") {
		t.Errorf("import with a bad record 1200: %v, want it named", err)
	}
	if calls != 2 {
		t.Errorf("the file was read %d times, want twice (in chunks, then one by one to name the record)", calls)
	}
	if after := state(t, o); after != before {
		t.Errorf("a failed import changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); err != nil {
		t.Errorf("audit after failed imports: %v", err)
	}
}
