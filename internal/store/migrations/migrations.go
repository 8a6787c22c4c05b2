// Package migrations holds rasd's one schema sequence. Both SQL dialects
// apply the same numbered migrations, with the same names, in the same
// order. A migration is one file, sql/NNNN_name.sql, when its SQL is the
// same on both; where the SQL differs it is a pair, NNNN_name.sqlite.sql
// and NNNN_name.postgres.sql (a dialect with nothing to do says why in its
// file). Shared files write the few column types that differ as macros
// (Macros), so that one text serves both. The test of this package
// migrates both databases and compares their schemas.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed sql/*.sql
var files embed.FS

// Migration is one step of the sequence, as one dialect runs it.
type Migration struct {
	Version int
	Name    string // without number and suffix: "keys"
	SQL     string
}

// Dialects are the SQL dialects the sequence is written for.
var Dialects = []string{"sqlite", "postgres"}

// Macros are what a shared migration writes where the two dialects' SQL
// differs only by a type or a literal.
var Macros = map[string]map[string]string{
	"sqlite": {
		"{{rid}}":    "INTEGER PRIMARY KEY",
		"{{bigint}}": "INTEGER",
		"{{blob}}":   "BLOB",
		"{{time}}":   "TIMESTAMP",
		"{{real}}":   "REAL",
		"{{false}}":  "0",
		"{{true}}":   "1",
	},
	"postgres": {
		"{{rid}}":    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		"{{bigint}}": "BIGINT",
		"{{blob}}":   "BYTEA",
		"{{time}}":   "TIMESTAMPTZ",
		"{{real}}":   "DOUBLE PRECISION",
		"{{false}}":  "false",
		"{{true}}":   "true",
	},
}

var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+?)(?:\.(sqlite|postgres))?\.sql$`)

// For returns dialect's migrations in order. It fails when the sequence
// is not one: a number with two names, a dialect file without its pair,
// a shared file beside a dialect's, an unknown macro.
func For(dialect string) ([]Migration, error) {
	macros, ok := Macros[dialect]
	if !ok {
		return nil, fmt.Errorf("no dialect %q: use one of %v", dialect, Dialects)
	}
	return read(files, dialect, macros)
}

func read(fsys fs.FS, dialect string, macros map[string]string) ([]Migration, error) {
	names, err := fs.Glob(fsys, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	type step struct {
		name    string
		shared  string
		dialect map[string]string // dialect -> file
	}
	steps := map[int]*step{}
	for _, path := range names {
		base := strings.TrimPrefix(path, "sql/")
		m := fileName.FindStringSubmatch(base)
		if m == nil {
			return nil, fmt.Errorf("migration %s: name it NNNN_name.sql, or NNNN_name.sqlite.sql and NNNN_name.postgres.sql", base)
		}
		v, _ := strconv.Atoi(m[1])
		s := steps[v]
		if s == nil {
			s = &step{name: m[2], dialect: map[string]string{}}
			steps[v] = s
		}
		if s.name != m[2] {
			return nil, fmt.Errorf("migration %04d has two names, %q and %q: one number, one name, in both dialects", v, s.name, m[2])
		}
		if m[3] == "" {
			s.shared = path
		} else {
			s.dialect[m[3]] = path
		}
	}
	versions := make([]int, 0, len(steps))
	for v := range steps {
		versions = append(versions, v)
	}
	sort.Ints(versions)
	out := make([]Migration, 0, len(versions))
	for _, v := range versions {
		s := steps[v]
		if s.shared != "" && len(s.dialect) > 0 {
			return nil, fmt.Errorf("migration %04d_%s has a shared file and a dialect's: keep one or the other", v, s.name)
		}
		path := s.shared
		if path == "" {
			for _, d := range Dialects {
				if s.dialect[d] == "" {
					return nil, fmt.Errorf("migration %04d_%s has no %s file: write one (a comment saying why there is nothing to do is enough)", v, s.name, d)
				}
			}
			path = s.dialect[dialect]
		}
		body, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, err
		}
		text, err := expand(string(body), macros)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", path, err)
		}
		out = append(out, Migration{Version: v, Name: s.name, SQL: text})
	}
	return out, nil
}

var macro = regexp.MustCompile(`\{\{[a-z]+\}\}`)

func expand(sql string, macros map[string]string) (string, error) {
	var bad string
	out := macro.ReplaceAllStringFunc(sql, func(m string) string {
		r, ok := macros[m]
		if !ok {
			bad = m
		}
		return r
	})
	if bad != "" {
		return "", fmt.Errorf("unknown macro %s", bad)
	}
	return out, nil
}

// Canonical turns a name recorded in schema_migrations into the name of
// this sequence: before there was one sequence, each dialect recorded
// file names ("0005_keys.sql"), numbered its own way.
func Canonical(recorded string) string {
	if m := fileName.FindStringSubmatch(recorded); m != nil {
		return m[2]
	}
	return recorded
}
