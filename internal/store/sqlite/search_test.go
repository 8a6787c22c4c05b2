package sqlite

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/searchtext"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// prefixRIDs is what a search must find: the rows holding, for every
// term, a word starting with it or its stem, or its name key, by FTS5's
// own prefix query, newest first.
func prefixRIDs(t *testing.T, s *sqlstore.DB, table, query string) []int64 {
	t.Helper()
	var q []string
	for _, term := range textnorm.Terms(query) {
		st := searchtext.Lookup(term)
		var alt []string
		for _, p := range st.Prefixes() {
			alt = append(alt, `"`+p+`"*`)
		}
		if st.Key != "" {
			alt = append(alt, `"`+st.Key+`"`)
		}
		q = append(q, "("+strings.Join(alt, " OR ")+")")
	}
	return rids(t, s, `SELECT rowid FROM `+table+`_fts WHERE `+table+`_fts MATCH ? ORDER BY rowid DESC`, strings.Join(q, " AND "))
}

func rids(t *testing.T, s *sqlstore.DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := s.SQL().Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var r int64
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}

// matchRIDs runs the dialect's Match, as the store's searches do.
func matchRIDs(t *testing.T, s *sqlstore.DB, table, query string, limit int) []int64 {
	t.Helper()
	terms, err := store.QueryTerms(query)
	if err != nil {
		t.Fatal(err)
	}
	q, args := dialect{}.Match(table, terms, limit)
	if limit <= 0 {
		q = `SELECT rid FROM (` + q + `) ORDER BY rid DESC`
	}
	return rids(t, s, q, args...)
}

var vocabQueries = []string{
	"activist", "Activists", "الناشط", "ناشط", "journalist Basra", "الصحفي البصرة", "Zumurrud", "زمرّد",
	"a", "al", "i", "2020", "iq 2021", "0001", "Nasiri", "witness", "fictional names", "killed", "kill",
	"أمجد", "امجد", "مصطفى", "hussein al", "nosuchword", "nosuch activist",
	"0", "1", "19", "0 activist", // more than maxExpansion words: left as prefix queries
}

// TestMatchIsPrefixSearch checks that expanding terms through the search
// vocabulary finds exactly the rows of FTS5's prefix query, in order.
func TestMatchIsPrefixSearch(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openWith(t)
	g := storetest.NewGen(3000)
	for batch := g.Batch(1000); len(batch) > 0; batch = g.Batch(1000) {
		if _, err := s.ImportIncidents(ctx, "t", batch, nil); err != nil {
			t.Fatal(err)
		}
	}
	checkMatch(t, s)
}

func checkMatch(t *testing.T, s *sqlstore.DB) {
	t.Helper()
	found := 0
	for _, table := range []string{"incident", "person"} {
		for _, q := range vocabQueries {
			want := prefixRIDs(t, s, table, q)
			found += len(want)
			if got := matchRIDs(t, s, table, q, 0); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q: Match found %d rows, the prefix query %d", table, q, len(got), len(want))
			}
			if got := matchRIDs(t, s, table, q, 50); !reflect.DeepEqual(got, want[:min(50, len(want))]) {
				t.Errorf("%s %q: the newest 50 differ", table, q)
			}
		}
	}
	if found == 0 {
		t.Fatal("no query found anything")
	}
}

// TestVocabMigration rebuilds the vocabulary of a database indexed before
// it existed, from the words in its full-text indexes.
func TestVocabMigration(t *testing.T) {
	ctx := context.Background()
	s, path, key := importedStore(t, 1500)
	var err error
	// The store knows its migrations by name: forgetting these two runs
	// them again, in order, and no other.
	for _, q := range []string{`DROP TABLE search_vocab_fts`, `DROP TABLE search_vocab`,
		`DELETE FROM schema_migrations WHERE name IN ('search_vocab', 'vocab_secure_delete')`} {
		if _, err := s.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, path, key, storetest.AuditKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.SQL().QueryRow(`SELECT COUNT(*) FROM search_vocab`).Scan(&n); err != nil || n < 100 {
		t.Fatalf("vocabulary after the migration: %d words, %v", n, err)
	}
	checkMatch(t, s)
}
