package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// StatsIncident is one incident of the statistics dataset, written so that
// every counting rule changes some answer. Victims are "role outcome" or
// "role outcome PERSON": victims naming the same PERSON are one person.
type StatsIncident struct {
	Label, Type, Admin1, Start, End, Precision string
	Estimated                                  bool
	Verification, MergedInto, Visibility       string // MergedInto is a label
	Victims                                    []string
	Fatalities                                 int
	Perpetrators                               []string // default unidentified_gunmen
}

// StatsDataset is the hand-built dataset of the counting rules, in the
// order it is created. All dates are in 2020. In short: a, b, h, i, l, p
// are March; c is only reported; d is disputed, e rejected; f duplicates
// a; g is April (month precision); h is a month stored as one mid-March
// day; j and n are weeks crossing into April; k is a year stored as one
// June day; l is estimated, with fatalities but no known victim; m is 29
// February; p lists one person twice; r is a week stored as its first day,
// 27 March, so it ends on 2 April; P is a person hit in both i and g.
func StatsDataset() []StatsIncident {
	return []StatsIncident{
		{Label: "a", Type: "killing", Admin1: "IQ-BG", Start: "2020-03-01", Precision: "day", Verification: "verified",
			Visibility: "public", Victims: []string{"activist killed", "journalist injured"}, Fatalities: 1},
		{Label: "b", Type: "killing", Admin1: "IQ-BG", Start: "2020-03-20", Precision: "day", Verification: "corroborated",
			Visibility: "internal", Victims: []string{"journalist killed", "activist killed"}, Fatalities: 2,
			Perpetrators: []string{"security_forces"}},
		{Label: "c", Type: "killing", Admin1: "IQ-BA", Start: "2020-03-05", Precision: "day", Verification: "reported",
			Visibility: "public", Victims: []string{"activist killed"}, Fatalities: 1},
		{Label: "d", Type: "killing", Admin1: "IQ-BG", Start: "2020-03-12", Precision: "day", Verification: "disputed",
			Visibility: "public", Victims: []string{"activist killed"}, Fatalities: 1},
		{Label: "e", Type: "killing", Admin1: "IQ-BG", Start: "2020-03-13", Precision: "day", Verification: "rejected",
			Visibility: "public", Victims: []string{"activist killed"}, Fatalities: 1},
		{Label: "f", Type: "killing", Admin1: "IQ-BG", Start: "2020-03-01", Precision: "day", Verification: "verified",
			MergedInto: "a", Visibility: "public", Victims: []string{"activist killed"}, Fatalities: 1},
		{Label: "i", Type: "attempted_killing", Admin1: "IQ-BG", Start: "2020-03-23", End: "2020-03-29", Precision: "week",
			Verification: "corroborated", Visibility: "public", Victims: []string{"activist injured P"}},
		{Label: "g", Type: "kidnapping", Admin1: "IQ-BG", Start: "2020-04-01", End: "2020-04-30", Precision: "month",
			Verification: "corroborated", Visibility: "public", Victims: []string{"activist abducted", "activist released P"},
			Perpetrators: []string{"militia", "unidentified_gunmen"}},
		{Label: "h", Type: "kidnapping", Admin1: "IQ-NI", Start: "2020-03-10", End: "2020-03-10", Precision: "month",
			Verification: "corroborated", Visibility: "restricted", Victims: []string{"journalist abducted"}},
		{Label: "j", Type: "attempted_killing", Admin1: "IQ-NA", Start: "2020-03-30", End: "2020-04-05", Precision: "week",
			Verification: "corroborated", Visibility: "internal", Victims: []string{"lawyer unharmed"}},
		{Label: "k", Type: "death_threat", Admin1: "IQ-BG", Start: "2020-06-15", End: "2020-06-15", Precision: "year",
			Verification: "verified", Visibility: "public", Victims: []string{"hrd unharmed"}},
		{Label: "l", Type: "killing", Admin1: "IQ-BG", Start: "2020-03-31", Precision: "day", Estimated: true,
			Verification: "corroborated", Visibility: "public", Fatalities: 2},
		{Label: "m", Type: "killing", Admin1: "IQ-BG", Start: "2020-02-29", Precision: "day", Verification: "verified",
			Visibility: "public", Victims: []string{"activist killed"}, Fatalities: 1},
		{Label: "n", Type: "arbitrary_detention", Admin1: "IQ-BG", Start: "2020-03-26", End: "2020-04-01", Precision: "week",
			Verification: "corroborated", Visibility: "public", Victims: []string{"journalist released"}},
		{Label: "p", Type: "assault", Admin1: "IQ-BG", Start: "2020-03-10", Precision: "day", Verification: "corroborated",
			Visibility: "internal", Victims: []string{"activist injured X", "journalist injured X"}},
		{Label: "r", Type: "death_threat", Admin1: "IQ-BG", Start: "2020-03-27", End: "2020-03-27", Precision: "week",
			Verification: "corroborated", Visibility: "public", Victims: []string{"activist unharmed"}},
	}
}

