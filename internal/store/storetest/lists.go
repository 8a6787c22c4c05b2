package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

var seeAll = store.Visible{Levels: []string{"public", "internal", "restricted"}}

func testListIncidents(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	mk := func(typ, admin1, start, end, vis, verif, by string) model.Incident {
		inc := Incident()
		inc.Type, inc.Place.Admin1, inc.Visibility, inc.Verification = typ, admin1, vis, verif
		inc.Date = model.Date{Start: start, End: end, Precision: "day"}
		if end != start {
			inc.Date.Precision = "month"
		}
		if err := s.CreateIncident(ctx, by, &inc); err != nil {
			t.Fatal(err)
		}
		return inc
	}
	a := mk("killing", "IQ-BG", "2019-10-05", "2019-10-05", "public", "verified", "doc1")
	b := mk("kidnapping", "IQ-BA", "2020-02-01", "2020-02-29", "internal", "reported", "doc1")
	c := mk("death_threat", "IQ-BG", "2021-06-10", "2021-06-10", "restricted", "corroborated", "doc2")
	d := mk("killing", "IQ-DQ", "2022-01-01", "2022-01-01", "restricted", "reported", "doc1")
	list := func(f store.IncidentFilter) ([]string, int) {
		t.Helper()
		hits, total, err := s.ListIncidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return codes(hits), total
	}
	cases := []struct {
		name  string
		f     store.IncidentFilter
		want  []string
		total int
	}{
		{"all, newest first", store.IncidentFilter{Visible: seeAll}, []string{d.Code, c.Code, b.Code, a.Code}, 4},
		{"oldest first", store.IncidentFilter{Visible: seeAll, Asc: true}, []string{a.Code, b.Code, c.Code, d.Code}, 4},
		{"nothing visible by default", store.IncidentFilter{}, nil, 0},
		{"public and internal only", store.IncidentFilter{Visible: store.Visible{Levels: []string{"public", "internal"}}}, []string{b.Code, a.Code}, 2},
		{"own restricted", store.IncidentFilter{Visible: store.Visible{Levels: []string{"public", "internal"}, OwnedBy: "doc2"}}, []string{c.Code, b.Code, a.Code}, 3},
		{"type", store.IncidentFilter{Visible: seeAll, Types: []string{"killing"}}, []string{d.Code, a.Code}, 2},
		{"governorate", store.IncidentFilter{Visible: seeAll, Admin1: "IQ-BG"}, []string{c.Code, a.Code}, 2},
		{"month window overlaps", store.IncidentFilter{Visible: seeAll, From: "2020-02-15", To: "2020-03-01"}, []string{b.Code}, 1},
		{"window edges inclusive", store.IncidentFilter{Visible: seeAll, From: "2019-10-05", To: "2019-10-05"}, []string{a.Code}, 1},
		{"verification", store.IncidentFilter{Visible: seeAll, Verification: []string{"corroborated", "verified"}}, []string{c.Code, a.Code}, 2},
		{"perpetrator type", store.IncidentFilter{Visible: seeAll, PerpetratorType: "unidentified_gunmen"}, []string{d.Code, c.Code, b.Code, a.Code}, 4},
		{"perpetrator type absent", store.IncidentFilter{Visible: seeAll, PerpetratorType: "tribal"}, nil, 0},
		{"victim role", store.IncidentFilter{Visible: seeAll, VictimRole: "journalist", Types: []string{"kidnapping"}}, []string{b.Code}, 1},
		{"text and filter", store.IncidentFilter{Visible: seeAll, Query: "امجد", Admin1: "IQ-DQ"}, []string{d.Code}, 1},
		{"page 2", store.IncidentFilter{Visible: seeAll, Limit: 2, Offset: 2}, []string{b.Code, a.Code}, 4},
		{"sort by code", store.IncidentFilter{Visible: seeAll, Sort: "code", Asc: true}, []string{a.Code, b.Code, c.Code, d.Code}, 4},
	}
	for _, tc := range cases {
		got, total := list(tc.f)
		if !equal(got, tc.want) || total != tc.total {
			t.Errorf("%s: got %v (total %d), want %v (total %d)", tc.name, got, total, tc.want, tc.total)
		}
	}
	p := b.Victims[1].PersonID
	if got, _ := list(store.IncidentFilter{Visible: seeAll, PersonID: p}); !equal(got, []string{b.Code}) {
		t.Errorf("incidents of a person = %v, want [%s]", got, b.Code)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testListPersonsOrgs(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	mustCreate(t, ctx, s, Incident())
	hidden := model.Person{NameLatin: "Hidden Person", Visibility: "restricted"}
	if err := s.Persons().Create(ctx, "doc2", &hidden); err != nil {
		t.Fatal(err)
	}
	ps, total, err := s.Persons().List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{"public", "internal"}}})
	if err != nil || total != 2 || len(ps) != 2 {
		t.Fatalf("ListPersons = %d persons (total %d), %v; want the 2 internal ones", len(ps), total, err)
	}
	if ps, _, _ := s.Persons().List(ctx, store.ListFilter{Visible: seeAll, Query: "hidden"}); len(ps) != 1 {
		t.Errorf("ListPersons query: %d", len(ps))
	}
	for _, org := range []model.Organisation{{NameAR: "مرصد أفاد", NameEN: "Afad Observatory", Kind: "ngo", Status: "active"},
		{NameEN: "Fictional Armed Group 7", Kind: "armed_group", Status: "active"}} {
		if err := s.Organisations().Create(ctx, "t", &org); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int{"": 2, "افاد": 1, "أفاد": 1, "observ": 1, "armed group": 1, "zzz": 0} {
		orgs, total, err := s.Organisations().List(ctx, store.ListFilter{Visible: seeAll, Query: q})
		if err != nil || total != want || len(orgs) != want {
			t.Errorf("ListOrganisations(%q) = %d (total %d), %v; want %d", q, len(orgs), total, err, want)
		}
	}
}

