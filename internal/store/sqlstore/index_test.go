package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestIndexQueueFlushes imports with a queue of 7 search texts, so texts
// are handed over many times inside one transaction, across creates and
// updates of the same records, and checks that search finds exactly the
// final texts.
func TestIndexQueueFlushes(t *testing.T) {
	defer sqlstore.SetMaxQueuedTexts(7)()
	ctx := context.Background()
	s := teststores.SQLite(t)
	batch := storetest.NewGen(60).Batch(60)
	for i := range batch {
		batch[i].SummaryEN = fmt.Sprintf("oldtok%dx", i)
	}
	// The first 30 again, changed: updated in the same transaction.
	again := storetest.NewGen(30).Batch(30)
	for i := range again {
		again[i].SummaryEN = fmt.Sprintf("midtok%dx", i)
	}
	if res, err := s.ImportIncidents(ctx, "t", append(batch, again...), nil); err != nil || res.Created != 60 || res.Updated != 30 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	// All 60 changed again in a second transaction.
	last := storetest.NewGen(60).Batch(60)
	for i := range last {
		last[i].SummaryEN = fmt.Sprintf("newtok%dx", i)
	}
	if res, err := s.ImportIncidents(ctx, "t", last, nil); err != nil || res.Updated != 60 {
		t.Fatalf("re-import = %+v, %v", res, err)
	}
	for i := range 60 {
		for word, want := range map[string]int{fmt.Sprintf("oldtok%dx", i): 0, fmt.Sprintf("midtok%dx", i): 0, fmt.Sprintf("newtok%dx", i): 1} {
			hits, err := s.SearchIncidents(ctx, word, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != want {
				t.Errorf("%s: %d hits, want %d", word, len(hits), want)
			}
		}
	}
	// Every word went into the search vocabulary, whichever flush of its
	// transaction brought it (each transaction inserts a word once).
	for prefix, want := range map[string]int{"oldtok": 60, "midtok": 30, "newtok": 60} {
		var n int
		if err := s.SQL().QueryRow(`SELECT COUNT(*) FROM search_vocab WHERE term LIKE ?`, prefix+"%").Scan(&n); err != nil || n != want {
			t.Errorf("%s… words in the search vocabulary: %d, %v; want %d", prefix, n, err, want)
		}
	}
	if ps, err := s.Persons().Search(ctx, storetest.RareLatin, 50); err != nil || len(ps) == 0 {
		t.Errorf("persons by a planted name: %d, %v", len(ps), err)
	}
}