// CreateStatsDataset stores StatsDataset in s and returns the stored
// incidents by label.
func CreateStatsDataset(t testing.TB, ctx context.Context, s store.Store) map[string]model.Incident {
	t.Helper()
	persons := map[string]string{} // person label → id
	out := map[string]model.Incident{}
	for _, d := range StatsDataset() {
		inc := model.Incident{Type: d.Type, Date: model.Date{Start: d.Start, End: d.End, Precision: d.Precision, Estimated: d.Estimated},
			Place: model.Place{Country: "IQ", Admin1: d.Admin1}, Fatalities: d.Fatalities, Verification: d.Verification,
			Visibility: d.Visibility, SummaryEN: "Statistics case " + d.Label}
		if d.MergedInto != "" {
			inc.MergedInto = out[d.MergedInto].ID
		}
		perps := d.Perpetrators
		if len(perps) == 0 {
			perps = []string{"unidentified_gunmen"}
		}
		for _, p := range perps {
			inc.Perpetrators = append(inc.Perpetrators, model.Perpetrator{Type: p})
		}
		for i, v := range d.Victims {
			f := strings.Fields(v)
			vic := model.Victim{Role: f[0], Outcome: f[1]}
			if len(f) == 3 && persons[f[2]] == "" {
				p := model.Person{NameLatin: "Person " + f[2], Visibility: "internal"}
				if err := s.Persons().Create(ctx, "tester", &p); err != nil {
					t.Fatal(err)
				}
				persons[f[2]] = p.ID
			}
			if len(f) == 3 {
				vic.PersonID = persons[f[2]]
			} else {
				vic.Person = &model.Person{NameLatin: fmt.Sprintf("Victim %s%d", d.Label, i+1), Visibility: "internal"}
			}
			inc.Victims = append(inc.Victims, vic)
		}
		if err := s.CreateIncident(ctx, "tester", &inc); err != nil {
			t.Fatalf("incident %s: %v", d.Label, err)
		}
		out[d.Label] = inc
	}
	return out
}

// StatsFigure is an expected figure: incidents, victims, fatalities,
// approximate.
type StatsFigure [4]int

// StatsCase is a query over StatsDataset with its answer, worked out by
// hand from the dataset (not by any code): the counted incidents' labels
// in receipt order (date, then creation), the total, and the groups.
type StatsCase struct {
	Name     string
	Query    stats.Query
	Receipt  string // labels, oldest first
	Total    StatsFigure
	Groups   map[string]StatsFigure // with Query.By; "" is the unplaced
	Public   string                 // with a public-only receipt: the labels listed ("" to skip)
	Withheld int
}

var (
	march = stats.Between("2020-03-01", "2020-03-31")
	y2020 = stats.Between("2020-01-01", "2020-12-31")
)

