package protection_test

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// The person a case, a threat or a list entry names is sealed
// (docs/protection.md, "The records"): whoever reads the database with its
// key finds the person at risk (plant's, named by all three) in the
// persons' table and its history, as any person, and nowhere that says
// they are at risk: no table of people at risk, no version or audit entry
// of one of their records holds the person's ID or name.

// protectionTables are the tables of the protection compartment's kinds.
var protectionTables = map[string]bool{}

func init() {
	for _, name := range []string{"threats", "hit_lists", "hit_list_entries", "protection_cases", "assessments",
		"measures", "moves", "checkins"} {
		protectionTables[name] = true
	}
}

func protectionTable(name string) bool { return protectionTables[strings.Trim(name, `"`)] }

// linkCanary scans every cell of db for the person at risk's ID and name:
// found in the persons' own rows (the control that the scan reads them),
// never in a table of people at risk nor any other (a derived table, a
// search text); and the versions and audit entries holding them are the
// person's own.
func linkCanary(t *testing.T, f *fixture, db *sql.DB) {
	t.Helper()
	linkScan(t, f.linked, db)
	// Members still find them: the links open with the key.
	l := f.links()
	for what, find := range map[string]func(context.Context, string) ([]string, error){
		"cases": l.CasesOf, "threats": l.ThreatsOf, "entries": l.EntriesOf} {
		if ids, err := find(f.ctx, f.linked.ID); err != nil || len(ids) != 1 {
			t.Errorf("the member finds %d %s of the person: %v", len(ids), what, err)
		}
	}
}

// linkScan is linkCanary's scan of db (the store's, or a backup's) for
// person p.
func linkScan(t *testing.T, p model.Person, db *sql.DB) {
	t.Helper()
	id := []byte(strings.ToLower(p.ID))
	needles := append([][]byte{id}, storetest.ScanNeedles(p.NameLatin)...)
	// Where a person's ID and name are, as any person's: their row, its
	// history and audit entries (checked below to be the person's own),
	// and, for the name, the search index and its vocabulary.
	theirs := func(table string, n []byte) bool {
		switch {
		case table == "persons" || table == "versions":
			return true
		case bytes.Equal(n, id):
			return table == "audit_log"
		}
		return strings.Contains(table, "person") || strings.Contains(table, "vocab") || strings.Contains(table, "search")
	}
	var inPersons, read int
	storetest.EveryCell(t, db, func(c storetest.Cell) {
		table := strings.Trim(strings.TrimPrefix(c.Table, "temp."), `"`)
		if protectionTable(table) && len(c.Value) > 0 {
			read++
		}
		low := bytes.ToLower(c.Value)
		for _, n := range needles {
			switch {
			case !bytes.Contains(low, n):
			case table == "persons":
				inPersons++
			case !theirs(table, n):
				t.Errorf("%s.%s names the person at risk (%q)", table, c.Column, n)
			}
		}
	})
	if inPersons == 0 || read == 0 {
		t.Fatalf("the scan found the person in %d cells of persons, and read %d cells of people at risk", inPersons, read)
	}
	ctx := context.Background()
	for _, n := range append(needles[:1], []byte(p.NameLatin)) {
		like := "%" + string(n) + "%"
		var kinds []string
		rows, err := db.QueryContext(ctx, `SELECT kind FROM versions WHERE LOWER(snapshot) LIKE LOWER(?) OR LOWER(changes) LIKE LOWER(?)
			UNION ALL SELECT kind FROM audit_log WHERE record_id = ?`, like, like, p.ID)
		if err != nil {
			rows, err = db.QueryContext(ctx, `SELECT kind FROM versions WHERE LOWER(snapshot) LIKE LOWER($1) OR LOWER(changes) LIKE LOWER($1)
				UNION ALL SELECT kind FROM audit_log WHERE record_id = $2`, like, p.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			kinds = append(kinds, k)
		}
		rows.Close()
		if len(kinds) == 0 {
			t.Fatalf("no version names the person %q: the query reads nothing", n)
		}
		for _, k := range kinds {
			if k != store.KindPerson {
				t.Errorf("a version or audit entry of a %s names the person at risk (%q)", k, n)
			}
		}
	}
}
