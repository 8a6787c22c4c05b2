package migrations_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Type classes both dialects share.
var sqliteTypes = map[string]string{"INTEGER": "int", "BIGINT": "int", "TEXT": "text", "BOOLEAN": "bool",
	"TIMESTAMP": "time", "REAL": "real", "BLOB": "blob"}
var postgresTypes = map[string]string{"integer": "int", "bigint": "int", "smallint": "int", "text": "text",
	"boolean": "bool", "timestamp with time zone": "time", "double precision": "real", "bytea": "blob",
	"tsvector": "tsvector"}

func column(class string, notNull bool, def string, pk bool) string {
	s := class
	if notNull || pk {
		s += " not-null"
	}
	if def != "" {
		s += " default=" + def
	}
	if pk {
		s += " pk"
	}
	return s
}

// index is an index's print: unique or not, the columns it holds in
// order (PostgreSQL's INCLUDE columns after its keys; SQLite appends them
// to the key), without the table's primary key and rowid, which both
// keep in every index; and its condition.
func index(unique bool, cols, pk []string, where string) string {
	var kept []string
	for _, c := range cols {
		if c != "rid" && !slices.Contains(pk, c) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		kept = cols
	}
	s := strings.Join(kept, ",")
	if unique {
		s = "unique " + s
	}
	if where != "" {
		where = strings.ReplaceAll(where, "::text", "") // PostgreSQL prints the literal's type
		s += " where " + strings.Trim(strings.ToLower(strings.Join(strings.Fields(where), " ")), "()")
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func rowsOf(t *testing.T, db *sql.DB, q string, args ...any) [][]sql.NullString {
	t.Helper()
	rows, err := db.Query(q, args...)
	must(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]sql.NullString
	for rows.Next() {
		r := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range r {
			ptrs[i] = &r[i]
		}
		must(t, rows.Scan(ptrs...))
		out = append(out, r)
	}
	must(t, rows.Err())
	return out
}

var sqliteCheck = regexp.MustCompile(`(?i)\bCHECK\s*\(`)

// checksIn finds the CHECK expressions of a CREATE TABLE statement.
func checksIn(ddl string) []string {
	var out []string
	for _, loc := range sqliteCheck.FindAllStringIndex(ddl, -1) {
		depth, start := 1, loc[1]
		for i := start; i < len(ddl) && depth > 0; i++ {
			switch ddl[i] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					out = append(out, ddl[start:i])
				}
			}
		}
	}
	return out
}

