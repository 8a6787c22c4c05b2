package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testAccountability: commitments, committees and judicial steps are
// stored, listed by the incidents they name, kept with their history and
// checked by the audit like every record (docs/counting.md, "Commitments
// and deadlines", "Impunity").
func testAccountability(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident())
	other := mustCreate(t, ctx, s, Incident())
	commitments := store.Of[model.Commitment](s, kinds.Commitment)
	c := model.Commitment{AuthorityType: "prime_minister", Authority: "Office of the Prime Minister", MadeOn: "2020-01-12",
		Kind: "investigation", PromiseEN: "Results within three months", PromiseAR: "النتائج خلال ثلاثة أشهر",
		DeadlineDuration: "3m", Incidents: []string{inc.ID}, Sources: []string{"https://example.org/statement"},
		Visibility: "public"}
	if err := commitments.Create(ctx, "doc", &c); err != nil {
		t.Fatal(err)
	}
	c.StatusHistory = []string{"2020-06-01 broken no results were published"}
	if err := commitments.Update(ctx, "analyst", &c); err != nil {
		t.Fatal(err)
	}
	got, err := commitments.Get(ctx, c.ID)
	if err != nil || got.Version != 2 || !slices.Equal(got.StatusHistory, c.StatusHistory) || got.DeadlineDuration != "3m" ||
		!slices.Equal(got.Incidents, []string{inc.ID}) || got.PromiseAR != c.PromiseAR || got.UpdatedBy != "analyst" {
		t.Fatalf("read back %+v, %v", got, err)
	}
	vs, err := s.History(ctx, kinds.Commitment.Name, c.ID)
	if err != nil || len(vs) != 2 || !strings.Contains(string(vs[1].Snapshot), "broken") {
		t.Fatalf("history: %d versions, %v", len(vs), err)
	}
	stale := *got
	stale.Version = 1
	if err := commitments.Update(ctx, "doc", &stale); err != store.ErrConflict {
		t.Errorf("a stale update: %v, want ErrConflict", err)
	}

	committees := store.Of[model.Committee](s, kinds.Committee)
	cm := model.Committee{NameEN: "Fact-finding committee", FormedType: "prime_minister", FormedOn: "2020-01-15",
		Incidents: []string{inc.ID, other.ID}, Visibility: "internal"}
	if err := committees.Create(ctx, "doc", &cm); err != nil {
		t.Fatal(err)
	}
	cm.Reported, cm.ReportedOn, cm.Findings = true, "2020-07-01", "Named no one."
	if err := committees.Update(ctx, "doc", &cm); err != nil {
		t.Fatal(err)
	}

	steps := store.Of[model.JudicialStep](s, kinds.JudicialStep)
	for _, st := range []model.JudicialStep{
		{Incident: inc.ID, Step: "trial", Date: "2021-03-01", Visibility: "public"},
		{Incident: inc.ID, Step: "arrest", Date: "2020-02-01", Who: "the gunman", Role: "perpetrator", Visibility: "public"},
		{Incident: other.ID, Step: "complaint_filed", Date: "2020-01-20", Visibility: "internal"},
	} {
		if err := steps.Create(ctx, "doc", &st); err != nil {
			t.Fatal(err)
		}
	}
	all := store.Visible{Levels: []string{"public", "internal"}}
	list, n, err := steps.List(ctx, store.ListFilter{Visible: all, Field: "incident", Value: inc.ID})
	if err != nil || n != 2 || list[0].Step != "arrest" || list[1].Step != "trial" {
		t.Fatalf("steps of the incident, by date: %+v (%d), %v", list, n, err)
	}
	for _, c := range []struct {
		id   string
		want int
	}{{inc.ID, 2}, {other.ID, 1}} {
		_, n, err := committees.List(ctx, store.ListFilter{Visible: all, Field: "incidents", Value: c.id})
		_, m, err2 := commitments.List(ctx, store.ListFilter{Visible: all, Field: "incidents", Value: c.id})
		if err != nil || err2 != nil || n != 1 || m != c.want-1 {
			t.Errorf("records naming %s: %d committees, %d commitments, %v %v", c.id, n, m, err, err2)
		}
	}
	pub, n, err := commitments.List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{"public"}}, Query: "Prime"})
	if err != nil || n != 1 || pub[0].ID != c.ID {
		t.Errorf("public commitments found by their authority: %d, %v", n, err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("audit: %v", err)
	}
	sqlExec(t, o, `UPDATE commitments SET status_history = ? WHERE id = ?`, `["2020-06-01 fulfilled"]`, c.ID)
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err == nil || !strings.Contains(err.Error(), c.ID) {
		t.Errorf("a commitment's status changed outside rasd: %v", err)
	}
	sqlExec(t, o, `UPDATE commitments SET status_history = ? WHERE id = ?`, `["2020-06-01 broken no results were published"]`, c.ID)
}
