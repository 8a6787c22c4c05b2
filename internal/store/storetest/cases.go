package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func mustCreate(t *testing.T, ctx context.Context, s store.Store, inc model.Incident) model.Incident {
	t.Helper()
	if err := s.CreateIncident(ctx, "tester", &inc); err != nil {
		t.Fatalf("CreateIncident: %v", err)
	}
	return inc
}

func testCreateAndGet(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	in := mustCreate(t, ctx, s, Incident())
	if in.ID == "" || in.Code != "IQ-2019-0001" || in.Version != 1 {
		t.Fatalf("assigned id=%q code=%q version=%d; want an id, IQ-2019-0001, 1", in.ID, in.Code, in.Version)
	}
	second := mustCreate(t, ctx, s, Incident())
	if second.Code != "IQ-2019-0002" {
		t.Errorf("second code = %q, want IQ-2019-0002", second.Code)
	}
	// Codes given inside one import count on from the stored counter, and
	// the next write counts on from the import's last.
	batch := []model.Incident{Incident(), Incident(), Incident()}
	if _, err := s.ImportIncidents(ctx, "tester", batch, nil); err != nil {
		t.Fatal(err)
	}
	third := mustCreate(t, ctx, s, Incident())
	if got := []string{batch[0].Code, batch[1].Code, batch[2].Code, third.Code}; !reflect.DeepEqual(got,
		[]string{"IQ-2019-0003", "IQ-2019-0004", "IQ-2019-0005", "IQ-2019-0006"}) {
		t.Errorf("codes of an import and the write after it = %v", got)
	}
	got, err := s.GetIncident(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	byCode, err := s.GetIncidentByCode(ctx, in.Code)
	if err != nil || byCode.ID != in.ID {
		t.Fatalf("GetIncidentByCode = %v, %v", byCode, err)
	}
	want := in
	if !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("created_at %v, want %v", got.CreatedAt, want.CreatedAt)
	}
	got.Meta, want.Meta = model.Meta{}, model.Meta{}
	for i := range got.Victims {
		got.Victims[i].Person.Meta, want.Victims[i].Person.Meta = model.Meta{}, model.Meta{}
		if want.Victims[i].Person.Visibility == "" {
			want.Victims[i].Person.Visibility = model.VisibilityInternal
		}
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", *got, want)
	}
	p, err := s.Persons().Get(ctx, got.Victims[0].PersonID)
	if err != nil || p.NameAR != "أمجد الدهامات" {
		t.Fatalf("victim person = %+v, %v", p, err)
	}
}

func testUpdateKeepsHistory(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident())
	inc.Verification = "verified"
	inc.Place.Locality = "Nasiriyah"
	if err := s.UpdateIncident(ctx, "analyst", &inc); err != nil {
		t.Fatal(err)
	}
	if inc.Version != 2 || inc.UpdatedBy != "analyst" {
		t.Fatalf("after update version=%d by=%q", inc.Version, inc.UpdatedBy)
	}
	h, err := s.History(ctx, store.KindIncident, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Actor != "tester" || h[1].Actor != "analyst" || h[1].Action != "update" {
		t.Fatalf("history = %+v", h)
	}
	fields := map[string]bool{}
	for _, c := range h[1].Changes {
		fields[c.Field] = true
	}
	if len(h[1].Changes) != 2 || !fields["verification"] || !fields["place.locality"] {
		t.Errorf("changes = %+v, want verification and place.locality", h[1].Changes)
	}
	if !strings.Contains(string(h[0].Snapshot), `"corroborated"`) {
		t.Errorf("first version's snapshot lost the old value: %s", h[0].Snapshot)
	}
	// An update that changes nothing writes no version.
	if err := s.UpdateIncident(ctx, "analyst", &inc); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.History(ctx, store.KindIncident, inc.ID); len(h) != 2 {
		t.Errorf("a no-op update added a version: %d versions", len(h))
	}
}

func testStaleUpdate(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident())
	a, b := inc, inc
	a.SummaryEN = "first edit"
	if err := s.UpdateIncident(ctx, "one", &a); err != nil {
		t.Fatal(err)
	}
	b.SummaryEN = "second edit from a stale copy"
	if err := s.UpdateIncident(ctx, "two", &b); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update: err = %v, want ErrConflict", err)
	}
	got, _ := s.GetIncident(ctx, inc.ID)
	if got.SummaryEN != "first edit" {
		t.Errorf("stale update overwrote: %q", got.SummaryEN)
	}
}

func testNotFound(t *testing.T, ctx context.Context, o Opened) {
	if _, err := o.Store.GetIncident(ctx, "0190a0a0-0000-7000-8000-000000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetIncident(unknown) err = %v", err)
	}
	if _, err := o.Store.GetIncidentByCode(ctx, "IQ-1999-9999"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetIncidentByCode(unknown) err = %v", err)
	}
	if _, err := o.Store.Persons().Get(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetPerson(unknown) err = %v", err)
	}
}

func codes(hits []store.IncidentHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Code)
	}
	return out
}

