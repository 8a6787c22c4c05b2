package incidents

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// records hands incs to an import in order.
func records(incs ...*model.Incident) store.Records {
	return func(yield func(*model.Incident) error) error {
		for _, inc := range incs {
			c := *inc
			if err := yield(&c); err != nil {
				return err
			}
		}
		return nil
	}
}

// An import refuses a district of another governorate, as the web form
// does, and stores nothing of the file; the web form's own refusal is
// TestIncidentDistrictOfAnotherGovernorate in package web.
func TestImportRefusesDistrictOfAnotherGovernorate(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		good := newIncident(func(i *model.Incident) { i.External = &model.External{System: "test", ID: "1"} })
		bad := newIncident(func(i *model.Incident) {
			i.Place.Admin1 = "IQ-BA" // Basra; IQG08Q06 is Al-Risafa, in Baghdad
			i.External = &model.External{System: "test", ID: "2"}
		})
		_, err := New(st, nil).Import(ctx, "importer", 2, records(good, bad), nil, nil)
		var rec *RecordError
		var one *Error
		if !errors.As(err, &rec) || rec.Num != 2 || rec.External.ID != "2" || !errors.As(err, &one) || one.Field != "place.district" ||
			!strings.Contains(err.Error(), "record 2 (test 2): place.district: IQG08Q06 is a district of IQ-BG, not of IQ-BA") {
			t.Fatalf("import: %v", err)
		}
		if n := count(t, st); n != 0 {
			t.Fatalf("%d incidents stored from a refused import", n)
		}
		bad.Place.Admin1 = "IQ-BG"
		res, err := New(st, nil).Import(ctx, "importer", 2, records(good, bad), nil, nil)
		if err != nil || res.Created != 2 {
			t.Fatalf("corrected import: %+v %v", res, err)
		}
	})
}

// An import without a member's key stops at its first restricted record,
// names it and stores nothing; defaults are applied to what it stores.
func TestImportRestrictedNeedsKey(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		open := newIncident(func(i *model.Incident) { i.External = &model.External{System: "test", ID: "1"} })
		closed := newIncident(func(i *model.Incident) {
			i.Visibility, i.External = model.VisibilityRestricted, &model.External{System: "test", ID: "2"}
		})
		var restricted *RestrictedError
		_, err := New(st, nil).Import(ctx, "importer", 2, records(open, closed), nil, nil)
		if !errors.As(err, &restricted) || restricted.Num != 2 || err.Error() != "record 2 (test 2) is restricted: its text is sealed in the protection compartment" {
			t.Fatalf("import: %v", err)
		}
		if n := count(t, st); n != 0 {
			t.Fatalf("%d incidents stored", n)
		}
		if _, err := New(st, nil).Import(ctx, "importer", 1, records(open), nil, nil); err != nil {
			t.Fatal(err)
		}
		hits, _, _ := New(st, nil).List(ctx, Operator, store.IncidentFilter{Limit: 5}, "")
		got, err := New(st, nil).Get(ctx, Operator, hits[0].ID)
		if err != nil || got.Verification != "reported" || got.Visibility != model.VisibilityInternal || got.Date.End != "2019-10-05" ||
			got.Place.Country != "IQ" || got.CreatedBy != "importer" {
			t.Errorf("stored: %+v %v", got, err)
		}
	})
}