// StatsCases are the contract's questions. Default threshold
// (corroborated) counts a b g h i j k l m n p r; periods: a 1 Mar; b 20
// Mar; c 5 Mar; g April; h March; i 23–29 Mar; j 30 Mar–5 Apr; k 2020; l
// 31 Mar; m 29 Feb; n 26 Mar–1 Apr; p 10 Mar; r 27 Mar–2 Apr.
var StatsCases = []StatsCase{
	// a, b, h, i, l, p; not r (its week ends 2 April), n (1 April), m (29
	// February). Victims 2+2+1+1+0+1 (p's person once); fatalities
	// 1+2+2; approximate h (month), i (week), l (estimated).
	{Name: "March", Query: stats.Query{Window: march}, Receipt: "a h p b i l", Total: StatsFigure{6, 7, 5, 3},
		Public: "a i l", Withheld: 3},
	{Name: "March, reported counts", Query: stats.Query{Window: march, MinVerification: "reported"},
		Receipt: "a c h p b i l", Total: StatsFigure{7, 8, 6, 3}},
	// f (verified) is a's duplicate; k is a year, m February.
	{Name: "March, verified only", Query: stats.Query{Window: march, MinVerification: "verified"},
		Receipt: "a", Total: StatsFigure{1, 2, 1, 0}},
	// h is a month: its period ends 31 March.
	{Name: "first half of March", Query: stats.Query{Window: stats.Between("2020-03-01", "2020-03-15")},
		Receipt: "a p", Total: StatsFigure{2, 3, 1, 0}},
	// h's month starts before 5 March.
	{Name: "from 5 March", Query: stats.Query{Window: stats.Between("2020-03-05", "2020-03-31")},
		Receipt: "p b i l", Total: StatsFigure{4, 4, 4, 2}},
	{Name: "June: a year stored as one June day is not in June", Query: stats.Query{Window: stats.Between("2020-06-01", "2020-06-30")},
		Receipt: "", Total: StatsFigure{0, 0, 0, 0}},
	{Name: "2020", Query: stats.Query{Window: y2020}, Receipt: "m a h p b i n r j l g k", Total: StatsFigure{12, 14, 6, 8}},
	{Name: "2020, verified", Query: stats.Query{Window: y2020, MinVerification: "verified"}, Receipt: "m a k", Total: StatsFigure{3, 4, 2, 1}},
	{Name: "2020, reported", Query: stats.Query{Window: y2020, MinVerification: "reported"},
		Receipt: "m a c h p b i n r j l g k", Total: StatsFigure{13, 15, 7, 8}},
	// Not m (February) nor k (its year began in January).
	{Name: "since 1 March", Query: stats.Query{Window: stats.Since("2020-03-01")},
		Receipt: "a h p b i n r j l g", Total: StatsFigure{10, 12, 5, 7}},
	{Name: "until 31 March", Query: stats.Query{Window: stats.Until("2020-03-31")},
		Receipt: "m a h p b i l", Total: StatsFigure{7, 8, 6, 3}},
	{Name: "by month", Query: stats.Query{Window: y2020, By: stats.ByMonth}, Receipt: "m a h p b i n r j l g k",
		Total: StatsFigure{12, 14, 6, 8}, Groups: map[string]StatsFigure{
			"2020-02": {1, 1, 1, 0}, "2020-03": {6, 7, 5, 3}, "2020-04": {1, 2, 0, 1}, "": {4, 4, 0, 4}}},
	{Name: "unplaced months", Query: stats.Query{Window: y2020, By: stats.ByMonth}.InGroup(""), Receipt: "n r j k",
		Total: StatsFigure{4, 4, 0, 4}, Groups: map[string]StatsFigure{"": {4, 4, 0, 4}}},
	{Name: "one month of a breakdown", Query: stats.Query{Window: y2020, By: stats.ByMonth}.InGroup("2020-03"),
		Receipt: "a h p b i l", Total: StatsFigure{6, 7, 5, 3}, Groups: map[string]StatsFigure{"2020-03": {6, 7, 5, 3}}},
	{Name: "by type", Query: stats.Query{Window: y2020, By: stats.ByType}, Receipt: "m a h p b i n r j l g k",
		Total: StatsFigure{12, 14, 6, 8}, Groups: map[string]StatsFigure{
			"arbitrary_detention": {1, 1, 0, 1}, "assault": {1, 1, 0, 0}, "attempted_killing": {2, 2, 0, 2},
			"death_threat": {2, 2, 0, 2}, "kidnapping": {2, 3, 0, 2}, "killing": {4, 5, 6, 1}}},
	{Name: "by governorate", Query: stats.Query{Window: y2020, By: stats.ByGovernorate}, Receipt: "m a h p b i n r j l g k",
		Total: StatsFigure{12, 14, 6, 8}, Groups: map[string]StatsFigure{
			"IQ-BG": {10, 12, 6, 6}, "IQ-NA": {1, 1, 0, 1}, "IQ-NI": {1, 1, 0, 1}}},
	{Name: "kidnappings by month", Query: stats.Query{Window: y2020, Types: []string{"kidnapping"}, By: stats.ByMonth},
		Receipt: "h g", Total: StatsFigure{2, 3, 0, 2}, Groups: map[string]StatsFigure{"2020-03": {1, 1, 0, 1}, "2020-04": {1, 2, 0, 1}}},
	{Name: "Baghdad, March", Query: stats.Query{Window: march, Governorates: []string{"IQ-BG"}},
		Receipt: "a p b i l", Total: StatsFigure{5, 6, 5, 2}},
	{Name: "killings and kidnappings, March", Query: stats.Query{Window: march, Types: []string{"killing", "kidnapping"}},
		Receipt: "a h b l", Total: StatsFigure{4, 5, 5, 2}},
	// Only the journalists are counted as victims.
	{Name: "journalists, March", Query: stats.Query{Window: march, Roles: []string{"journalist"}},
		Receipt: "a h p b", Total: StatsFigure{4, 4, 3, 1}, Public: "a", Withheld: 3},
	// l has fatalities but no victim known to have been killed.
	{Name: "killed, March", Query: stats.Query{Window: march, Outcomes: []string{"killed"}},
		Receipt: "a b", Total: StatsFigure{2, 3, 3, 0}},
	// a has a journalist (injured) and someone killed, but no journalist killed.
	{Name: "journalists killed, March", Query: stats.Query{Window: march, Roles: []string{"journalist"}, Outcomes: []string{"killed"}},
		Receipt: "b", Total: StatsFigure{1, 1, 2, 0}},
	// P is hit in i and in g: once in each.
	{Name: "activists, attempts and kidnappings", Query: stats.Query{Window: y2020, Roles: []string{"activist"},
		Types: []string{"attempted_killing", "kidnapping"}}, Receipt: "i g", Total: StatsFigure{2, 3, 0, 2}},
	{Name: "militia", Query: stats.Query{Window: y2020, Perpetrators: []string{"militia"}}, Receipt: "g", Total: StatsFigure{1, 2, 0, 1}},
	{Name: "security forces, March", Query: stats.Query{Window: march, Perpetrators: []string{"security_forces"}},
		Receipt: "b", Total: StatsFigure{1, 2, 2, 0}},
}