func testSearchArabic(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	a := Incident() // victim "أمجد" with hamza
	b := Incident()
	b.Victims = []model.Victim{{Outcome: "injured", Person: &model.Person{NameAR: "امجد الحسيني"}}} // bare alef
	b.SummaryAR = "تهديد ناشطة في مدرسة البصرة"
	b.SummaryEN = "threat"
	a = mustCreate(t, ctx, s, a)
	b = mustCreate(t, ctx, s, b)
	other := Incident()
	other.Victims = []model.Victim{{Outcome: "unharmed", Person: &model.Person{NameAR: "علي"}}}
	other.SummaryAR, other.SummaryEN, other.NarrativeEN = "خبر آخر", "other", ""
	mustCreate(t, ctx, s, other)
	for _, q := range []string{"أمجد", "امجد", "إمجد", "أَمْجَد", "امـجد"} {
		hits, err := s.SearchIncidents(ctx, q, 10)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if got := codes(hits); !reflect.DeepEqual(got, []string{b.Code, a.Code}) {
			t.Errorf("search %q = %v, want [%s %s]", q, got, b.Code, a.Code)
		}
	}
	// taa marbuta and alef maqsura fold both ways.
	for _, q := range []string{"مدرسه", "مدرسة"} {
		hits, _ := s.SearchIncidents(ctx, q, 10)
		if got := codes(hits); !reflect.DeepEqual(got, []string{b.Code}) {
			t.Errorf("search %q = %v, want [%s]", q, got, b.Code)
		}
	}
	// A feminine ending is light-stemmed off (docs/search.md): ناشطة finds
	// ناشط too.
	if hits, _ := s.SearchIncidents(ctx, "ناشطة", 10); !reflect.DeepEqual(codes(hits), []string{b.Code, a.Code}) {
		t.Errorf("search ناشطة = %v, want [%s %s]", codes(hits), b.Code, a.Code)
	}
	hits, _ := s.SearchIncidents(ctx, "امجد الحسيني", 10)
	if got := codes(hits); !reflect.DeepEqual(got, []string{b.Code}) {
		t.Errorf("two-term search = %v, want only %s", got, b.Code)
	}
}

func testSearchEnglish(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	inc := mustCreate(t, ctx, s, Incident()) // "shot dead by gunmen … was wounded"
	for _, q := range []string{"wounded", "WOUNDS", "gunmen", "witness", "stations", "Nasiri", "amjad", "Dahamat", "police station"} {
		hits, err := s.SearchIncidents(ctx, q, 10)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if got := codes(hits); !reflect.DeepEqual(got, []string{inc.Code}) {
			t.Errorf("search %q = %v, want [%s]", q, got, inc.Code)
		}
	}
	if hits, _ := s.SearchIncidents(ctx, "kidnapping", 10); len(hits) != 0 {
		t.Errorf("search for an absent word found %v", codes(hits))
	}
	// The caller filters hits by who may see them (incidents.Search): it
	// needs the visibility and the author.
	if hits, _ := s.SearchIncidents(ctx, "wounded", 10); len(hits) != 1 || hits[0].CreatedBy != "tester" || hits[0].Visibility != model.VisibilityInternal {
		t.Errorf("search hit without its visibility and author: %+v", hits)
	}
}

func testSearchHostile(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	mustCreate(t, ctx, s, Incident())
	for _, q := range []string{`a" OR b`, `NEAR(x y)`, `'; DROP TABLE incidents; --`, `amjad OR`, `body:amjad`, `a & b | !c`, ""} {
		if _, err := s.SearchIncidents(ctx, q, 10); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	// Only syntax, no word: refused, with a message that says so.
	for _, q := range []string{`*`, `"`, `:*`, `\`} {
		if _, err := s.SearchIncidents(ctx, q, 10); !errors.Is(err, store.ErrQueryNoWords) {
			t.Errorf("search %q: %v, want ErrQueryNoWords", q, err)
		}
	}
	// Query syntax is read as words: every word must match.
	if hits, _ := s.SearchIncidents(ctx, `amjad" OR "zzz`, 10); len(hits) != 0 {
		t.Errorf("`amjad\" OR \"zzz` found %d incidents; OR must not be an operator", len(hits))
	}
	if hits, _ := s.SearchIncidents(ctx, `"amjad*`, 10); len(hits) != 1 {
		t.Errorf("`\"amjad*` found %d incidents, want 1", len(hits))
	}
}

func testSearchPersons(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	mustCreate(t, ctx, s, Incident())
	for q, want := range map[string]string{"أمجد": "Amjad al-Dahamat", "zainab": "Zainab Mustafa", "um ali": "Zainab Mustafa", "مصطفي": "Zainab Mustafa"} {
		ps, err := s.Persons().Search(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].NameLatin != want {
			t.Errorf("SearchPersons(%q) = %+v, want %s", q, ps, want)
		}
	}
}

func testOrgsSources(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	org := model.Organisation{NameAR: "منظمة الرصد", NameEN: "Monitoring NGO", Kind: "ngo", Status: "active"}
	if err := s.Organisations().Create(ctx, "tester", &org); err != nil {
		t.Fatal(err)
	}
	org.Status, org.Notes = "dissolved", "seven of its founders are in Turkey"
	if err := s.Organisations().Update(ctx, "tester", &org); err != nil {
		t.Fatal(err)
	}
	got, err := s.Organisations().Get(ctx, org.ID)
	if err != nil || got.Status != "dissolved" || got.Version != 2 {
		t.Fatalf("organisation = %+v, %v", got, err)
	}
	inc := mustCreate(t, ctx, s, Incident())
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: "S-001"}
	if err := s.CreateSource(ctx, "tester", &src); err != nil {
		t.Fatal(err)
	}
	info := model.Information{IncidentID: inc.ID, SourceID: src.ID, Credibility: 2, ObtainedOn: "2019-12-09", Summary: "saw the car"}
	if err := s.AddInformation(ctx, "tester", &info); err != nil {
		t.Fatal(err)
	}
	infos, err := s.ListInformation(ctx, inc.ID)
	if err != nil || len(infos) != 1 || infos[0].Grade(src) != "B2" {
		t.Fatalf("information = %+v, %v", infos, err)
	}
	bad := model.Information{IncidentID: inc.ID, SourceID: "missing", Credibility: 2}
	if err := s.AddInformation(ctx, "tester", &bad); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("information with an unknown source: err = %v, want ErrNotFound", err)
	}
}
