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
