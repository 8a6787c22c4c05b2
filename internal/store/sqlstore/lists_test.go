package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestBacklogCountReadsTheIndex: the dashboard's backlog counts the
// incidents of one verification status a reader may see, their own
// restricted ones included, from incidents_verification alone (migration
// 0047). Reading each incident's row instead took 6 s of CPU at 1,000,000.
func TestBacklogCountReadsTheIndex(t *testing.T) {
	ctx := context.Background()
	s := teststores.SQLite(t)
	for _, vis := range []store.Visible{
		{Levels: []string{"public", "internal", "restricted"}},
		{Levels: []string{"public", "internal"}, OwnedBy: "user-1"},
		{Levels: []string{"public"}},
	} {
		q, args, err := s.IncidentCountSQL(store.IncidentFilter{Verification: []string{"reported"}, Visible: vis})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.SQL().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if got := strings.Join(plan, "; "); !strings.Contains(got, "USING COVERING INDEX incidents_verification") {
			t.Errorf("%+v: the count's plan is %q, want it to read incidents_verification alone", vis, got)
		}
	}
}
