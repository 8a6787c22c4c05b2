package storetest

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSealedLinks: the person a case names is sealed with its text, its
// column empty; the case is found by opening the kind's sealed groups
// (SealedOfKind); a case whose column still names the person (stored
// before migration 0037) has it moved into its sealed group by SealLinks,
// once; and MergedInto maps the persons merged away (docs/protection.md).
func testSealedLinks(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	FastKDF(t)
	member, id := FirstMember(t, ctx, s, "rana", "rana password 1")
	defer id.Zero()
	rs, err := keys.NewRecordSealer(ctx, s, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	p := model.Person{NameLatin: "Linked Person", Visibility: model.VisibilityInternal}
	into := model.Person{NameLatin: "Merged Into", Visibility: model.VisibilityInternal}
	for _, x := range []*model.Person{&p, &into} {
		if err := s.Persons().Create(ctx, "doc", x); err != nil {
			t.Fatal(err)
		}
	}
	cases := store.Of[model.ProtectionCase](s, kinds.ProtectionCase)
	c := model.ProtectionCase{Code: "PC-BCDFGH", Person: p.ID, RiskLevel: "high", Status: "open", OpenedOn: "2026-01-01",
		CheckInEvery: 7, Notes: "Notes", Visibility: model.VisibilityRestricted}
	if err := keys.SealRecord(rs, kinds.ProtectionCase, &c); err != nil {
		t.Fatal(err)
	}
	if err := cases.Create(ctx, member.Username, &c); err != nil {
		t.Fatal(err)
	}
	column := func() (person string) {
		if err := o.SQL.QueryRow(rebindIf(o, `SELECT person FROM protection_cases WHERE id = ?`), c.ID).Scan(&person); err != nil {
			t.Fatal(err)
		}
		return person
	}
	opened := func() string {
		t.Helper()
		all, err := keys.OpenKind(ctx, s, member.Username, rs, kinds.ProtectionCase)
		if err != nil || len(all) != 1 || all[c.ID] == nil {
			t.Fatalf("opened %d cases: %v", len(all), err)
		}
		return all[c.ID].Person
	}
	if got := column(); got != "" {
		t.Errorf("the case's person column holds %q", got)
	}
	if got := opened(); got != p.ID {
		t.Errorf("the sealed group names %q, want %q", got, p.ID)
	}
	if gs, err := s.SealedOfKind(ctx, kinds.Threat.Name, model.GroupRecord); err != nil || len(gs) != 0 {
		t.Errorf("sealed threats: %d %v", len(gs), err)
	}
	// The old shape: the person in the column beside the sealed group.
	if _, err := o.SQL.Exec(rebindIf(o, `UPDATE protection_cases SET person = ? WHERE id = ?`), into.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SealLinks(ctx, "upgrade", rs); err != nil || n != 1 {
		t.Fatalf("SealLinks moved %d: %v", n, err)
	}
	if got := column(); got != "" {
		t.Errorf("after SealLinks the column holds %q", got)
	}
	if got := opened(); got != into.ID {
		t.Errorf("after SealLinks the sealed group names %q, want the column's %q", got, into.ID)
	}
	if n, err := s.SealLinks(ctx, "upgrade", rs); err != nil || n != 0 {
		t.Errorf("SealLinks again moved %d: %v", n, err)
	}
	m, err := s.MergePersons(ctx, "doc", p.ID, into.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.MergedInto(ctx); err != nil || len(got) != 1 || got[p.ID] != into.ID {
		t.Errorf("merged: %v %v", got, err)
	}
	if err := s.UnmergePersons(ctx, "doc", m.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MergedInto(ctx); err != nil || len(got) != 0 {
		t.Errorf("after undoing the merge: %v %v", got, err)
	}
}
