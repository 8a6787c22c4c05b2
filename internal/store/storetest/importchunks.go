package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testImportChunked imports the same file twice, into two fresh stores:
// once in chunks of several incidents per statement (what an import
// does), once record by record (what CreateIncident does). Every table
// must end up the same, but for identifiers and times: the same codes,
// persons, victims, facts, versions, audit entries in the same order, the
// same search index, and search and counts must answer alike.
func testImportChunked(t *testing.T, ctx context.Context, open func(*testing.T) Opened) {
	chunked, single := open(t), open(t)
	defer chunked.Store.Close()
	defer single.Store.Close()
	set := func(o Opened, n int) {
		s, ok := o.Store.(interface{ SetImportChunk(int) })
		if !ok {
			t.Fatalf("%T cannot set its import chunk", o.Store)
		}
		s.SetImportChunk(n)
	}
	set(chunked, 7) // several chunks and a partial one
	set(single, 0)

	var results []store.ImportResult
	var victimless []string // their codes, searched for below
	for _, o := range []Opened{chunked, single} {
		known := *Incident().Victims[1].Person
		if err := o.Store.Persons().Create(ctx, "tester", &known); err != nil {
			t.Fatal(err)
		}
		batch := NewGen(60).Batch(60)
		// A victim given by the ID of a stored person, and the same
		// external record twice in one file (the second updates the first).
		v := batch[3].Victims[0]
		batch[3].Victims = append(batch[3].Victims, model.Victim{PersonID: known.ID, Role: v.Role, Outcome: v.Outcome})
		// Records without victims, as ACLED's are: what the import works
		// out for them ahead of its writer must be what it stores for the
		// others.
		without := []int{5, 6, 13, 20, 21, 22}
		for _, i := range without {
			batch[i].Victims = nil
		}
		again := NewGen(60).Batch(11)[10]
		again.Fatalities++
		batch = append(batch, again)
		res, err := o.Store.ImportIncidents(ctx, "importer", batch, nil)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
		if victimless == nil {
			for _, i := range without {
				victimless = append(victimless, batch[i].Code)
			}
		}
	}
	if results[0] != results[1] || results[0].Created != 60 || results[0].Updated != 1 {
		t.Errorf("import results: chunked %+v, one by one %+v; want 60 created, 1 updated", results[0], results[1])
	}
	for _, q := range append(slices.Clip(chunkDumps), chunked.SearchDumps...) {
		a, b := DumpRows(t, chunked.SQL, q), DumpRows(t, single.SQL, q)
		if a != b {
			t.Errorf("chunked and one-by-one imports differ in\n%s\n%s", q, firstDiff(a, b))
		}
		if a == "" {
			t.Errorf("no rows from %s", q)
		}
	}
	for _, q := range append([]string{RareLatin, RareArabic, "killing"}, victimless...) {
		a, b := hitCodes(t, ctx, chunked.Store, q), hitCodes(t, ctx, single.Store, q)
		if !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("search %q: chunked %v, one by one %v", q, a, b)
		}
	}
	for _, code := range victimless { // found by its code (its words and the code's are indexed apart)
		if hits := hitCodes(t, ctx, chunked.Store, code); !slices.Contains(hits, code) {
			t.Errorf("search %q: chunked import finds %v", code, hits)
		}
	}
	for _, o := range []Opened{chunked, single} {
		if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); err != nil {
			t.Errorf("audit: %v", err)
		}
	}
}

// chunkDumps are the tables' contents without identifiers or times, in a
// stable order. Versions are sorted after their IDs are blanked; the
// audit log keeps its own order.
var chunkDumps = []string{
	`SELECT code, type, date_start, date_end, date_precision, date_estimated, country, admin1, district, locality,
		lat, lon, geo_precision, fatalities, summary_en, summary_ar, narrative_en, narrative_ar, verification,
		motive_link, visibility, consent, tags, merged_into, ext_system, ext_id, ext_original, version,
		created_by, updated_by FROM incidents ORDER BY code`,
	`SELECT name_ar, name_latin, aliases, gender, birth_year, roles, affiliations, home_admin1, status, risk_level,
		visibility, consent, version, created_by FROM persons`,
	`SELECT i.code, v.seq, p.name_ar, p.name_latin, v.role, v.outcome FROM victims v
		JOIN incidents i ON i.rid = v.incident_rid JOIN persons p ON p.rid = v.person_rid`,
	`SELECT i.code, p.seq, p.type, p.grp, p.modus FROM perpetrators p JOIN incidents i ON i.rid = p.incident_rid`,
	`SELECT i.code, f.vseq, f.pseq, p.name_latin, f.role, f.outcome, f.perpetrator, f.type, f.admin1, f.date_start,
		f.date_end, f.date_precision, f.date_estimated, f.verification, f.merged_into, f.fatalities, f.visibility
		FROM stat_facts f JOIN incidents i ON i.rid = f.incident_rid LEFT JOIN persons p ON p.rid = f.person_rid`,
	`SELECT i.code, m.type, m.admin1, m.country, m.date_start, m.date_end, m.date_precision, m.date_estimated,
		m.verification, m.merged_into, m.visibility, m.class_open, m.class_all
		FROM impunity m JOIN incidents i ON i.rid = m.incident_rid`,
	`SELECT kind, version, actor, action, changes, snapshot FROM versions`,
	`SELECT seq, actor, action, kind, version FROM audit_log ORDER BY seq`,
	`SELECT prefix, next FROM code_counters ORDER BY prefix`,
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// DumpRows prints every row of q, one per line, with UUIDs blanked; rows
// of a query without ORDER BY are sorted.
func DumpRows(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v|", v)
		}
		lines = append(lines, uuidRE.ReplaceAllString(b.String(), "<id>"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, "ORDER BY") {
		slices.Sort(lines)
	}
	return strings.Join(lines, "\n")
}

func hitCodes(t *testing.T, ctx context.Context, s store.Store, q string) []string {
	t.Helper()
	hits, err := s.SearchIncidents(ctx, q, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.Code)
	}
	slices.Sort(out)
	return out
}

// firstDiff shows the first line where two dumps differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d (of %d, %d):\nchunked:    %s\none by one: %s", i+1, len(la), len(lb), x, y)
		}
	}
	return "(same lines)"
}