// Create and Update apply Check: values, then who writes. Nothing refused
// is stored, and a stale version is a conflict.
func TestWriteRules(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		zainab, huda := user("zainab", model.RoleDocumenter), user("huda", model.RoleAnalyst)
		fields := func(err error) []string {
			var out []string
			for _, p := range Problems(err) {
				out = append(out, p.Field)
			}
			return out
		}
		hidden := &model.Person{NameAR: "حسين مدني", Visibility: model.VisibilityRestricted}
		if err := st.Persons().Create(ctx, "ahmed", hidden); err != nil {
			t.Fatal(err)
		}
		bad := newIncident(func(i *model.Incident) {
			i.Verification, i.Place.District = "verified", "IQG02Q02"
			i.Victims = []model.Victim{{PersonID: hidden.ID, Outcome: "unharmed"}}
		})
		err := svc.Create(ctx, zainab, bad, nil)
		if got := fields(err); !slices.Equal(got, []string{"place.district", "verification", "victims[0].person_id"}) ||
			!errors.Is(err, ErrVerifyForbidden) || !errors.Is(err, ErrPersonUnknown) {
			t.Fatalf("refused create: %v (%v)", got, err)
		}
		if err := svc.Create(ctx, user("amir", model.RoleAdmin), newIncident(nil), nil); !errors.Is(err, ErrForbidden) {
			t.Errorf("admin created: %v", err)
		}
		if err := svc.Create(ctx, zainab, newIncident(func(i *model.Incident) { i.Visibility = model.VisibilityRestricted }), nil); !errors.Is(err, keys.ErrRestrictedNeedsKey) {
			t.Errorf("restricted without a key: %v", err)
		}
		if n := count(t, st); n != 0 {
			t.Fatalf("%d refused incidents stored", n)
		}
		inc := newIncident(nil)
		if err := svc.Create(ctx, zainab, inc, nil); err != nil {
			t.Fatal(err)
		}
		old, err := svc.GetToEdit(ctx, huda, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The analyst would lose a colleague's incident made restricted.
		edit := *old
		edit.Visibility = model.VisibilityRestricted
		if err := svc.Update(ctx, huda, &edit, old, nil); !errors.Is(err, ErrVisibilityLockout) || !slices.Equal(fields(err), []string{"visibility"}) {
			t.Errorf("lockout: %v", err)
		}
		edit = *old
		edit.Verification = "verified"
		if err := svc.Update(ctx, huda, &edit, old, nil); err != nil {
			t.Fatal(err)
		}
		// The documenter keeps the analyst's status when editing, and may
		// not edit with a stale version.
		old, _ = svc.GetToEdit(ctx, zainab, inc.ID)
		edit = *old
		edit.Place.Locality = "Sadr City"
		if err := svc.Update(ctx, zainab, &edit, old, nil); err != nil {
			t.Fatalf("documenter keeping verified: %v", err)
		}
		stale := *old
		stale.SummaryEN = "Overwritten."
		if err := svc.Update(ctx, zainab, &stale, old, nil); !errors.Is(err, store.ErrConflict) {
			t.Errorf("stale: %v", err)
		}
		if _, err := svc.GetToEdit(ctx, user("sara", model.RoleDocumenter), inc.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("another documenter may edit: %v", err)
		}
		got, _ := svc.Get(ctx, Operator, inc.ID)
		if got.Verification != "verified" || got.Place.Locality != "Sadr City" || got.SummaryEN != inc.SummaryEN || got.Version != 3 {
			t.Errorf("stored: %s %q %q v%d", got.Verification, got.Place.Locality, got.SummaryEN, got.Version)
		}
	})
}

// The verification workflow: a documenter may only go back to reported,
// an analyst one step at a time, and a stale version is a conflict.
func TestVerificationWorkflow(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		zainab, huda := user("zainab", model.RoleDocumenter), user("huda", model.RoleAnalyst)
		inc := newIncident(nil)
		if err := svc.Create(ctx, zainab, inc, nil); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			u    *model.User
			to   string
			want error
		}{
			{zainab, "corroborated", ErrForbidden},
			{user("sara", model.RoleDocumenter), "reported", ErrForbidden}, // not hers
			{huda, "verified", ErrTransition},                              // a step skipped
			{huda, "reported", ErrTransition},                              // already
			{huda, "bogus", ErrTransition},
		} {
			cur, _ := svc.Get(ctx, Operator, inc.ID)
			if err := svc.SetVerification(ctx, tc.u, cur, tc.to, cur.Version); !errors.Is(err, tc.want) {
				t.Errorf("%s → %s: %v, want %v", tc.u.Username, tc.to, err, tc.want)
			}
		}
		cur, _ := svc.Get(ctx, Operator, inc.ID)
		if err := svc.SetVerification(ctx, huda, cur, "corroborated", 1); err != nil {
			t.Fatal(err)
		}
		cur, _ = svc.Get(ctx, Operator, inc.ID)
		if err := svc.SetVerification(ctx, huda, cur, "verified", 1); !errors.Is(err, store.ErrConflict) {
			t.Errorf("stale: %v", err)
		}
		if got, _ := svc.Get(ctx, Operator, inc.ID); got.Verification != "corroborated" || got.Version != 2 {
			t.Errorf("stored: %s v%d", got.Verification, got.Version)
		}
		if got := Transitions(zainab, "verified"); !slices.Equal(got, []string{"reported"}) {
			t.Errorf("documenter's steps: %v", got)
		}
		if got := Transitions(huda, "corroborated"); !slices.Equal(got, []string{"verified", "disputed", "rejected", "reported"}) {
			t.Errorf("analyst's steps: %v", got)
		}
	})
}

