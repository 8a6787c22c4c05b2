package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/store"
)

// testBlocking: the blocking table of duplicate detection (migrations
// 0040 and 0044, docs/duplicates.md "Blocking") follows every write of an
// incident — create, update, import, merge and unmerge — finds an
// incident by its victims' name keys in any script, by "" when it names
// none and by its type, over the whole span of a month or a year, a
// one-day incident only in a window holding its day, by a day key only
// when its span starts that day, and never holds a restricted incident.
func testBlocking(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	find := func(from, to string, keys ...string) map[string][]string {
		t.Helper()
		bs, err := s.BlockedIncidents(ctx, store.BlockQuery{Admin1: "IQ-DQ", From: from, To: to, Keys: keys})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, b := range bs {
			if b.Place.Admin1 != "IQ-DQ" || b.Date.Start == "" || b.Type == "" {
				t.Errorf("blocked %s: %+v, want its date, place and type", b.ID, b)
			}
			slices.Sort(b.Keys)
			out[b.ID] = b.Keys
		}
		return out
	}
	tahsin := names.BlockKeys("تحسين أسامة") // the keys of Tahsin Osama, Tahseen Usama
	named := Incident()
	named.Victims = []model.Victim{{Role: "journalist", Outcome: "killed", Person: &model.Person{NameLatin: "Tahseen Usama"}}}
	a := mustCreate(t, ctx, s, named)
	unnamed := Incident()
	unnamed.Victims = nil
	b := mustCreate(t, ctx, s, unnamed)
	month := Incident()
	month.Date = model.Date{Start: "2019-12-01", Precision: "month"}
	month.Type = "abduction"
	c := mustCreate(t, ctx, s, month)
	secret := Incident()
	secret.Visibility = model.VisibilityRestricted
	secret.Victims, secret.SummaryEN, secret.SummaryAR, secret.NarrativeEN = nil, "", "", ""
	mustCreate(t, ctx, s, secret)

	killing := store.TypeBlockKey("killing")
	got := find("2019-12-07", "2019-12-09", append([]string{"", killing}, tahsin...)...)
	if want := append([]string{killing}, tahsin...); !slices.Equal(got[a.ID], sorted(want)) {
		t.Errorf("the named incident holds %v, want %v", got[a.ID], sorted(want))
	}
	if !slices.Equal(got[b.ID], []string{"", killing}) {
		t.Errorf("the incident naming no one holds %v, want \"\" and its type", got[b.ID])
	}
	if len(got) != 2 {
		t.Errorf("found %v: want %s and %s only (not the restricted one, nor another type)", got, a.Code, b.Code)
	}
	// A month's incident is found on its last day, by a key of its type.
	if got := find("2019-12-30", "2019-12-31", store.TypeBlockKey("abduction")); len(got) != 1 || got[c.ID] == nil {
		t.Errorf("on 30 December: %v, want %s", got, c.Code)
	}
	if got := find("2020-01-02", "2020-01-03", store.TypeBlockKey("abduction")); len(got) != 0 {
		t.Errorf("in January: %v, want none", got)
	}
	if got := find("2019-12-09", "2019-12-10", killing); len(got) != 0 {
		t.Errorf("the day after the killings: %v, want none", got)
	}
	if got := find("2019-11-20", "2019-12-07", killing); len(got) != 0 {
		t.Errorf("the days before the killings: %v, want none", got)
	}
	// An incident naming very many victims asks more keys than one query
	// has arms: several keys an arm.
	many := []string{killing}
	for i := range 600 {
		many = append(many, fmt.Sprintf("zz%d", i))
	}
	if got := find("2019-12-07", "2019-12-09", many...); len(got) != 2 || got[a.ID] == nil || got[b.ID] == nil {
		t.Errorf("601 keys: %v, want %s and %s", got, a.Code, b.Code)
	}
	// Alike keeps those of the type, of the district, within the
	// distance, or dated to the day, as asked.
	alike := func(a store.Alike) int {
		t.Helper()
		bs, err := s.BlockedIncidents(ctx, store.BlockQuery{Admin1: "IQ-DQ", From: "2019-12-07", To: "2019-12-09",
			Keys: []string{"", killing}, Alike: &a})
		if err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}
	near, far, east := *named.Place.Lat+0.03, *named.Place.Lat+0.06, *named.Place.Lon+0.05
	for _, c := range []struct {
		a    store.Alike
		want int
	}{
		{store.Alike{Type: "arrest", District: "IQG17Q09", Km: 5}, 0},
		{store.Alike{Type: "killing", District: "IQG17Q09", Km: 5}, 2},
		{store.Alike{Type: "arrest", District: "IQG17Q04", Km: 5}, 2},
		{store.Alike{Type: "arrest", Km: 5, Days: true}, 2},
		{store.Alike{Type: "arrest", Lat: &near, Lon: named.Place.Lon, Km: 5}, 2}, // 3.3 km north
		{store.Alike{Type: "arrest", Lat: &far, Lon: named.Place.Lon, Km: 5}, 0},  // 6.7 km north
		{store.Alike{Type: "arrest", Lat: named.Place.Lat, Lon: &east, Km: 5}, 2}, // 4.6 km east
		{store.Alike{Type: "arrest", Lat: named.Place.Lat, Lon: &east, Km: 4}, 0},
	} {
		if got := alike(c.a); got != c.want {
			t.Errorf("alike %+v: %d, want %d", c.a, got, c.want)
		}
	}
	onDay := func(day string, keys ...string) map[string]bool {
		t.Helper()
		bs, err := s.BlockedIncidents(ctx, store.BlockQuery{Admin1: "IQ-DQ", From: "2019-11-01", To: "2020-01-31",
			DayKeys: keys, Day: day})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, b := range bs {
			out[b.ID] = true
		}
		return out
	}
	if got := onDay("2019-12-08", killing); len(got) != 2 || !got[a.ID] || !got[b.ID] {
		t.Errorf("the killings' day key on their day: %v, want %s and %s", got, a.Code, b.Code)
	}
	if got := onDay("2019-12-07", killing); len(got) != 0 {
		t.Errorf("the killings' day key the day before: %v, want none", got)
	}
	if got := onDay("2019-12-01", store.TypeBlockKey("abduction")); len(got) != 1 || !got[c.ID] {
		t.Errorf("the month's day key on its first day: %v, want %s", got, c.Code)
	}
	if got := onDay("2019-12-02", store.TypeBlockKey("abduction")); len(got) != 0 {
		t.Errorf("the month's day key on its second day: %v, want none", got)
	}

	// An update replaces the rows: another victim, then restricted.
	stored, err := s.GetIncident(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored.Victims = []model.Victim{{Role: "journalist", Outcome: "killed", Person: &model.Person{NameLatin: "Ali Hassan"}}}
	if err := s.UpdateIncident(ctx, "tester", stored); err != nil {
		t.Fatal(err)
	}
	if got := find("2019-12-08", "2019-12-08", tahsin...); len(got) != 0 {
		t.Errorf("after the update, Tahsin's keys find %v", got)
	}
	if got := find("2019-12-08", "2019-12-08", names.BlockKeys("علي حسن")...); got[a.ID] == nil {
		t.Errorf("after the update, Ali Hassan's keys find %v", got)
	}

	// Merged away: not a candidate; unmerged: again.
	if _, err := s.MergeIncidents(ctx, "analyst", b.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := find("2019-12-08", "2019-12-08", ""); got[b.ID] != nil {
		t.Errorf("a merged incident is blocked: %v", got)
	}
	if err := s.UnmergeIncident(ctx, "analyst", b.ID); err != nil {
		t.Fatal(err)
	}
	if got := find("2019-12-08", "2019-12-08", ""); got[b.ID] == nil {
		t.Errorf("an unmerged incident is not blocked: %v", got)
	}

	// An import writes them too, for a year's incident in every month.
	year := Incident()
	year.Date = model.Date{Start: "2019-01-01", Precision: "year"}
	year.Type = "arrest"
	year.External = &model.External{System: "test", ID: "block-1"}
	if _, err := s.ImportIncidents(ctx, "importer", []model.Incident{year}, nil); err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2019-01-01", "2019-06-15", "2019-12-31"} {
		if got := find(day, day, store.TypeBlockKey("arrest")); len(got) != 1 {
			t.Errorf("the imported year on %s: %v, want it", day, got)
		}
	}

	// The victims' compared names, without reading the incidents.
	got2, err := s.VictimNames(ctx, []string{a.ID, b.ID, c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got2[a.ID], []string{"Ali Hassan"}) || got2[b.ID] != nil || len(got2[c.ID]) != 2 {
		t.Errorf("VictimNames = %v, want Ali Hassan for %s, none for %s, two for %s", got2, a.Code, b.Code, c.Code)
	}
	// Every incident the table holds, with its perpetrators' types and its
	// victims' compared names, without reading the incidents.
	each, perps := map[string][]string{}, map[string][]string{}
	if err := s.EachBlocked(ctx, func(b *store.Blocked, victims []string) error {
		if _, ok := each[b.ID]; ok {
			t.Errorf("EachBlocked gave %s twice", b.ID)
		}
		if b.Place.Admin1 != "IQ-DQ" || b.Date.Start == "" || b.Type == "" {
			t.Errorf("EachBlocked %s: %+v, want its date, place and type", b.ID, b)
		}
		each[b.ID], perps[b.ID] = append([]string{}, victims...), b.Perps
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(each) != 4 || !slices.Equal(each[a.ID], []string{"Ali Hassan"}) || each[b.ID] == nil || len(each[b.ID]) != 0 ||
		!slices.Equal(each[c.ID], []string{"Amjad al-Dahamat", "Zainab Mustafa"}) {
		t.Errorf("EachBlocked = %v, want 4 incidents (not the restricted one) and their victims' names", each)
	}
	if !slices.Equal(perps[c.ID], []string{"unidentified_gunmen"}) {
		t.Errorf("EachBlocked gave %s the perpetrators %v, want unidentified_gunmen", c.Code, perps[c.ID])
	}
}

// testVictimNamesSealed: the incident's victims' names
// (incident_victim_names, migration 0045), which VictimNames and
// EachBlocked read, follow a victim renamed after the incident was
// stored, and lose a victim sealed, while the incident stays internal.
func testVictimNamesSealed(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	rs := memberSealer(t, ctx, s)
	p := model.Person{NameLatin: "Laterseal Hidden", NameAR: "مختوم لاحقا", Visibility: model.VisibilityInternal}
	if err := s.Persons().Create(ctx, "doc", &p); err != nil {
		t.Fatal(err)
	}
	inc := Incident()
	inc.Victims = append(inc.Victims[:1], model.Victim{PersonID: p.ID, Role: "activist", Outcome: "killed"})
	if err := s.CreateIncident(ctx, "doc", &inc); err != nil {
		t.Fatal(err)
	}
	each := func() []string {
		t.Helper()
		var got []string
		if err := s.EachBlocked(ctx, func(b *store.Blocked, victims []string) error {
			if b.ID == inc.ID {
				got = append([]string{}, victims...)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := []string{"Amjad al-Dahamat", "Laterseal Hidden"}
	if got, err := s.VictimNames(ctx, []string{inc.ID}); err != nil || !slices.Equal(got[inc.ID], want) {
		t.Fatalf("before sealing, VictimNames = %v, %v; want %v (the test needs it)", got, err, want)
	}
	if got := each(); !slices.Equal(got, want) {
		t.Fatalf("before sealing, EachBlocked gave %v, want %v (the test needs it)", got, want)
	}
	// Renamed: the names follow.
	p.NameLatin = "Laterseal Renamed"
	if err := s.Persons().Update(ctx, "doc", &p); err != nil {
		t.Fatal(err)
	}
	want = []string{"Amjad al-Dahamat", "Laterseal Renamed"}
	if got, err := s.VictimNames(ctx, []string{inc.ID}); err != nil || !slices.Equal(got[inc.ID], want) {
		t.Errorf("after renaming the victim, VictimNames = %v, %v; want %v", got, err, want)
	}
	if got := each(); !slices.Equal(got, want) {
		t.Errorf("after renaming the victim, EachBlocked gave %v, want %v", got, want)
	}
	// And so do the incident's search text and blocking keys: found by
	// the new name, no longer by the old one.
	found := func(q string) bool {
		t.Helper()
		hits, err := s.SearchIncidents(ctx, q, 50)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(hits, func(h store.IncidentHit) bool { return h.ID == inc.ID })
	}
	if !found("Renamed") || found("Hidden") {
		t.Errorf("after renaming the victim, search finds the incident by the new name %v, by the old one %v; want true, false",
			found("Renamed"), found("Hidden"))
	}
	blockedBy := func(name string) bool {
		t.Helper()
		bs, err := s.BlockedIncidents(ctx, store.BlockQuery{Admin1: inc.Place.Admin1, From: inc.Date.Start, To: inc.Date.Start,
			Keys: names.BlockKeys(name)})
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(bs, func(b store.Blocked) bool { return b.ID == inc.ID })
	}
	if !blockedBy("Renamed") || blockedBy("Hidden") {
		t.Errorf("after renaming the victim, the blocking table finds the incident by the new name %v, by the old one %v; want true, false",
			blockedBy("Renamed"), blockedBy("Hidden"))
	}
	p.Visibility = model.VisibilityRestricted
	if err := rs.Person(&p); err != nil {
		t.Fatal(err)
	}
	if err := s.Persons().Update(ctx, "rana", &p); err != nil {
		t.Fatal(err)
	}
	want = want[:1]
	if got, err := s.VictimNames(ctx, []string{inc.ID}); err != nil || !slices.Equal(got[inc.ID], want) {
		t.Errorf("after sealing the victim, VictimNames = %v, %v; want %v", got, err, want)
	}
	if got := each(); !slices.Equal(got, want) {
		t.Errorf("after sealing the victim, EachBlocked gave %v, want %v", got, want)
	}
	var n int
	if err := o.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_victim_names WHERE names LIKE '%Laterseal%' OR names LIKE '%مختوم%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("incident_victim_names holds the sealed victim's name in %d rows (%v)", n, err)
	}
}

func sorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}
