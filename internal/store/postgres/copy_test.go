package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestFirstLoadAllOrNothing: a first load into an empty store goes through
// COPY with its secondary indexes dropped (DeferIndexes). Refused at its
// 1,200th record, or failed by its reader, it leaves nothing: no row in
// any table it writes, the same indexes and foreign keys, an audit log that
// verifies. Then the same load succeeds, with every index and foreign key
// made again and found by search.
func TestFirstLoadAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, freshSchema(t), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := s.SQL()
	snapshot := func() string {
		var b strings.Builder
		rows, err := db.QueryContext(ctx, `SELECT indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid) FROM pg_index
			WHERE indrelid = ANY (ARRAY[to_regclass('incidents'), to_regclass('persons'), to_regclass('victims'),
			to_regclass('perpetrators'), to_regclass('stat_facts')]) ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var def string
			rows.Scan(&def)
			b.WriteString(def + "\n")
		}
		fks, err := db.QueryContext(ctx, `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE contype = 'f' AND connamespace = CAST(current_schema() AS regnamespace) ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer fks.Close()
		for fks.Next() {
			var def string
			fks.Scan(&def)
			b.WriteString(def + "\n")
		}
		for _, table := range []string{"incidents", "persons", "victims", "perpetrators", "stat_facts", "versions", "audit_log"} {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			b.WriteString(table + " " + string(rune('0'+min(n, 9))) + "\n")
		}
		return b.String()
	}
	before := snapshot()
	if !strings.Contains(before, "incidents_search") || !strings.Contains(before, "stat_facts_place") ||
		!strings.Contains(before, "perpetrators_incident_rid_fkey") || !strings.Contains(before, "victims_person_rid_fkey") {
		t.Fatalf("the schema's indexes are not as this test expects:\n%s", before)
	}
	file := func(bad int) []model.Incident {
		incs := storetest.NewGen(1500).Batch(1500)
		if bad > 0 {
			incs[bad-1].Visibility = "everyone" // refused by the schema
		}
		return incs
	}
	if _, err := s.ImportIncidents(ctx, "importer", file(1200), nil); err == nil || !strings.Contains(err.Error(), "record 1200") {
		t.Fatalf("first load with a bad record 1200: %v, want it named", err)
	}
	if after := snapshot(); after != before {
		t.Errorf("a refused first load changed the store:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil {
		t.Errorf("audit after a refused first load: %v", err)
	}
	res, err := s.ImportIncidents(ctx, "importer", file(0), nil)
	if err != nil || res.Created != 1500 {
		t.Fatalf("first load: %+v, %v", res, err)
	}
	after := snapshot()
	if want := strings.Split(before, "incidents 0")[0]; !strings.HasPrefix(after, want) {
		t.Errorf("indexes after a first load:\n%s\nwant\n%s", after, want)
	}
	if hits, err := s.SearchIncidents(ctx, storetest.RareLatin, 50); err != nil || len(hits) == 0 {
		t.Errorf("search after a first load: %d hits, %v", len(hits), err)
	}
	if _, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil {
		t.Errorf("audit after a first load: %v", err)
	}
	// The tables that counts, lists and lookups read by index-only scans
	// were vacuumed and analyzed after it (vacuumImported). Whether VACUUM
	// could mark their pages all-visible depends on the other
	// transactions open on the server (other tests'), so only that it ran
	// is checked.
	for _, table := range []string{"incidents", "stat_facts", "incident_name_keys", "incident_victim_names"} {
		var vacuumed, analyzed bool
		if err := db.QueryRowContext(ctx, `SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL
			FROM pg_stat_user_tables WHERE relid = to_regclass($1)`, table).Scan(&vacuumed, &analyzed); err != nil {
			t.Fatal(err)
		}
		if !vacuumed || !analyzed {
			t.Errorf("%s after a first load: vacuumed %v, analyzed %v", table, vacuumed, analyzed)
		}
	}
}