func testStats(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	byLabel := CreateStatsDataset(t, ctx, s)
	label := map[string]string{} // code → label
	for l, inc := range byLabel {
		label[inc.Code] = l
	}
	for _, tc := range StatsCases {
		tc.Query.Reader = seeAll // h is restricted; statsreader.go tests other readers
		res, err := stats.Count(ctx, s, tc.Query)
		if err != nil {
			t.Errorf("%s: %v", tc.Name, err)
			continue
		}
		if got := figure(res.Total); got != tc.Total {
			t.Errorf("%s: total %v, want %v (incidents, victims, fatalities, approximate)", tc.Name, got, tc.Total)
		}
		got := map[string]StatsFigure{}
		for _, g := range res.Groups {
			got[g.Key] = figure(g.Figure)
		}
		if res.Unplaced != (stats.Figure{}) {
			got[""] = figure(res.Unplaced)
		}
		if tc.Query.By != "" && fmt.Sprint(got) != fmt.Sprint(tc.Groups) {
			t.Errorf("%s: groups %v, want %v", tc.Name, got, tc.Groups)
		}
		rc, err := stats.Receipt(ctx, s, tc.Query, seeAll, 0, 0)
		if err != nil {
			t.Errorf("%s: receipt: %v", tc.Name, err)
			continue
		}
		if got := labels(rc, label); got != tc.Receipt || rc.Total != tc.Total[0] || rc.Withheld != 0 {
			t.Errorf("%s: receipt %q (total %d, withheld %d), want %q (total %d)", tc.Name, got, rc.Total, rc.Withheld, tc.Receipt, tc.Total[0])
		}
		victims, fatalities := 0, 0
		for _, r := range rc.Incidents {
			victims, fatalities = victims+r.Victims, fatalities+r.Fatalities
		}
		if victims != tc.Total[1] || fatalities != tc.Total[2] {
			t.Errorf("%s: the receipt adds up to %d victims and %d fatalities, want %d and %d", tc.Name, victims, fatalities, tc.Total[1], tc.Total[2])
		}
		if tc.Public != "" {
			rc, err := stats.Receipt(ctx, s, tc.Query, store.Visible{Levels: []string{"public"}}, 0, 0)
			if got := labels(rc, label); err != nil || got != tc.Public || rc.Total != tc.Total[0] || rc.Withheld != tc.Withheld {
				t.Errorf("%s: public receipt %q (total %d, withheld %d), %v; want %q (total %d, withheld %d)",
					tc.Name, got, rc.Total, rc.Withheld, err, tc.Public, tc.Total[0], tc.Withheld)
			}
		}
	}

	// Pages of a receipt, and what a receipt row says.
	q := stats.Query{Window: y2020, Reader: seeAll}
	rc, err := stats.Receipt(ctx, s, q, seeAll, 3, 2)
	if got := labels(rc, label); err != nil || got != "h p b" || rc.Total != 12 {
		t.Errorf("receipt page 2 of 3 rows: %q (total %d), %v; want \"h p b\" (total 12)", got, rc.Total, err)
	}
	if h := rc.Incidents[0]; h.ID != byLabel["h"].ID || h.Type != "kidnapping" || h.Admin1 != "IQ-NI" || h.Verification != "corroborated" ||
		h.Visibility != "restricted" || h.Date != (model.Date{Start: "2020-03-10", End: "2020-03-10", Precision: "month"}) || h.Victims != 1 {
		t.Errorf("receipt row of h = %+v", h)
	}
	if rc, _ := stats.Receipt(ctx, s, q, store.Visible{}, 0, 0); len(rc.Incidents) != 0 || rc.Withheld != 12 {
		t.Errorf("a receipt for a reader who may see nothing listed %d incidents (withheld %d)", len(rc.Incidents), rc.Withheld)
	}
	own := store.Visible{Levels: []string{"public"}, OwnedBy: "tester"}
	if rc, _ := stats.Receipt(ctx, s, stats.Query{Window: march, Reader: own}, own, 0, 0); labels(rc, label) != "a h i l" || rc.Withheld != 2 {
		t.Errorf("receipt with own restricted records = %q (withheld %d), want \"a h i l\" (withheld 2)", labels(rc, label), rc.Withheld)
	}

	// The store refuses what it cannot answer, and counts nothing without
	// a status to count.
	if _, err := s.CountIncidents(ctx, store.CountQuery{Verification: []string{"verified"}, By: "colour"}); err == nil {
		t.Error("grouping by an unknown key was accepted")
	}
	if rows, err := s.CountIncidents(ctx, store.CountQuery{}); err != nil || len(rows) != 1 || rows[0] != (store.CountRow{}) {
		t.Errorf("count without statuses = %+v, %v; want one empty row", rows, err)
	}
}

func figure(f stats.Figure) StatsFigure {
	return StatsFigure{f.Incidents, f.Victims, f.Fatalities, f.Approximate}
}

func labels(rc store.Receipt, label map[string]string) string {
	var out []string
	for _, r := range rc.Incidents {
		out = append(out, label[r.Code])
	}
	return strings.Join(out, " ")
}
