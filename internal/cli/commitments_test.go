package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func TestCommitmentsDue(t *testing.T) {
	dir := newData(t)
	st := openSQL(t, dir)
	cs := store.Of[model.Commitment](st, kinds.Commitment)
	for _, c := range []model.Commitment{
		{MadeOn: "2020-01-12", DeadlineDuration: "3m", Visibility: "public", Authority: "Office of the Prime Minister"},
		{MadeOn: "2020-01-12", DeadlineDuration: "1y", Visibility: "internal"},
		{MadeOn: "2020-01-12", DeadlineDuration: "1m", Visibility: "restricted"},
	} {
		c.AuthorityType, c.Kind, c.PromiseEN = "prime_minister", "investigation", "Results"
		if err := cs.Create(context.Background(), "admin", &c); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, out, stderr := run(t, "commitments", "due", "--data", dir, "--today", "2020-04-12")
	if code != 0 || !strings.Contains(out, "0 past their deadline") {
		t.Fatalf("on the day it falls due: %d %q %q", code, out, stderr)
	}
	code, out, stderr = run(t, "commitments", "due", "--data", dir, "--today", "2020-08-12", "--format", "json")
	if code != ExitOverdue {
		t.Fatalf("past it: exit %d, want %d: %s %s", code, ExitOverdue, out, stderr)
	}
	var got struct {
		Overdue []struct {
			Due           string `json:"due"`
			DaysOverdue   int    `json:"days_overdue"`
			MonthsOverdue int    `json:"months_overdue"`
		} `json:"overdue"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// The restricted one counts for no one without --as.
	if len(got.Overdue) != 1 || got.Overdue[0].Due != "2020-04-12" || got.Overdue[0].DaysOverdue != 122 || got.Overdue[0].MonthsOverdue != 4 {
		t.Errorf("%+v", got)
	}
	code, out, _ = run(t, "commitments", "due", "--data", dir, "--today", "2021-02-01")
	if code != ExitOverdue || !strings.Contains(out, "2 past their deadline") || !strings.Contains(out, "Office of the Prime Minister") {
		t.Errorf("text: %d\n%s", code, out)
	}
	if code, _, _ := run(t, "commitments", "due", "--data", dir, "--today", "12/04/2020"); code != 2 {
		t.Errorf("a bad --today: exit %d", code)
	}
	if code, _, _ := run(t, "commitments", "--data", dir); code != 2 {
		t.Errorf("no subcommand: exit %d", code)
	}
}

// The demo has official responses: commitments past their deadline (so
// 'commitments due' exits 3), committees, and judicial tracks of every
// impunity class among its verified murders.
func TestDemoAccountability(t *testing.T) {
	dir := demoData(t, "60")
	code, out, stderr := run(t, "commitments", "due", "--data", dir, "--format", "json")
	var due struct {
		Overdue []map[string]any `json:"overdue"`
	}
	if code != ExitOverdue || json.Unmarshal([]byte(out), &due) != nil || len(due.Overdue) < 2 {
		t.Fatalf("commitments due on the demo: exit %d, %s %s", code, out, stderr)
	}
	code, out, stderr = run(t, "stats", "impunity", "--data", dir, "--format", "json")
	var imp struct {
		Murders  int `json:"murders_at_least"`
		Complete int `json:"complete_impunity"`
		Partial  int `json:"partial_impunity"`
		Justice  int `json:"full_justice"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &imp) != nil || imp.Murders == 0 || imp.Complete == 0 {
		t.Fatalf("stats impunity on the demo: exit %d, %s %s", code, out, stderr)
	}
	st := openSQL(t, dir)
	defer st.Close()
	all := store.ListFilter{Visible: store.Visible{Levels: []string{"public", "internal", "restricted"}}}
	_, committees, err := store.Of[model.Committee](st, kinds.Committee).List(context.Background(), all)
	if err != nil || committees < 2 {
		t.Errorf("%d committees, %v", committees, err)
	}
	_, steps, err := store.Of[model.JudicialStep](st, kinds.JudicialStep).List(context.Background(), all)
	if err != nil || steps < 10 {
		t.Errorf("%d judicial steps, %v", steps, err)
	}
}
