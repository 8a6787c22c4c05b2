package keys_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// Canaries of restricted records: the free text of a restricted incident,
// of a restricted person and of a restricted organisation (SECURITY.md: the database holds ciphertext).
var recordCanaries = []string{"Vexillocanary Narrative", "Obscurovia Hamlet", "Shadowgrip Brigade", "Tagcanaryzed",
	"Narrowquill Hidename", "سلسبيل الخفية", "Aliascanaroo", "Affilicanary Union", "Originalcanary Field",
	"Summarycanary Lede", "ملخصالكناري", "Orgcanary Sentinel", "منظمةالكناري", "Notescanary Memo",
	"Saidlabelcanary S-4", "Saidsummarycanary heard shots"}

func init() { canaries = append(canaries, recordCanaries...) }

func restrictedIncident() model.Incident {
	lat, lon := 33.31, 44.36
	return model.Incident{Type: "assassination", Date: model.Date{Start: "2020-03-01", Precision: "day"},
		Place:        model.Place{Country: "IQ", Admin1: "IQ-BG", District: "Karkh", Locality: recordCanaries[1], Lat: &lat, Lon: &lon},
		Perpetrators: []model.Perpetrator{{Type: "militia", Group: recordCanaries[2], ModusOperandi: "motorbike"}},
		Victims: []model.Victim{{Role: "journalist", Outcome: "killed", Person: &model.Person{
			NameLatin: recordCanaries[4], NameAR: recordCanaries[5], Aliases: []string{recordCanaries[6]},
			Affiliations: []string{recordCanaries[7]}, Visibility: model.VisibilityRestricted}}},
		Fatalities: 1, SummaryEN: recordCanaries[9], SummaryAR: recordCanaries[10], NarrativeEN: recordCanaries[0],
		Verification: "confirmed", Visibility: model.VisibilityRestricted, Tags: []string{recordCanaries[3]},
		External: &model.External{System: "test", ID: "r-1", Original: map[string]string{"notes": recordCanaries[8]}}}
}

// plantRecords writes a restricted incident with a restricted victim as
// member a, edits it, and checks what members, non-members and the
// search index see. It returns the incident's ID.
func plantRecords(t *testing.T, ctx context.Context, s store.Store, a keys.Identity) string {
	t.Helper()
	var nobody *keys.RecordSealer
	inc := restrictedIncident()
	if err := nobody.Incident(&inc); !errors.Is(err, keys.ErrRestrictedNeedsKey) {
		t.Fatalf("a restricted incident without a key: %v, want ErrRestrictedNeedsKey", err)
	}
	inc = restrictedIncident()
	rs, err := keys.NewRecordSealer(ctx, s, a)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	if err := rs.Incident(&inc); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIncident(ctx, "alice", &inc); err != nil {
		t.Fatal(err)
	}
	// What a source said about it is sealed with it.
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: recordCanaries[14]}
	if err := s.AddSourceInformation(ctx, "alice", &src, &model.Information{IncidentID: inc.ID, Credibility: 2,
		Summary: recordCanaries[15], Key: rs}); err != nil {
		t.Fatal(err)
	}
	// A member edits it: the new text is sealed again, a new version.
	got, err := s.GetIncident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.NarrativeEN != "" || got.Place.Locality != "" || got.Perpetrators[0].Group != "" || got.Victims[0].Person.NameLatin != "" {
		t.Fatalf("the columns of a restricted record hold text: %+v", got)
	}
	if _, err := keys.OpenIncident(ctx, s, "alice", a, got); err != nil || got.NarrativeEN != recordCanaries[0] {
		t.Fatalf("member opens: %v %q", err, got.NarrativeEN)
	}
	got.NarrativeAR = "نص " + recordCanaries[5]
	if err := rs.Incident(got); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "alice", got); err != nil {
		t.Fatal(err)
	}
	if h, err := s.History(ctx, store.KindIncident, inc.ID); err != nil || len(h) != 2 {
		t.Fatalf("history: %d versions, %v; want 2 (a changed sealed text is a version)", len(h), err)
	}
	// An internal incident naming the restricted person as a victim, given
	// the person as opened: the names still stay out of every index.
	victim := got.Victims[0].Person
	if _, err := keys.OpenPerson(ctx, s, "alice", a, victim); err != nil || victim.NameLatin != recordCanaries[4] {
		t.Fatalf("open the victim: %v", err)
	}
	other := model.Incident{Type: "assault", Date: model.Date{Start: "2020-04-01", Precision: "day"}, Place: model.Place{Country: "IQ", Admin1: "IQ-BG"},
		Verification: "reported", Visibility: model.VisibilityInternal, Victims: []model.Victim{{PersonID: victim.ID, Person: victim, Outcome: "injured"}}}
	if err := s.CreateIncident(ctx, "alice", &other); err != nil {
		t.Fatal(err)
	}
	// The search index knows the code, never the sealed text.
	for _, q := range []string{"Vexillocanary", "Obscurovia", "Narrowquill"} {
		if hits, err := s.SearchIncidents(ctx, q, 10); err != nil || len(hits) != 0 {
			t.Errorf("search %q: %d hits, %v", q, len(hits), err)
		}
		if ps, err := s.Persons().Search(ctx, q, 10); err != nil || len(ps) != 0 {
			t.Errorf("person search %q: %d hits, %v", q, len(ps), err)
		}
	}
	plantOrganisation(t, ctx, s, rs)
	if hits, err := s.SearchIncidents(ctx, inc.Code, 10); err != nil || len(hits) != 1 {
		t.Errorf("search by code %s: %d hits, %v", inc.Code, len(hits), err)
	}
	// Statistics count it from its structured columns, for a reader who
	// may see restricted incidents (docs/counting.md).
	rows, err := s.CountIncidents(ctx, store.CountQuery{Verification: []string{"confirmed"}, Types: []string{"assassination"},
		Reader: store.Visible{Levels: []string{model.VisibilityRestricted}}})
	if err != nil || len(rows) != 1 || rows[0].Incidents != 1 || rows[0].Victims != 1 || rows[0].Fatalities != 1 {
		t.Fatalf("count: %+v %v", rows, err)
	}
	return inc.ID
}