// Reads apply access: an incident the reader may not see is not found,
// lists and searches leave it out, the operator sees everything and the
// zero Reader nothing.
func TestReadsApplyAccess(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		zainab, sara := user("zainab", model.RoleDocumenter), user("sara", model.RoleDocumenter)
		mine := storetest.Incident()
		mine.Visibility = model.VisibilityRestricted
		theirs, open := storetest.Incident(), storetest.Incident()
		theirs.Visibility = model.VisibilityRestricted
		for _, w := range []struct {
			by  string
			inc *model.Incident
		}{{"zainab", &mine}, {"sara", &theirs}, {"sara", &open}} {
			if err := st.CreateIncident(ctx, w.by, w.inc); err != nil { // as stored before sealing
				t.Fatal(err)
			}
		}
		if _, err := svc.Get(ctx, As(zainab), theirs.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("another's restricted incident: %v", err)
		}
		if _, err := svc.GetByCode(ctx, As(zainab), theirs.Code); !errors.Is(err, ErrNotFound) {
			t.Errorf("by code: %v", err)
		}
		if _, err := svc.History(ctx, As(zainab), &theirs); !errors.Is(err, ErrNotFound) {
			t.Errorf("history: %v", err)
		}
		if _, _, err := svc.Said(ctx, As(zainab), &theirs); !errors.Is(err, ErrNotFound) {
			t.Errorf("said: %v", err)
		}
		if _, err := svc.Get(ctx, Reader{}, open.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("zero reader: %v", err)
		}
		for _, tc := range []struct {
			r     Reader
			level string
			want  []string
		}{
			{As(zainab), "", []string{mine.ID, open.ID}},
			{As(zainab), model.VisibilityRestricted, []string{mine.ID}},
			{As(sara), model.VisibilityRestricted, []string{theirs.ID}},
			{As(user("huda", model.RoleCoordinator)), model.VisibilityRestricted, []string{mine.ID, theirs.ID}},
			{As(user("amir", model.RoleAdmin)), model.VisibilityRestricted, nil},
			{Operator, "", []string{mine.ID, theirs.ID, open.ID}},
			{Reader{}, "", nil},
		} {
			// Visible set by the caller is ignored: the reader decides.
			f := store.IncidentFilter{Sort: "code", Asc: true, Limit: 10, Visible: levels(model.VisibilityRestricted)}
			hits, n, err := svc.List(ctx, tc.r, f, tc.level)
			if err != nil || n != len(tc.want) || !sameIDs(hits, tc.want) {
				t.Errorf("list %+v %q: %d %v %v, want %v", tc.r, tc.level, n, ids(hits), err, tc.want)
			}
			// Restricted text stored in the clear (before sealing) is found:
			// the reader decides which hits are shown.
			found, err := svc.Search(ctx, tc.r, "Nasiriyah", 10)
			if tc.level == "" && (err != nil || !sameIDs(found, tc.want)) {
				t.Errorf("search %+v: %v %v, want %v", tc.r, ids(found), err, tc.want)
			}
		}
	})
}

func levels(l ...string) store.Visible { return store.Visible{Levels: l} }

