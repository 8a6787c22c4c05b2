package migrations_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// A schema as both dialects can be compared: per table, its columns with
// a type class, nullability and default; its indexes; its foreign keys;
// the literals of its CHECK constraints; its triggers.
type schema map[string]*table

type table struct {
	Columns  map[string]string // name -> "class notnull default pk"
	Indexes  map[string]string // name -> "unique leading-key | covered columns | partial"
	Foreign  []string          // "column -> table(column) on delete"
	Checks   []string          // "column: literal literal…"
	Triggers []string
}

// explained are the differences the dialects are meant to have, each
// with why: full-text search is built differently on each, and SQLite lays
// two tables out its own way (docs/architecture.md, "The schema"). Any
// other difference fails the test.
var explained = map[string]string{
	"column stat_facts.date_estimated":                     "SQLite has no boolean storage: its copy of incidents.date_estimated is the same 0/1",
	"column versions.kind":                                 "SQLite keeps the history in a rowid table with UNIQUE (kind, record_id, version) (migration 0006), PostgreSQL with that primary key: the same uniqueness",
	"column versions.record_id":                            "as versions.kind",
	"column versions.version":                              "as versions.kind",
	"sqlite index versions.unique(kind,record_id,version)": "as versions.kind",
	"sqlite table incident_fts":                            "FTS5 index (PostgreSQL: incidents.search)",
	"sqlite table person_fts":                              "FTS5 index (PostgreSQL: persons.search)",
	"sqlite table search_vocab":                            "the prefix vocabulary FTS5 needs (PostgreSQL: GIN answers prefixes)",
	"sqlite table search_vocab_fts":                        "its FTS5 index",
	"postgres column incidents.search":                     "tsvector (SQLite: incident_fts)",
	"postgres column persons.search":                       "tsvector (SQLite: person_fts)",
	"postgres index incidents.incidents_search":            "GIN over the tsvector",
	"postgres index persons.persons_search":                "GIN over the tsvector",
}

func TestSchemasAreEquivalent(t *testing.T) {
	lite := sqliteSchema(t, openSQLite(t, filepath.Join(t.TempDir(), "fresh.db")))
	pg := postgresSchema(t, openPostgres(t))
	diffs := compare(lite, pg)
	if len(diffs) > 0 {
		t.Errorf("the two dialects' schemas differ (fix with a migration, or add a reasoned entry to explained):\n  %s",
			strings.Join(diffs, "\n  "))
	}
}

// compare lists the differences between the dialects' schemas that
// dialectOnly does not explain.
func compare(lite, pg schema) []string {
	var out []string
	note := func(what string, args ...any) {
		s := fmt.Sprintf(what, args...)
		for k := range explained {
			if strings.HasPrefix(s, k+":") || s == k {
				return
			}
		}
		out = append(out, s)
	}
	for _, name := range union(names(lite), names(pg)) {
		l, p := lite[name], pg[name]
		switch {
		case l == nil:
			note("postgres table %s", name)
			continue
		case p == nil:
			note("sqlite table %s", name)
			continue
		}
		for _, c := range union(names(l.Columns), names(p.Columns)) {
			switch lc, pc := l.Columns[c], p.Columns[c]; {
			case lc == "":
				note("postgres column %s.%s: %s", name, c, pc)
			case pc == "":
				note("sqlite column %s.%s: %s", name, c, lc)
			case lc != pc:
				note("column %s.%s: sqlite %q, postgres %q", name, c, lc, pc)
			}
		}
		for _, i := range union(names(l.Indexes), names(p.Indexes)) {
			switch li, pi := l.Indexes[i], p.Indexes[i]; {
			case li == "":
				note("postgres index %s.%s: %s", name, i, pi)
			case pi == "":
				note("sqlite index %s.%s: %s", name, i, li)
			case li != pi:
				note("index %s.%s: sqlite %q, postgres %q", name, i, li, pi)
			}
		}
		for what, pair := range map[string][2][]string{"foreign keys": {l.Foreign, p.Foreign},
			"checks": {l.Checks, p.Checks}, "triggers": {l.Triggers, p.Triggers}} {
			if !slices.Equal(pair[0], pair[1]) {
				note("%s of %s: sqlite %q, postgres %q", what, name, pair[0], pair[1])
			}
		}
	}
	sort.Strings(out)
	return out
}

func names[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	sort.Strings(out)
	return slices.Compact(out)
}

func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	key := make([]byte, 32)
	s, err := sqlite.Open(context.Background(), path, key, []byte("schema test audit key, 32 bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.SQL()
}

// openPostgres opens a store in a new schema of the test server.
func openPostgres(t *testing.T) *sql.DB {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgSchema(t, ""), []byte("schema test audit key, 32 bytes!"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.SQL()
}

// pgSchema makes a new schema on the test server, first loading dump into
// it when given (a pg_dump of schema upgrade_fixture), and returns the URL
// that uses it.
func pgSchema(t *testing.T, dump string) string {
	t.Helper()
	url := teststores.Schema(t)
	if dump != "" {
		admin, err := sql.Open("pgx", teststores.PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		loadDump(t, admin, dump, url[strings.LastIndex(url, "=")+1:])
	}
	return url
}

// loadDump runs a plain pg_dump of schema upgrade_fixture into schema name.
func loadDump(t *testing.T, db *sql.DB, dump, name string) {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(dump, "\n") {
		if strings.HasPrefix(line, `\`) || strings.HasPrefix(line, "CREATE SCHEMA upgrade_fixture") {
			continue // psql's meta-commands; the schema exists
		}
		b.WriteString(strings.ReplaceAll(line, "upgrade_fixture", name))
		b.WriteByte('\n')
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), b.String()); err != nil {
		t.Fatalf("loading the fixture dump: %v", err)
	}
	// pg_dump cleared search_path for its own session.
	conn.ExecContext(context.Background(), `RESET search_path`)
}

var checkLiteral = regexp.MustCompile(`'[^']*'|\b\d+\b`)

// checkPrint reduces a CHECK expression to its column and literals, which
// both dialects keep whatever way they print it.
func checkPrint(expr string) string {
	col := regexp.MustCompile(`[a-z_]+`).FindString(strings.TrimLeft(strings.ToLower(expr), "( "))
	lits := checkLiteral.FindAllString(expr, -1)
	sort.Strings(lits)
	return col + ": " + strings.Join(lits, " ")
}

func normDefault(d sql.NullString) string {
	if !d.Valid {
		return ""
	}
	s := strings.TrimSuffix(d.String, "::text")
	switch strings.ToLower(s) {
	case "false":
		return "0"
	case "true":
		return "1"
	}
	return s
}
