package people_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/people"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func init() { kdf.LowerForTests() }

var (
	analyst = &model.User{Username: "lina", Role: model.RoleAnalyst}
	other   = &model.User{Username: "omar", Role: model.RoleDocumenter}
	admin   = &model.User{Username: "adil", Role: model.RoleAdmin}
)

func person(t *testing.T, st store.Store, by, latin, ar, vis string) model.Person {
	t.Helper()
	p := model.Person{NameLatin: latin, NameAR: ar, Visibility: vis}
	if err := st.Persons().Create(context.Background(), by, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMatches: a person is proposed as possibly the same as others in
// other spellings and scripts, with reasons; not different people who
// share a name, not a person the user may not see, not one merged away.
func TestMatches(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		pp := people.New(st, time.Now)
		tahsin := person(t, st, "lina", "Tahsin Osama Jabbar", "", model.VisibilityInternal)
		arabic := person(t, st, "lina", "", "تحسين أسامة جبار", model.VisibilityInternal)
		short := person(t, st, "lina", "Tahseen Jabbar", "", model.VisibilityInternal)
		person(t, st, "lina", "Tahsin Ali Hassan", "", model.VisibilityInternal) // another Tahsin
		person(t, st, "lina", "Omar Osama Jabbar", "", model.VisibilityInternal) // his brother
		hidden := person(t, st, "omar", "Tahseen Usama Jabbar", "", model.VisibilityRestricted)
		_ = hidden
		got, err := pp.Matches(ctx, analyst, &tahsin)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, c := range got {
			ids[c.Person.ID] = true
			if len(c.Reasons) == 0 || c.Score < 0.8 || c.Names[0] == "" {
				t.Errorf("candidate %+v without a score, names or reasons", c)
			}
		}
		if len(got) != 2 || !ids[arabic.ID] || !ids[short.ID] {
			t.Errorf("Matches(Tahsin Osama Jabbar) = %+v, want the Arabic and the short spelling", got)
		}
		// Once merged away, a person is not proposed.
		if _, err := pp.Merge(ctx, analyst, short.ID, tahsin.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = pp.Matches(ctx, analyst, &arabic)
		for _, c := range got {
			if c.Person.ID == short.ID {
				t.Errorf("a person merged away is proposed: %+v", c)
			}
		}
	})
}

// TestMergeRules: the bad cases of a merge are refused with a clear
// error and change nothing; a person the user may not see is refused as
// not found.
func TestMergeRules(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		pp := people.New(st, time.Now)
		a := person(t, st, "lina", "Tahsin Osama", "", model.VisibilityInternal)
		b := person(t, st, "lina", "Tahseen Usama", "", model.VisibilityInternal)
		secret := person(t, st, "omar", "Tahseen Usama", "", model.VisibilityRestricted)
		mine := person(t, st, "lina", "Tahseen Osama", "", model.VisibilityRestricted)
		for _, tc := range []struct {
			u          *model.User
			from, into string
			want       error
		}{
			{analyst, a.ID, a.ID, store.ErrMergeSelf},
			{analyst, a.ID, secret.ID, store.ErrNotFound}, // as if it did not exist
			{analyst, a.ID, "no-such-person", store.ErrNotFound},
			{analyst, mine.ID, a.ID, people.ErrMergeRestricted},
			{admin, a.ID, b.ID, nil}, // an administrator changes no record: refused below
		} {
			_, err := pp.Merge(ctx, tc.u, tc.from, tc.into)
			if tc.want == nil {
				if err == nil {
					t.Errorf("%s merged %s into %s", tc.u.Username, tc.from, tc.into)
				}
				continue
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("Merge(%s, %s) by %s = %v, want %v", tc.from, tc.into, tc.u.Username, err, tc.want)
			}
		}
		if ms, _ := st.PersonMergesOf(ctx, a.ID); len(ms) != 0 {
			t.Fatalf("refused merges stored: %+v", ms)
		}
		m, err := pp.Merge(ctx, analyst, b.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pp.Merge(ctx, analyst, b.ID, a.ID); !errors.Is(err, store.ErrMerged) {
			t.Errorf("merging twice = %v, want ErrMerged", err)
		}
		// Merged away, b is in no list and no search: only its page,
		// which names the person it went into, reaches it.
		listed := func(what string, want bool) {
			t.Helper()
			list, _, err := pp.Persons.List(ctx, analyst, "", 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			found, _ := pp.Persons.Search(ctx, analyst, "Tahseen Usama", 100)
			for _, got := range [][]model.Person{list, found} {
				if has := slices.ContainsFunc(got, func(p model.Person) bool { return p.ID == b.ID }); has != want {
					t.Errorf("%s: the merged-away person listed = %v, want %v", what, has, want)
				}
			}
			if _, err := pp.Persons.Get(ctx, analyst, b.ID, false); err != nil {
				t.Errorf("%s: Get = %v", what, err)
			}
		}
		listed("merged", false)
		// Another documenter sees both (internal) but the merge lists
		// only what they may see.
		if ms, err := pp.Merges(ctx, other, a.ID); err != nil || len(ms) != 1 {
			t.Errorf("Merges seen by another = %+v, %v", ms, err)
		}
		if err := pp.Unmerge(ctx, analyst, a.ID, "no-such-merge"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("undoing no merge = %v", err)
		}
		if err := pp.Unmerge(ctx, analyst, a.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		listed("unmerged", true)
		if err := pp.Unmerge(ctx, analyst, a.ID, m.ID); !errors.Is(err, store.ErrMergeUndone) {
			t.Errorf("undoing twice = %v, want ErrMergeUndone", err)
		}
		if _, err := store.VerifyAudit(ctx, st, storetest.AuditKey); err != nil {
			t.Errorf("audit verify: %v", err)
		}
	})
}