func ids(hits []store.IncidentHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func sameIDs(hits []store.IncidentHit, want []string) bool {
	got := ids(hits)
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// A source and what it said are checked, stored together, and refused
// to one who may not edit the incident; about a restricted incident they
// need a member's key.
func TestAddSource(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		zainab := user("zainab", model.RoleDocumenter)
		inc := newIncident(nil)
		if err := svc.Create(ctx, zainab, inc, nil); err != nil {
			t.Fatal(err)
		}
		src := func() *model.Source { return &model.Source{Type: "eyewitness", Reliability: "B", Label: "S-014"} }
		info := func() *model.Information {
			return &model.Information{Credibility: 2, ObtainedOn: "2019-10-26", Summary: "رأى الشاهد سيارتين."}
		}
		bad := info()
		bad.Credibility, bad.ObtainedOn = 7, "2999-01-01"
		err := svc.AddSource(ctx, zainab, inc, &model.Source{Label: "S\u202e41"}, bad, nil)
		var got []string
		for _, p := range Problems(err) {
			got = append(got, p.Field)
		}
		if !slices.Equal(got, []string{"source.type", "source.reliability", "credibility", "source.label", "obtained_on"}) {
			t.Errorf("problems: %v", err)
		}
		if err := svc.AddSource(ctx, user("sara", model.RoleDocumenter), inc, src(), info(), nil); !errors.Is(err, ErrForbidden) {
			t.Errorf("another documenter added: %v", err)
		}
		if err := svc.AddSource(ctx, zainab, inc, src(), info(), nil); err != nil {
			t.Fatal(err)
		}
		infos, srcs, err := svc.Said(ctx, As(zainab), inc)
		if err != nil || len(infos) != 1 || infos[0].Grade(*srcs[infos[0].SourceID]) != "B2" {
			t.Fatalf("said: %+v %v", infos, err)
		}
		closed := newIncident(func(i *model.Incident) { i.Visibility = model.VisibilityRestricted })
		if err := st.CreateIncident(ctx, "zainab", closed); err != nil {
			t.Fatal(err)
		}
		if !InformationNeedsSealer(closed, src(), info()) || InformationNeedsSealer(closed, &model.Source{Type: "media"}, &model.Information{}) {
			t.Error("InformationNeedsSealer")
		}
		if err := svc.AddSource(ctx, zainab, closed, src(), info(), nil); !errors.Is(err, store.ErrSealNeedsMember) {
			t.Errorf("restricted without a key: %v", err)
		}
	})
}

// TestVerify: a step with its grounds is checked whole before anything is
// written: a refused step adds no source, bad grounds move no status, and
// a sealed incident's grounds need a sealer.
func TestVerify(t *testing.T) {
	onBoth(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := New(st, nil)
		zainab, huda := user("zainab", model.RoleDocumenter), user("huda", model.RoleAnalyst)
		inc := newIncident(nil)
		if err := svc.Create(ctx, zainab, inc, nil); err != nil {
			t.Fatal(err)
		}
		grounds := func() *Grounds {
			return &Grounds{Source: &model.Source{Type: "media", Reliability: "B", Label: "Al-Mada, 26 October"},
				Info: &model.Information{Credibility: 2, ObtainedOn: "2019-10-26"}}
		}
		said := func() int {
			infos, _, err := svc.Said(ctx, Operator, inc)
			if err != nil {
				t.Fatal(err)
			}
			return len(infos)
		}
		cur := func() *model.Incident { c, _ := svc.Get(ctx, Operator, inc.ID); return c }
		if err := svc.Verify(ctx, zainab, cur(), "corroborated", grounds()); !errors.Is(err, ErrForbidden) || said() != 0 {
			t.Errorf("a documenter's step: %v, %d sources", err, said())
		}
		if err := svc.Verify(ctx, huda, cur(), "verified", grounds()); !errors.Is(err, ErrTransition) || said() != 0 {
			t.Errorf("a skipped step: %v, %d sources", err, said())
		}
		bad := grounds()
		bad.Source.Type = "rumour"
		if err := svc.Verify(ctx, huda, cur(), "corroborated", bad); len(Problems(err)) != 1 || cur().Verification != "reported" {
			t.Errorf("bad grounds: %v, now %s", err, cur().Verification)
		}
		if err := svc.Verify(ctx, huda, cur(), "corroborated", grounds()); err != nil || said() != 1 || cur().Verification != "corroborated" {
			t.Errorf("corroborated: %v, %d sources, now %s", err, said(), cur().Verification)
		}
		if err := svc.Verify(ctx, huda, cur(), "disputed", nil); err != nil || cur().Verification != "disputed" {
			t.Errorf("disputed without grounds: %v, now %s", err, cur().Verification)
		}
		closed := newIncident(func(i *model.Incident) { i.Visibility = model.VisibilityRestricted; i.Verification = "reported" })
		if err := st.CreateIncident(ctx, "huda", closed); err != nil {
			t.Fatal(err)
		}
		closed, _ = svc.Get(ctx, Operator, closed.ID)
		if err := svc.Verify(ctx, huda, closed, "corroborated", grounds()); !errors.Is(err, store.ErrSealNeedsMember) {
			t.Errorf("sealed grounds without a sealer: %v", err)
		}
		if got, _ := svc.Get(ctx, Operator, closed.ID); got.Verification != "reported" {
			t.Errorf("moved without its grounds: %s", got.Verification)
		}
	})
}
