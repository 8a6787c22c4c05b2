package sqlite

import (
	"bytes"
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestPurgeVocabulary: the words of a text sealed and purged from the
// history leave the search vocabulary (its rows and its index's pages,
// read with the database key) when no other indexed row holds them;
// words other records still hold stay, and are still found.
func TestPurgeVocabulary(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openWith(t)
	other := storetest.Incident()
	other.SummaryEN = "A summary of another case, narrative withheld"
	if err := s.CreateIncident(ctx, "doc", &other); err != nil {
		t.Fatal(err)
	}
	if err := s.Persons().Create(ctx, "doc", &model.Person{NameLatin: "Hidden Keeper"}); err != nil {
		t.Fatal(err)
	}
	vocab := func() (terms, pages []byte) {
		var b bytes.Buffer
		rows, err := s.SQL().Query(`SELECT term FROM search_vocab`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var term string
			rows.Scan(&term)
			b.WriteString(" " + term + " ")
		}
		rows.Close()
		return b.Bytes(), indexPages(t, s, "search_vocab_fts")
	}
	// "canar" is in every Latin canary, whatever its stem or the prefix
	// its neighbour in an index page shares.
	needles := append(storetest.CanaryNeedles(storetest.PurgeCanaries), []byte("canar"))
	storetest.SealAfterClear(t, ctx, s)
	terms, pages := vocab()
	for _, n := range needles {
		if bytes.Contains(terms, n) {
			t.Errorf("search_vocab holds %q", n)
		}
		if bytes.Contains(pages, n) {
			t.Errorf("the pages of search_vocab_fts hold %q", n)
		}
	}
	// The records' old index rows are deleted, but a contentless FTS5
	// index keeps their words in its pages until it merges them: bulk
	// sealing ('rasd keys seal-records') rewrites the index afterwards.
	noNeedles := func(table string) {
		t.Helper()
		pages := indexPages(t, s, table)
		for _, n := range needles {
			if bytes.Contains(pages, n) {
				t.Errorf("the pages of %s hold %q", table, n)
			}
		}
	}
	if err := s.CompactSearch(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"incident_fts", "person_fts", "search_vocab_fts"} {
		noNeedles(table)
	}
	for _, w := range []string{" summary ", " narrative ", " hidden "} {
		if !bytes.Contains(terms, []byte(w)) {
			t.Errorf("search_vocab lost %q, which other records still hold", w)
		}
	}
	if hits, err := s.SearchIncidents(ctx, "narr", 10); err != nil || len(hits) != 1 {
		t.Errorf("search for a kept word: %d hits, %v", len(hits), err)
	}
	if ps, err := s.Persons().Search(ctx, "hidd", 10); err != nil || len(ps) != 1 {
		t.Errorf("person search for a kept word: %d, %v", len(ps), err)
	}
}

// indexPages is every page of an FTS5 index's data, lower-cased, as
// whoever holds the database key can read it.
func indexPages(t *testing.T, s *sqlstore.DB, fts string) []byte {
	t.Helper()
	var p bytes.Buffer
	rows, err := s.SQL().Query(`SELECT block FROM ` + fts + `_data`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var block []byte
		if err := rows.Scan(&block); err != nil {
			t.Fatal(err)
		}
		p.Write(block)
	}
	return bytes.ToLower(p.Bytes())
}
