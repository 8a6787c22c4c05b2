package sheetmaps_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/sheetmaps"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func mapping(typeColumn string) *importer.Mapping {
	return &importer.Mapping{Format: importer.MappingFormat, Version: importer.MappingVersion,
		Columns: []importer.Column{
			{Column: typeColumn, Field: "type", Values: map[string]string{"assassination": "killing"}},
			{Column: "Date", Field: "date.start"},
			{Column: "Province", Field: "place.admin1"},
		}}
}

// audited lists the audit entries of kind "mapping" as action:name.
func audited(t *testing.T, st store.Store) []string {
	t.Helper()
	var out []string
	err := st.AuditEntries(context.Background(), func(e audit.Entry) error {
		if e.Kind == "mapping" {
			out = append(out, e.Actor+" "+e.Action+" "+e.RecordID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSavedMappings: a mapping is saved by name, read back equal,
// replaced by a save of the same name, listed, deleted; each save and
// delete is audited; a bad name or a bad mapping stores nothing. On both
// backends.
func TestSavedMappings(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		svc := sheetmaps.New(st, func() time.Time { return now })
		if err := svc.Save(ctx, "coord", "  Partner X  ", mapping("Violation")); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, "Partner X")
		if err != nil {
			t.Fatal(err)
		}
		if got.Columns[0].Column != "Violation" || got.Columns[0].Values["assassination"] != "killing" {
			t.Errorf("read back %+v", got)
		}
		if err := svc.Save(ctx, "coord2", "Partner X", mapping("Kind")); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.Get(ctx, "Partner X"); got == nil || got.Columns[0].Column != "Kind" {
			t.Errorf("a save of the same name did not replace it: %+v", got)
		}
		bad := mapping("Violation")
		bad.Columns[0].Field = "victims"
		for name, m := range map[string]*importer.Mapping{"": mapping("V"), strings.Repeat("x", 81): mapping("V"),
			"a\u202eb": mapping("V"), "Bad": bad} {
			if err := svc.Save(ctx, "coord", name, m); err == nil {
				t.Errorf("saved %q", name)
			}
		}
		list, err := svc.List(ctx)
		if err != nil || len(list) != 1 || list[0].Name != "Partner X" || list[0].SavedBy != "coord2" || !list[0].SavedAt.Equal(now) {
			t.Fatalf("list: %+v %v", list, err)
		}
		if err := svc.Delete(ctx, "coord", "Partner X"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Get(ctx, "Partner X"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if err := svc.Delete(ctx, "coord", "Partner X"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		want := []string{"coord mapping:save Partner X", "coord2 mapping:save Partner X", "coord mapping:delete Partner X"}
		if got := audited(t, st); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("audit %q, want %q", got, want)
		}
		if _, err := store.VerifyAudit(ctx, st, storetest.AuditKey); err != nil {
			t.Errorf("audit verify: %v", err)
		}
	})
}
