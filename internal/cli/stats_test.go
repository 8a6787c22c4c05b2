package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// statsData is a data directory holding the counting rules' dataset
// (storetest.StatsDataset) and a coordinator, stats-coord, who may see
// its restricted h; it returns the directory and the codes by label.
func statsData(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := newData(t)
	st := openSQL(t, dir)
	defer st.Close()
	if err := st.CreateUser(context.Background(), "test", &model.User{Username: "stats-coord", Role: model.RoleCoordinator, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for l, inc := range storetest.CreateStatsDataset(t, context.Background(), st) {
		codes[l] = inc.Code
	}
	return dir, codes
}

// TestStats counts as stats-coord, who may see every incident of the
// dataset (stats_disclosure_test.go tests the others).
func TestStats(t *testing.T) {
	dir, codes := statsData(t)
	march := []string{"--since", "2020-03-01", "--until", "2020-03-31"}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{march, []string{"At least 6 incidents (7 victims, 5 fatalities) in March 2020; 3 of them have approximate dates.\n",
			"Counted: incidents whose verification is corroborated or verified;"}},
		{append([]string{"--type", "killing,kidnapping", "--governorate", "Baghdad"}, march...),
			[]string{"At least 3 incidents (4 victims, 5 fatalities) of type Killing or Kidnapping or abduction in Baghdad in March 2020; 1 of them has an approximate date.\n"}},
		{append([]string{"--type", "killing", "--type", "kidnapping", "--governorate", "IQ-NI"}, march...),
			[]string{"At least 1 incident (1 victim, 0 fatalities) of type Killing or Kidnapping or abduction in Nineveh in March 2020; 1 of them has an approximate date.\n"}},
		{append([]string{"--role", "journalist", "--outcome", "killed"}, march...),
			[]string{"At least 1 incident (1 victim, 2 fatalities) in March 2020, counting only victims with role journalist and outcome killed.\n"}},
		{append([]string{"--perpetrator", "militia"}, "--since", "2020-01-01"),
			[]string{"At least 1 incident (2 victims, 0 fatalities) since 1 January 2020, attributed to militia or armed group; 1 of them has an approximate date.\n"}},
		{append([]string{"--min-verification", "verified"}, march...), []string{"At least 1 incident (2 victims, 1 fatality) in March 2020.\n",
			"verification is verified;"}},
		{append([]string{"--min-verification", "reported"}, march...), []string{"At least 7 incidents (8 victims, 6 fatalities)"}},
		{[]string{"--since", "2020-06-01", "--until", "2020-06-30"}, []string{"No incidents counted (0 victims, 0 fatalities) in June 2020.\n"}},
		{[]string{"--until", "2020-03-31"}, []string{"At least 7 incidents (8 victims, 6 fatalities) until 31 March 2020; 3 of them"}},
		// The 12 months up to 28 February 2021 begin on 1 March 2020.
		{[]string{"--last", "12m", "--today", "2021-02-28"}, []string{
			"At least 10 incidents (12 victims, 5 fatalities) between 1 March 2020 and 28 February 2021; 7 of them have approximate dates.\n"}},
		{[]string{"--since", "2020-01-01", "--until", "2020-12-31", "--by", "month"}, []string{
			"At least 12 incidents (14 victims, 6 fatalities) in 2020; 8 of them have approximate dates.\n",
			"February 2020                                    1        1           1            0\n",
			"March 2020                                       6        7           5            3\n",
			"April 2020                                       1        2           0            1\n",
			"Not in a single month (dates spanning months)    4        4           0            4\n",
			"Total                                           12       14           6            8\n"}},
		{append([]string{"--by", "governorate"}, march...), []string{"Baghdad      5        6           5            2", "Nineveh      1        1           0            1"}},
		{append([]string{"--lang", "ar", "--type", "killing"}, march...), []string{
			"ما لا يقل عن 3 حوادث (4 ضحايا، 5 قتلى) من نوع قتل في آذار 2020؛ واحدة منها بتاريخ تقريبي.\n"}},
		{append([]string{"--lang", "ar"}, "--since", "2019-10-01"), []string{"ما لا يقل عن 12 حادثة (14 ضحية، 6 قتلى) منذ 1 تشرين الأول 2019؛ 8 منها بتواريخ تقريبية.\n"}},
		// Sorani: the labels are Sorani; the sentences, composed in Go in
		// Arabic and English only, are wholly English.
		{append([]string{"--lang", "ckb", "--by", "governorate", "--type", "killing"}, march...), []string{
			"At least 3 incidents (4 victims, 5 fatalities) of type Killing in March 2020; 1 of them has an approximate date.\n",
			"بەغدا ", "Total "}},
	} {
		code, out, stderr := run(t, append([]string{"stats", "--data", dir, "--viewer", "stats-coord"}, tc.args...)...)
		if code != 0 {
			t.Errorf("stats %v: exit %d: %s", tc.args, code, stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(squash(out), squash(w)) {
				t.Errorf("stats %v: output lacks %q:\n%s", tc.args, w, out)
			}
		}
	}

	// The receipt: every incident of the figure, or the public ones and a
	// count of the rest.
	code, out, _ := run(t, append([]string{"stats", "--data", dir, "--viewer", "stats-coord", "--receipt"}, march...)...)
	lines := strings.Split(out, "\n")
	var listed []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(f[0], "IQ-") {
			listed = append(listed, f[0])
		}
	}
	want := []string{codes["a"], codes["h"], codes["p"], codes["b"], codes["i"], codes["l"]}
	if code != 0 || strings.Join(listed, " ") != strings.Join(want, " ") || !strings.Contains(out, "Receipt: the 6 incidents behind this figure:") {
		t.Errorf("receipt lists %v, want %v:\n%s", listed, want, out)
	}
	if !strings.Contains(squash(out), codes["l"]+" 31 March 2020 (est.) Killing") || !strings.Contains(squash(out), codes["h"]+" March 2020 Kidnapping") {
		t.Errorf("receipt dates:\n%s", out)
	}
	code, out, _ = run(t, append([]string{"stats", "--data", dir, "--viewer", "stats-coord", "--receipt", "--public", "--format", "json"}, march...)...)
	var js struct {
		Statement string
		AtLeast   bool `json:"at_least"`
		Total     struct{ Incidents, Victims, Fatalities, Approximate int }
		Receipt   struct {
			Total, Withheld int
			Incidents       []struct{ Code, Visibility string }
		}
	}
	if err := json.Unmarshal([]byte(out), &js); code != 0 || err != nil {
		t.Fatalf("json: %d %v\n%s", code, err, out)
	}
	if !js.AtLeast || js.Total.Incidents != 6 || js.Total.Victims != 7 || js.Receipt.Total != 6 || js.Receipt.Withheld != 3 ||
		len(js.Receipt.Incidents) != 3 || js.Receipt.Incidents[0].Code != codes["a"] || !strings.HasPrefix(js.Statement, "At least 6 incidents") {
		t.Errorf("json: %+v", js)
	}
	for _, r := range js.Receipt.Incidents {
		if r.Visibility != "public" {
			t.Errorf("the public receipt lists %s (%s)", r.Code, r.Visibility)
		}
	}
	// One row of a breakdown, with its receipt, as CSV.
	code, out, _ = run(t, "stats", "--data", dir, "--viewer", "stats-coord", "--since", "2020-01-01", "--until", "2020-12-31", "--by", "month",
		"--group", "unplaced", "--receipt", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 5 || recs[0][0] != "code" || recs[1][0] != codes["n"] || recs[4][0] != codes["k"] || recs[4][6] != "year" {
		t.Errorf("csv receipt of the unplaced: %d %v\n%s", code, err, out)
	}
	code, out, _ = run(t, "stats", "--data", dir, "--viewer", "stats-coord", "--since", "2020-01-01", "--until", "2020-12-31", "--by", "type", "--format", "csv")
	recs, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 8 || strings.Join(recs[0], ",") != "group,label,incidents_at_least,victims_at_least,fatalities_at_least,approximate" ||
		strings.Join(recs[1][2:], ",") != "12,14,6,8" || strings.Join(recs[7], ",") != "killing,Killing,4,5,6,1" {
		t.Errorf("csv by type: %d %v\n%s", code, err, out)
	}
}

// squash collapses runs of spaces, so tables compare by their cells.
func squash(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return strings.ReplaceAll(s, " \n", "\n")
}

func TestStatsUsage(t *testing.T) {
	dir := t.TempDir() // never opened: every mistake is caught first
	for _, args := range [][]string{
		{"--last", "12m", "--since", "2020-01-01"},
		{"--last", "twelve months"},
		{"--today", "2021-01-01"},
		{"--since", "1 October 2019"},
		{"--since", "2020-02-01", "--until", "2020-01-01"},
		{"--type", "murder"},
		{"--governorate", "Atlantis"},
		{"--role", "poet"},
		{"--min-verification", "disputed"},
		{"--by", "week"},
		{"--group", "killing"},
		{"--format", "xml"},
		{"--lang", "fr"},
		{"killing"},
	} {
		if code, _, stderr := run(t, append([]string{"stats", "--data", dir}, args...)...); code != 2 || stderr == "" {
			t.Errorf("stats %v: exit %d, %q; want a usage error", args, code, stderr)
		}
	}
}