func sqliteSchema(t *testing.T, db *sql.DB) schema {
	out := schema{}
	var virtual []string
	for _, r := range rowsOf(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`) {
		virtual = append(virtual, r[0].String)
	}
	for _, r := range rowsOf(t, db, `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		name := r[0].String
		shadow := slices.ContainsFunc(virtual, func(v string) bool { return name != v && strings.HasPrefix(name, v+"_") })
		if shadow {
			continue
		}
		tb := &table{Columns: map[string]string{}, Indexes: map[string]string{}}
		out[name] = tb
		if slices.Contains(virtual, name) {
			continue
		}
		var pk []string
		for _, c := range rowsOf(t, db, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY pk`, name) {
			class, ok := sqliteTypes[strings.ToUpper(c[1].String)]
			if !ok {
				t.Fatalf("%s.%s: SQLite type %q has no class", name, c[0].String, c[1].String)
			}
			isPK := c[4].String != "0"
			if isPK {
				pk = append(pk, c[0].String)
			}
			tb.Columns[c[0].String] = column(class, c[2].String == "1", normDefault(c[3]), isPK)
		}
		for _, ix := range rowsOf(t, db, `SELECT name, "unique", origin FROM pragma_index_list(?)`, name) {
			var cols []string
			for _, c := range rowsOf(t, db, `SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, ix[0].String) {
				cols = append(cols, c[0].String)
			}
			switch ix[2].String {
			case "pk":
				continue
			case "u":
				tb.Indexes["unique("+strings.Join(cols, ",")+")"] = "constraint"
				continue
			}
			var ddl string
			must(t, db.QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?`, ix[0].String).Scan(&ddl))
			where := ""
			if i := strings.Index(strings.ToUpper(ddl), " WHERE "); i >= 0 {
				where = ddl[i+7:]
			}
			tb.Indexes[ix[0].String] = index(ix[1].String == "1", cols, pk, where)
		}
		for _, fk := range rowsOf(t, db, `SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?)`, name) {
			tb.Foreign = append(tb.Foreign, fmt.Sprintf("%s -> %s(%s) on delete %s", fk[0].String, fk[1].String, fk[2].String, fk[3].String))
		}
		sort.Strings(tb.Foreign)
		for _, c := range checksIn(r[1].String) {
			tb.Checks = append(tb.Checks, checkPrint(c))
		}
		sort.Strings(tb.Checks)
	}
	for _, r := range rowsOf(t, db, `SELECT name, tbl_name FROM sqlite_schema WHERE type = 'trigger'`) {
		if tb := out[r[1].String]; tb != nil {
			tb.Triggers = append(tb.Triggers, r[0].String)
			sort.Strings(tb.Triggers)
		}
	}
	return out
}

func postgresSchema(t *testing.T, db *sql.DB) schema {
	out := schema{}
	for _, r := range rowsOf(t, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`) {
		out[r[0].String] = &table{Columns: map[string]string{}, Indexes: map[string]string{}}
	}
	pks := map[string][]string{}
	for _, r := range rowsOf(t, db, `SELECT c.relname, a.attname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey)
		WHERE n.nspname = current_schema() AND k.contype = 'p'`) {
		pks[r[0].String] = append(pks[r[0].String], r[1].String)
	}
	for _, c := range rowsOf(t, db, `SELECT table_name, column_name, data_type, is_nullable, column_default
		FROM information_schema.columns WHERE table_schema = current_schema()`) {
		tb := out[c[0].String]
		if tb == nil {
			continue
		}
		class, ok := postgresTypes[c[2].String]
		if !ok {
			t.Fatalf("%s.%s: PostgreSQL type %q has no class", c[0].String, c[1].String, c[2].String)
		}
		isPK := slices.Contains(pks[c[0].String], c[1].String)
		tb.Columns[c[1].String] = column(class, c[3].String == "NO", normDefault(c[4]), isPK)
	}
	for _, r := range rowsOf(t, db, `SELECT t.relname, i.relname, x.indisunique, x.indisprimary,
		(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum),
		pg_get_expr(x.indpred, x.indrelid),
		EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid AND k.contype = 'u')
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()`) {
		tb := out[r[0].String]
		if tb == nil || r[3].String == "true" {
			continue
		}
		cols := strings.Split(r[4].String, ",")
		if r[6].String == "true" {
			tb.Indexes["unique("+strings.Join(cols, ",")+")"] = "constraint"
			continue
		}
		tb.Indexes[r[1].String] = index(r[2].String == "true", cols, pks[r[0].String], r[5].String)
	}
	for _, r := range rowsOf(t, db, `SELECT c.relname, k.contype, pg_get_constraintdef(k.oid),
		(SELECT string_agg(a.attname, ',') FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (k.conkey)),
		f.relname, (SELECT string_agg(a.attname, ',') FROM pg_attribute a WHERE a.attrelid = f.oid AND a.attnum = ANY (k.confkey)),
		k.confdeltype
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_class f ON f.oid = k.confrelid
		WHERE n.nspname = current_schema() AND k.contype IN ('c', 'f')`) {
		tb := out[r[0].String]
		if tb == nil {
			continue
		}
		if r[1].String == "c" {
			tb.Checks = append(tb.Checks, checkPrint(strings.TrimPrefix(r[2].String, "CHECK ")))
			continue
		}
		del := map[string]string{"a": "NO ACTION", "c": "CASCADE", "r": "RESTRICT", "n": "SET NULL", "d": "SET DEFAULT"}[r[6].String]
		tb.Foreign = append(tb.Foreign, fmt.Sprintf("%s -> %s(%s) on delete %s", r[3].String, r[4].String, r[5].String, del))
	}
	for _, r := range rowsOf(t, db, `SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers
		WHERE trigger_schema = current_schema()`) {
		if tb := out[r[0].String]; tb != nil {
			tb.Triggers = append(tb.Triggers, r[1].String)
		}
	}
	for _, tb := range out {
		sort.Strings(tb.Foreign)
		sort.Strings(tb.Checks)
		sort.Strings(tb.Triggers)
	}
	return out
}