// plantOrganisation writes a restricted organisation with rs, edits it,
// and checks that its columns and the search index hold none of its text.
func plantOrganisation(t *testing.T, ctx context.Context, s store.Store, rs *keys.RecordSealer) {
	t.Helper()
	org := model.Organisation{NameEN: recordCanaries[11], NameAR: recordCanaries[12], Kind: "ngo", Status: "active",
		Notes: recordCanaries[13], Visibility: model.VisibilityRestricted}
	var nobody *keys.RecordSealer
	if err := nobody.Organisation(&org); !errors.Is(err, keys.ErrRestrictedNeedsKey) {
		t.Fatalf("a restricted organisation without a key: %v, want ErrRestrictedNeedsKey", err)
	}
	if err := rs.Organisation(&org); err != nil {
		t.Fatal(err)
	}
	if err := s.Organisations().Create(ctx, "alice", &org); err != nil {
		t.Fatal(err)
	}
	got, err := s.Organisations().Get(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.NameEN != "" || got.NameAR != "" || got.Notes != "" {
		t.Fatalf("the columns of a restricted organisation hold text: %+v", got)
	}
	// The store refuses it opened and written back unsealed.
	opened := *got
	opened.NameEN, opened.Notes = recordCanaries[11], "x"
	if err := s.Organisations().Update(ctx, "alice", &opened); err == nil || !strings.Contains(err.Error(), "never in the clear") {
		t.Fatalf("an opened organisation written back in the clear: %v", err)
	}
	got.NameEN, got.NameAR, got.Notes = recordCanaries[11], recordCanaries[12], recordCanaries[13]+" 2"
	if err := rs.Organisation(got); err != nil {
		t.Fatal(err)
	}
	if err := s.Organisations().Update(ctx, "alice", got); err != nil {
		t.Fatal(err)
	}
	if h, err := s.History(ctx, store.KindOrganisation, org.ID); err != nil || len(h) != 2 {
		t.Fatalf("organisation history: %d versions, %v; want 2", len(h), err)
	}
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	if _, n, err := s.Organisations().List(ctx, store.ListFilter{Visible: all, Limit: 10}); err != nil || n != 1 {
		t.Fatalf("organisations listed: %d, %v", n, err)
	}
	for _, q := range []string{"Orgcanary", "منظمةالكناري"} {
		if list, n, err := s.Organisations().List(ctx, store.ListFilter{Query: q, Visible: all, Limit: 10}); err != nil || n != 0 || len(list) != 0 {
			t.Errorf("organisation search %q: %d hits, %v", q, n, err)
		}
	}
}

// restrictedOrganisation is the one organisation plantOrganisation wrote.
func restrictedOrganisation(t *testing.T, ctx context.Context, s store.Store) *model.Organisation {
	t.Helper()
	list, _, err := s.Organisations().List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{model.VisibilityRestricted}}, Limit: 10})
	if err != nil || len(list) != 1 {
		t.Fatalf("restricted organisations: %d, %v", len(list), err)
	}
	return &list[0]
}

