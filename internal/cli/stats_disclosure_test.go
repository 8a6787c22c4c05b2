package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// The filter-narrowing attack on `rasd stats` (docs/counting.md, "What a
// figure may reveal"): without --viewer, or --viewer someone who may not see a
// restricted incident, every figure and receipt is the same whether it
// exists or not; --viewer its author or a coordinator counts it.
func TestStatsRestrictedNotInferable(t *testing.T) {
	dir, _ := statsData(t)
	st := openSQL(t, dir)
	ctx := context.Background()
	for name, role := range map[string]string{"st-owner": model.RoleDocumenter, "st-doc": model.RoleDocumenter,
		"st-analyst": model.RoleAnalyst, "st-coord": model.RoleCoordinator} {
		if err := st.CreateUser(ctx, "test", &model.User{Username: name, Role: role, Lang: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	filters := [][]string{{"--type", "torture"}, {"--governorate", "IQ-DQ"}, {"--perpetrator", "tribal"},
		{"--role", "lawyer"}, {"--outcome", "missing"}}
	sets := [][]string{nil, {"--type", "torture", "--governorate", "IQ-DQ", "--perpetrator", "tribal", "--role", "lawyer", "--outcome", "missing"}}
	sets = append(sets, filters...)
	var queries [][]string
	for _, w := range [][]string{{"--last", "all"}, {"--since", "2020-05-14", "--until", "2020-05-14"}, {"--since", "2020-05-01", "--until", "2020-05-31"}} {
		for _, s := range sets {
			queries = append(queries, append(append([]string{}, s...), w...))
		}
	}
	for _, by := range []string{"type", "governorate", "month"} {
		queries = append(queries, []string{"--since", "2020-01-01", "--by", by})
	}
	readers := [][]string{nil, {"--viewer", "st-doc"}, {"--viewer", "st-analyst"}}
	outputs := func(reader []string) map[string]string {
		out := map[string]string{}
		for _, q := range queries {
			args := append(append([]string{"stats", "--data", dir, "--format", "json", "--receipt"}, reader...), q...)
			code, stdout, stderr := run(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			out[strings.Join(q, " ")] = stdout
		}
		return out
	}
	before := map[string]map[string]string{}
	for _, r := range readers {
		before[strings.Join(r, " ")] = outputs(r)
	}
	torture := func(reader ...string) int {
		code, stdout, stderr := run(t, append([]string{"stats", "--data", dir, "--format", "json", "--last", "all", "--type", "torture"}, reader...)...)
		var js struct{ Total struct{ Incidents int } }
		if err := json.Unmarshal([]byte(stdout), &js); code != 0 || err != nil {
			t.Fatalf("stats %v: %d %v %s", reader, code, err, stderr)
		}
		return js.Total.Incidents
	}

	st = openSQL(t, dir)
	r := &model.Incident{Type: "torture", Date: model.Date{Start: "2020-05-14", End: "2020-05-14", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-DQ"}, Verification: "corroborated", Visibility: model.VisibilityRestricted,
		Perpetrators: []model.Perpetrator{{Type: "tribal"}},
		Victims:      []model.Victim{{Role: "lawyer", Outcome: "missing", Person: &model.Person{NameLatin: "R", Visibility: model.VisibilityInternal}}}}
	if err := st.CreateIncident(ctx, "st-owner", r); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for _, rd := range readers {
		after := outputs(rd)
		differ := 0
		for q, was := range before[strings.Join(rd, " ")] {
			if after[q] != was {
				if differ++; differ <= 3 {
					t.Errorf("stats %v %s: the output changed when a restricted incident was recorded:\n%s\nthen:\n%s", rd, q, was, after[q])
				}
			}
			if strings.Contains(after[q], r.Code) {
				t.Errorf("stats %v %s: names the restricted incident", rd, q)
			}
		}
		if differ > 0 {
			t.Errorf("stats %v: %d of %d outputs changed", rd, differ, len(queries))
		}
	}
	for _, who := range []string{"st-owner", "st-coord"} {
		if n := torture("--viewer", who); n != 1 {
			t.Errorf("stats --viewer %s: %d tortures, want 1 (the restricted incident they may see)", who, n)
		}
	}
	if code, _, stderr := run(t, "stats", "--data", dir, "--viewer", "nobody-here"); code == 0 || !strings.Contains(stderr, "nobody-here") {
		t.Errorf("stats --viewer an unknown account: exit %d, %s", code, stderr)
	}
}
