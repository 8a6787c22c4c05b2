package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// testSearchWhatPeopleType runs the searches of issue 16 (docs/search.md):
// a name in another spelling or script, an English word in another form,
// an Arabic word with clitics or a plural ending, a place named in the
// other script than the record's, an external id; and refuses a query of
// only punctuation or only diacritics.
func testSearchWhatPeopleType(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	with := func(summaryEN, summaryAR, admin1, district string, victims ...string) model.Incident {
		inc := Incident()
		inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN = summaryEN, summaryAR, ""
		inc.Place = model.Place{Country: "IQ", Admin1: admin1, District: district}
		inc.Victims = nil
		for _, v := range victims {
			p := &model.Person{NameLatin: v}
			if v != "" && v[0] >= 0x80 {
				p = &model.Person{NameAR: v}
			}
			inc.Victims = append(inc.Victims, model.Victim{Role: "journalist", Outcome: "killed", Person: p})
		}
		return mustCreate(t, ctx, s, inc)
	}
	latin := with("A reporter was shot dead.", "", "IQ-BG", "", "Tahsin Osama")
	arabic := with("", "اغتيال صحفي", "IQ-NI", "", "تحسين أسامة")
	other := with("A reporter was shot.", "", "IQ-KA", "", "Tahseen Usama")
	hassan := with("A reporter was shot.", "", "IQ-KA", "", "Hassan Ali")
	kidnap := Incident()
	kidnap.Type, kidnap.SummaryEN, kidnap.SummaryAR, kidnap.NarrativeEN = "kidnapping", "Two men abducted outside their home.", "", ""
	kidnap.Place = model.Place{Country: "IQ", Admin1: "IQ-BA"}
	kidnap.Victims = nil
	kidnap = mustCreate(t, ctx, s, kidnap)
	activists := with("", "اعتقال ناشطين في البصرة", "IQ-BA", "")
	acled := Incident()
	acled.External = &model.External{System: "acled", ID: "IRQ12345"}
	acled.Victims, acled.SummaryEN, acled.SummaryAR, acled.NarrativeEN = nil, "Clashes.", "", ""
	acled = mustCreate(t, ctx, s, acled)

	for q, want := range map[string][]model.Incident{
		"Tahseen":        {latin, arabic, other},
		"tahsin":         {latin, arabic, other},
		"تحسين":          {latin, arabic, other},
		"Tahseen Usama":  {latin, arabic, other},
		"Hassan":         {hassan},
		"kidnapped":      {kidnap},
		"kidnap":         {kidnap},
		"abducted":       {kidnap},
		"اختطاف":         {kidnap},
		"البصرة":         {kidnap, activists},
		"Basrah":         {kidnap, activists},
		"Al-Basrah":      {kidnap, activists},
		"بالبصرة":        {kidnap, activists},
		"بغداد":          {latin},
		"الناشطون":       {activists},
		"ناشط":           {activists},
		"وناشطين":        {activists},
		"IRQ12345":       {acled},
		"irq12345 acled": {acled},
	} {
		hits, err := s.SearchIncidents(ctx, q, 50)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var wantCodes []string
		for _, w := range want {
			wantCodes = append(wantCodes, w.Code)
		}
		got := codes(hits)
		slices.Sort(got)
		slices.Sort(wantCodes)
		if !reflect.DeepEqual(got, wantCodes) {
			t.Errorf("search %q = %v, want %v", q, got, wantCodes)
		}
	}
	// The list filter finds the same.
	list, _, err := s.ListIncidents(ctx, store.IncidentFilter{Query: "Tahseen", Limit: 50, Visible: seeAll})
	if err != nil || len(list) != 3 {
		t.Errorf("ListIncidents(Tahseen) = %d incidents, %v; want 3", len(list), err)
	}
	ps, err := s.Persons().Search(ctx, "Tahseen", 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.NameLatin+p.NameAR)
	}
	slices.Sort(names)
	if want := []string{"Tahseen Usama", "Tahsin Osama", "تحسين أسامة"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Persons().Search(Tahseen) = %v, want %v", names, want)
	}
	for _, q := range []string{"!!! ...", "؟،", "\u064e\u064f\u0650", "ـــ", "*"} {
		if _, err := s.SearchIncidents(ctx, q, 10); !errors.Is(err, store.ErrQueryNoWords) {
			t.Errorf("search %q: %v, want ErrQueryNoWords", q, err)
		}
		if _, err := s.Persons().Search(ctx, q, 10); !errors.Is(err, store.ErrQueryNoWords) {
			t.Errorf("person search %q: %v, want ErrQueryNoWords", q, err)
		}
	}
}