// checkRecords opens the restricted records after the compartment was
// rotated: a member reads them, a non-member gets ErrNotMember.
func checkRecords(t *testing.T, ctx context.Context, s store.Store, id string, member, outsider keys.Identity) {
	t.Helper()
	inc, err := s.GetIncident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.OpenIncident(ctx, s, "bob", outsider, inc); !errors.Is(err, keys.ErrNotMember) || inc.NarrativeEN != "" {
		t.Fatalf("a non-member opens: %v %q", err, inc.NarrativeEN)
	}
	p := inc.Victims[0].Person
	if found, err := keys.OpenIncident(ctx, s, "alice", member, inc); !found || err != nil {
		t.Fatalf("member after rotation: %v", err)
	}
	if _, err := keys.OpenPerson(ctx, s, "alice", member, p); err != nil {
		t.Fatal(err)
	}
	if inc.NarrativeEN != recordCanaries[0] || !strings.Contains(inc.NarrativeAR, recordCanaries[5]) ||
		inc.Place.Locality != recordCanaries[1] || inc.Perpetrators[0].Group != recordCanaries[2] ||
		inc.Tags[0] != recordCanaries[3] || inc.External.Original["notes"] != recordCanaries[8] || inc.External.ID != "r-1" ||
		p.NameLatin != recordCanaries[4] || p.Aliases[0] != recordCanaries[6] || p.Affiliations[0] != recordCanaries[7] {
		t.Fatalf("opened: %+v %+v", inc, p)
	}
	infos, err := s.ListInformation(ctx, id)
	if err != nil || len(infos) != 1 {
		t.Fatalf("information: %+v, %v", infos, err)
	}
	src, err := s.GetSource(ctx, infos[0].SourceID)
	if err != nil {
		t.Fatal(err)
	}
	srcs := map[string]*model.Source{src.ID: src}
	if _, err := keys.OpenInformation(ctx, s, "bob", outsider, infos, srcs); !errors.Is(err, keys.ErrNotMember) || infos[0].Summary != "" {
		t.Fatalf("a non-member opens the information: %v %q", err, infos[0].Summary)
	}
	if n, err := keys.OpenInformation(ctx, s, "alice", member, infos, srcs); n != 2 || err != nil ||
		infos[0].Summary != recordCanaries[15] || src.Label != recordCanaries[14] {
		t.Fatalf("member after rotation opens the information: %d %v %+v %+v", n, err, infos[0], src)
	}
	org := restrictedOrganisation(t, ctx, s)
	if _, err := keys.OpenOrganisation(ctx, s, "bob", outsider, org); !errors.Is(err, keys.ErrNotMember) || org.NameEN != "" {
		t.Fatalf("a non-member opens the organisation: %v %q", err, org.NameEN)
	}
	if found, err := keys.OpenOrganisation(ctx, s, "alice", member, org); !found || err != nil ||
		org.NameEN != recordCanaries[11] || org.NameAR != recordCanaries[12] || org.Notes != recordCanaries[13]+" 2" {
		t.Fatalf("member opens the organisation: %v %+v", err, org)
	}
}

// A member who makes a restricted record internal moves its text into the
// columns and destroys its sealed group; making it restricted again seals
// it again. (Not part of the canary run: an internal record's text is
// meant to be in the columns and its history.)
func TestUnsealAndSealAgain(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { unsealAndSealAgain(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { unsealAndSealAgain(t, openPostgres(t)) })
}

func unsealAndSealAgain(t *testing.T, s store.Store) {
	ctx := context.Background()
	storetest.FastKDF(t)
	_, member := storetest.FirstMember(t, ctx, s, "alice", "alice password 1")
	id := plantRecords(t, ctx, s, member)
	inc, err := s.GetIncident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.OpenIncident(ctx, s, "alice", member, inc); err != nil {
		t.Fatal(err)
	}
	// The store refuses an opened restricted record written back without
	// sealing it: its text would land in the columns.
	if err := s.UpdateIncident(ctx, "alice", inc); err == nil || !strings.Contains(err.Error(), "never in the clear") {
		t.Fatalf("an opened incident written back in the clear: %v", err)
	}
	p := inc.Victims[0].Person
	if _, err := keys.OpenPerson(ctx, s, "alice", member, p); err != nil {
		t.Fatal(err)
	}
	if err := s.Persons().Update(ctx, "alice", p); err == nil || !strings.Contains(err.Error(), "never in the clear") {
		t.Fatalf("an opened person written back in the clear: %v", err)
	}
	// Unsealing (a member makes it internal) moves the text into the
	// columns and destroys the sealed group; then sealing it again.
	// Without a member's key (a nil sealer) a sealed record cannot be
	// made internal: its sealed text would be lost.
	var nobody *keys.RecordSealer
	inc.Visibility = model.VisibilityInternal
	inc.Victims[0].Person = nil
	if err := nobody.Incident(inc); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "bob", inc); !errors.Is(err, store.ErrUnsealNeedsMember) {
		t.Fatalf("unsealed without a key: %v", err)
	}
	rs, err := keys.NewRecordSealer(ctx, s, member)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	inc.Visibility = model.VisibilityInternal
	inc.Victims[0].Person = nil
	if err := rs.Incident(inc); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "alice", inc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSealed(ctx, store.KindIncident, id, model.GroupRecord); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unsealed record keeps its sealed group: %v", err)
	}
	if got, _ := s.GetIncident(ctx, id); got.NarrativeEN != recordCanaries[0] {
		t.Fatalf("unsealed text: %q", got.NarrativeEN)
	}
	inc.Visibility = model.VisibilityRestricted
	if err := rs.Incident(inc); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "alice", inc); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetIncident(ctx, id); got.NarrativeEN != "" || got.Place.Locality != "" {
		t.Fatalf("sealed again, the columns hold %q", got.NarrativeEN)
	}
}

func openSQLite(t *testing.T) store.Store { return teststores.SQLite(t) }

// openPostgres is a store in a schema of its own, dropped after the test.
func openPostgres(t *testing.T) store.Store {
	s, err := postgres.Open(context.Background(), teststores.Schema(t), storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
