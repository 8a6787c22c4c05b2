package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/textnorm"
)

// The catalogue scan reads a database as whoever holds its tables does (a
// PostgreSQL administrator, a pg_dump, the SQLite file opened with its
// key): every column of every table the database's own catalogue lists,
// so that a table or column added later is scanned without anyone adding
// it here. On SQLite each full-text index's vocabulary is read too
// (through fts5vocab): its pages store words prefix-compressed, where a
// byte search could miss them.

// ScanNeedles are the forms a canary may be stored in, lower-cased: as
// typed, JSON-escaped, normalised for search, each search term, and each
// longer term without its last two letters (PostgreSQL's English stemmer
// keeps tsvector lexemes such as "xylocanari").
func ScanNeedles(canaries ...string) [][]byte {
	var out [][]byte
	add := func(s string) {
		if s = strings.ToLower(s); utf8.RuneCountInString(s) >= 5 {
			out = append(out, []byte(s))
		}
	}
	for _, c := range canaries {
		q, _ := json.Marshal(c)
		add(c)
		add(string(q[1 : len(q)-1]))
		add(fmt.Sprintf("%+q", c)[1 : len(fmt.Sprintf("%+q", c))-1])
		add(textnorm.Normalize(c))
		for _, term := range textnorm.Terms(c) {
			add(term)
			if r := []rune(term); len(r) >= 8 {
				add(string(r[:len(r)-2]))
			}
		}
	}
	return out
}

// Cell is one value read from the catalogue scan.
type Cell struct {
	Table, Column string
	Value         []byte
}

// EveryCell calls fn with every value of every column of every table in
// db's catalogue (SQLite: sqlite_master and pragma_table_info; PostgreSQL:
// information_schema for the connection's schema). It fails the test on a
// table it cannot read, rather than skip it.
func EveryCell(t testing.TB, db *sql.DB, fn func(Cell)) (tables int) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx) // one connection: SQLite's temporary vocabulary tables live on it
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var sqlite bool
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM sqlite_master`).Scan(&sqlite); err != nil {
		sqlite = false
	}
	cols := map[string][]column{}
	var order []string
	if sqlite {
		order, cols = sqliteCatalogue(t, ctx, conn)
	} else {
		order, cols = postgresCatalogue(t, ctx, conn)
	}
	for _, table := range order {
		for _, c := range cols[table] {
			rows, err := conn.QueryContext(ctx, `SELECT `+c.expr+` FROM `+table)
			if err != nil {
				t.Fatalf("scan %s.%s: %v", table, c.name, err)
			}
			for rows.Next() {
				var v any
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					t.Fatalf("scan %s.%s: %v", table, c.name, err)
				}
				fn(Cell{Table: table, Column: c.name, Value: cellBytes(v)})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				t.Fatalf("scan %s.%s: %v", table, c.name, err)
			}
		}
	}
	for _, table := range order {
		if strings.HasPrefix(table, "temp.scan_vocab_") {
			conn.ExecContext(ctx, `DROP TABLE `+table)
		}
	}
	return len(order)
}

type column struct{ name, expr string }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func sqliteCatalogue(t testing.TB, ctx context.Context, conn *sql.Conn) ([]string, map[string][]column) {
	t.Helper()
	type table struct{ name, sql string }
	var tables []table
	rows, err := conn.QueryContext(ctx, `SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tb table
		if err := rows.Scan(&tb.name, &tb.sql); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, tb)
	}
	rows.Close()
	cols := map[string][]column{}
	var order []string
	for i, tb := range tables {
		q := quoteIdent(tb.name)
		if strings.Contains(strings.ToLower(tb.sql), "using fts5") {
			// The index's own vocabulary, every term it holds.
			vocab := fmt.Sprintf("temp.scan_vocab_%d", i)
			if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS `+vocab+` USING fts5vocab(main, `+q+`, 'row')`); err != nil {
				t.Fatalf("vocabulary of %s: %v", tb.name, err)
			}
			order = append(order, vocab)
			cols[vocab] = []column{{"term", "term"}}
		}
		pr, err := conn.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, tb.name)
		if err != nil {
			t.Fatal(err)
		}
		for pr.Next() {
			var name string
			if err := pr.Scan(&name); err != nil {
				t.Fatal(err)
			}
			cols[q] = append(cols[q], column{name, quoteIdent(name)})
		}
		pr.Close()
		if len(cols[q]) == 0 {
			t.Fatalf("table %s: the catalogue lists no column", tb.name)
		}
		order = append(order, q)
	}
	return order, cols
}

func postgresCatalogue(t testing.TB, ctx context.Context, conn *sql.Conn) ([]string, map[string][]column) {
	t.Helper()
	rows, err := conn.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols := map[string][]column{}
	var order []string
	for rows.Next() {
		var table, name, typ string
		if err := rows.Scan(&table, &name, &typ); err != nil {
			t.Fatal(err)
		}
		q := quoteIdent(table)
		if cols[q] == nil {
			order = append(order, q)
		}
		expr := quoteIdent(name) + "::text" // tsvector, jsonb, arrays, numbers, times: as PostgreSQL prints them
		if typ == "bytea" {
			expr = quoteIdent(name) // the bytes themselves, not their hex
		}
		cols[q] = append(cols[q], column{name, expr})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(order) == 0 {
		t.Fatal("the catalogue lists no table in the current schema")
	}
	return order, cols
}

func cellBytes(v any) []byte {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return fmt.Appendf(nil, "%v", v)
}

// ScanCatalogue lists every needle found in db (EveryCell), as
// "table.column: needle", and how many tables it read.
func ScanCatalogue(t testing.TB, db *sql.DB, needles [][]byte) (found []string, tables int) {
	t.Helper()
	seen := map[string]bool{}
	tables = EveryCell(t, db, func(c Cell) {
		low := bytes.ToLower(c.Value)
		for _, n := range needles {
			if bytes.Contains(low, n) {
				if k := fmt.Sprintf("%s.%s: %q", c.Table, c.Column, n); !seen[k] {
					seen[k] = true
					found = append(found, k)
				}
			}
		}
	})
	return found, tables
}
