package postgres

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestStatFactsVisibilityMigration: a database made before the facts
// carried their incident's visibility (migration 0013) gets it for every
// fact, and the indexes that read it.
func TestStatFactsVisibilityMigration(t *testing.T) {
	ctx := context.Background()
	url := freshSchema(t)
	s, err := Open(ctx, url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportIncidents(ctx, "t", storetest.NewGen(400).Batch(400), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE stat_facts DROP COLUMN visibility`, `DROP INDEX incidents_restricted`,
		`DELETE FROM schema_migrations WHERE name = 'stat_facts_visibility'`} {
		if _, err := s.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, url, storetest.AuditKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var facts, wrong, kinds, indexes int
	err = s.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM stat_facts), (SELECT COUNT(*) FROM stat_facts f JOIN incidents i ON i.rid = f.incident_rid
		WHERE f.visibility <> i.visibility), (SELECT COUNT(DISTINCT visibility) FROM stat_facts),
		(SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND (indexname LIKE 'stat_facts_%' AND indexdef LIKE '%visibility%'
		OR indexname = 'incidents_restricted'))`).Scan(&facts, &wrong, &kinds, &indexes)
	if err != nil || facts < 400 || wrong != 0 || kinds != 3 || indexes != 6 {
		t.Errorf("after the migration: %d facts, %d with another visibility than their incident's, %d kinds (want 3), %d indexes (want 6); %v",
			facts, wrong, kinds, indexes, err)
	}
}