func testAccounts(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	u := model.User{Username: "zainab", Role: model.RoleDocumenter, Lang: "ar", PasswordHash: "$argon2id$x", RecoveryCodes: []string{"h1", "h2"}}
	if err := s.CreateUser(ctx, "admin", &u); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, "admin", &model.User{Username: "zainab", Role: "admin", PasswordHash: "x"}); err == nil {
		t.Error("two users with one name")
	}
	got, err := s.GetUserByName(ctx, "zainab")
	if err != nil || got.ID != u.ID || got.Enrolled() || len(got.RecoveryCodes) != 2 {
		t.Fatalf("GetUserByName = %+v, %v", got, err)
	}
	got.TOTPSealed = []byte{1, 2, 3}
	got.Role = model.RoleAnalyst
	if err := s.UpdateUser(ctx, "admin", got); err != nil {
		t.Fatal(err)
	}
	h, _ := s.History(ctx, "user", u.ID)
	if len(h) != 2 || len(h[1].Changes) != 2 {
		t.Errorf("user history = %+v, want role and enrolled changed", h)
	}
	for _, v := range h {
		if strings.Contains(string(v.Snapshot), "argon2id") {
			t.Errorf("user history holds the password hash: %s", v.Snapshot)
		}
	}
	// Every interface language is a user's language: nothing in the schema
	// (a CHECK on users.lang) refuses one the locale table adds.
	for _, l := range locale.Codes() {
		got.Lang = l
		if err := s.UpdateUser(ctx, "admin", got); err != nil {
			t.Fatalf("user language %s: %v", l, err)
		}
		if back, err := s.GetUser(ctx, u.ID); err != nil || back.Lang != l {
			t.Errorf("user language %s read back as %q, %v", l, back.Lang, err)
		}
	}
	ok1, _ := s.UseTOTPStep(ctx, u.ID, 1000)
	ok2, _ := s.UseTOTPStep(ctx, u.ID, 1000)
	ok3, _ := s.UseTOTPStep(ctx, u.ID, 999)
	ok4, _ := s.UseTOTPStep(ctx, u.ID, 1001)
	if !ok1 || ok2 || ok3 || !ok4 {
		t.Errorf("TOTP steps accepted: %v %v %v %v; want true false false true", ok1, ok2, ok3, ok4)
	}
	if used, _ := s.UseRecoveryCode(ctx, u.ID, "h1"); !used {
		t.Error("recovery code refused")
	}
	if used, _ := s.UseRecoveryCode(ctx, u.ID, "h1"); used {
		t.Error("recovery code accepted twice")
	}
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	if err := s.SetLoginState(ctx, u.ID, 5, &until); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetUser(ctx, u.ID)
	if got.FailedLogins != 5 || got.LockedUntil == nil || !got.LockedUntil.Equal(until) {
		t.Errorf("login state = %d %v", got.FailedLogins, got.LockedUntil)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, tok := range []string{"t1", "t2"} {
		if err := s.CreateSession(ctx, &model.Session{TokenHash: tok, UserID: u.ID, CSRF: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	ss, err := s.GetSession(ctx, "t1")
	if err != nil || ss.UserID != u.ID || ss.Verified {
		t.Fatalf("GetSession = %+v, %v", ss, err)
	}
	if ss2, u2, err := s.GetSessionUser(ctx, "t1"); err != nil || ss2.UserID != u.ID || ss2.CSRF != "c" ||
		!ss2.ExpiresAt.Equal(ss.ExpiresAt) || u2.ID != u.ID || u2.Username != u.Username || u2.FailedLogins != 5 {
		t.Errorf("GetSessionUser = %+v, %+v, %v", ss2, u2, err)
	}
	if _, _, err := s.GetSessionUser(ctx, "no such token"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSessionUser of an unknown token: %v", err)
	}
	ss.Verified = true
	s.UpdateSession(ctx, ss)
	if ss, _ := s.GetSession(ctx, "t1"); !ss.Verified {
		t.Error("session verification not saved")
	}
	s.DeleteSession(ctx, "t1")
	if _, err := s.GetSession(ctx, "t1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
	if n, err := s.DeleteSessions(ctx, u.ID); n != 1 || err != nil {
		t.Errorf("DeleteSessions = %d, %v", n, err)
	}
	if users, _ := s.ListUsers(ctx); len(users) != 1 {
		t.Errorf("ListUsers = %d", len(users))
	}
}

// testListWhere: a kind's list keeps the records whose field holds a value
// (store.ListFilter.Field): equal for a plain field, a member of a list
// field; an unknown field is an error, and LIKE's wildcards in the value
// match nothing but themselves.
func testListWhere(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	for _, p := range []model.Person{
		{NameLatin: "Ali", HomeAdmin1: "IQ-BA", Aliases: []string{"Abu Zaid", "a%b"}, Visibility: "internal"},
		{NameLatin: "Zainab", HomeAdmin1: "IQ-BG", Aliases: []string{"Umm Ali"}, Visibility: "internal"},
		{NameLatin: "Hidden", HomeAdmin1: "IQ-BA", Visibility: "restricted"},
	} {
		if err := s.Persons().Create(ctx, "doc", &p); err != nil {
			t.Fatal(err)
		}
	}
	open := store.Visible{Levels: []string{"public", "internal"}}
	for _, c := range []struct {
		field, value string
		want         []string
	}{
		{"home_admin1", "IQ-BA", []string{"Ali"}},
		{"home_admin1", "IQ-NI", nil},
		{"aliases", "Umm Ali", []string{"Zainab"}},
		{"aliases", "Abu", nil},
		{"aliases", "a%b", []string{"Ali"}},
		{"aliases", "%", nil},
		{"aliases", "a_b", nil},
	} {
		ps, n, err := s.Persons().List(ctx, store.ListFilter{Visible: open, Field: c.field, Value: c.value})
		var got []string
		for _, p := range ps {
			got = append(got, p.NameLatin)
		}
		if err != nil || n != len(c.want) || !slices.Equal(got, c.want) {
			t.Errorf("%s = %q: %v (%d), %v; want %v", c.field, c.value, got, n, err, c.want)
		}
	}
	if _, _, err := s.Persons().List(ctx, store.ListFilter{Visible: open, Field: "name_latin; DROP TABLE persons", Value: "x"}); err == nil {
		t.Error("a list by a field the kind does not have was answered")
	}
}
