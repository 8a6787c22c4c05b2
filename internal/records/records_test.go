package records_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func init() { kdf.LowerForTests() }

var (
	documenter = &model.User{Username: "dina", Role: model.RoleDocumenter}
	other      = &model.User{Username: "omar", Role: model.RoleDocumenter}
	admin      = &model.User{Username: "adil", Role: model.RoleAdmin}
)

func noKey(context.Context) (*keys.RecordSealer, string, error) {
	return nil, records.ErrNeedsKey, nil
}

func form(k *record.Kind[model.Person], id, version string, kv ...string) record.Form {
	v := url.Values{"version": {version}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return k.ReadForm(id, v)
}

func TestSaveAndRead(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		svc := records.New(kinds.Person, st, nil)
		svc.Now = func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }

		// The kind's validation: nothing stored when a field is refused.
		_, errs, err := svc.Save(ctx, documenter, nil, form(kinds.Person, "", "", "birth_year", "2030", "visibility", "internal"), noKey)
		if err != nil || errs["birth_year"] != record.ErrYear || errs["name_ar"] != "person.error.name" {
			t.Fatalf("invalid person: %v %v", errs, err)
		}
		if _, n, _ := st.Persons().List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{"internal"}}}); n != 0 {
			t.Fatalf("%d persons stored from a refused form", n)
		}
		// A disabled account writes nothing.
		disabled := *documenter
		disabled.Disabled = true
		if _, _, err := svc.Save(ctx, &disabled, nil, form(kinds.Person, "", "", "name_latin", "Tahsin", "visibility", "internal"), noKey); !errors.Is(err, records.ErrForbidden) {
			t.Fatalf("a disabled account created a person: %v", err)
		}
		// Restricted needs a member's key.
		_, errs, _ = svc.Save(ctx, documenter, nil, form(kinds.Person, "", "", "name_latin", "Tahsin", "visibility", "restricted"), noKey)
		if errs["visibility"] != records.ErrNeedsKey {
			t.Fatalf("a restricted person without a key: %v", errs)
		}
		// An admin creates nothing.
		if _, _, err := svc.Save(ctx, admin, nil, form(kinds.Person, "", "", "name_latin", "Tahsin", "visibility", "internal"), noKey); !errors.Is(err, records.ErrForbidden) {
			t.Fatalf("an admin created a person: %v", err)
		}

		p, errs, err := svc.Save(ctx, documenter, nil, form(kinds.Person, "", "", "name_latin", " Tahsin Osama ",
			"aliases", "Tahseen\nتحسين", "birth_year", "١٩٩٠", "visibility", "internal"), noKey)
		if err != nil || len(errs) > 0 || p.ID == "" || p.NameLatin != "Tahsin Osama" || p.BirthYear != 1990 {
			t.Fatalf("save: %+v %v %v", p, errs, err)
		}
		if got, err := svc.Get(ctx, other, p.ID, false); err != nil || got.NameLatin != "Tahsin Osama" {
			t.Fatalf("another documenter reads an internal person: %v", err)
		}
		if found, err := svc.Search(ctx, other, "tahseen", 10); err != nil || len(found) != 1 {
			t.Fatalf("search by alias: %v %v", found, err)
		}

		// An update over an older version is a conflict, and changes nothing.
		f := kinds.Person.FormOf(p)
		f.Values.Set("gender", "male")
		if _, _, err := svc.Save(ctx, documenter, p, f, noKey); err != nil {
			t.Fatal(err)
		}
		f.Values.Set("gender", "female")
		if _, _, err := svc.Save(ctx, documenter, p, f, noKey); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("a stale form: %v", err)
		}
		if got, _ := svc.Get(ctx, documenter, p.ID, false); got.Gender != "male" || got.Version != 2 {
			t.Fatalf("after the conflict: %+v", got)
		}
		versions, err := svc.Versions(ctx, p)
		if err != nil || len(versions) != 2 {
			t.Fatalf("history: %d versions, %v", len(versions), err)
		}
	})
}

func TestRestrictedIsHiddenAndSealed(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		storetest.FastKDF(t)
		member, id := storetest.FirstMember(t, ctx, st, "protection", "protection password")
		defer id.Zero()
		seal := func(ctx context.Context) (*keys.RecordSealer, string, error) {
			rs, err := keys.NewRecordSealer(ctx, st, id)
			return rs, "", err
		}
		svc := records.New(kinds.Person, st, nil)
		p, errs, err := svc.Save(ctx, member, nil, form(kinds.Person, "", "", "name_ar", "زينب كاظم",
			"visibility", "restricted"), seal)
		if err != nil || len(errs) > 0 {
			t.Fatalf("save: %v %v", errs, err)
		}
		stored, err := st.Persons().Get(ctx, p.ID)
		if err != nil || stored.NameAR != "" {
			t.Fatalf("the name is in the clear: %q %v", stored.NameAR, err)
		}
		// Someone who may not see it is told what a missing record tells.
		for _, u := range []*model.User{other, admin} {
			if _, err := svc.Get(ctx, u, p.ID, false); !errors.Is(err, records.ErrNotFound) {
				t.Fatalf("%s: %v", u.Role, err)
			}
			if list, n, err := svc.List(ctx, u, "", 50, 0); err != nil || n != 0 || len(list) != 0 {
				t.Fatalf("%s lists %d", u.Role, n)
			}
		}
		if _, err := svc.Get(ctx, member, p.ID, true); err != nil {
			t.Fatalf("its author: %v", err)
		}
		if found, err := keys.OpenRecord(ctx, st, member.Username, id, kinds.Person, stored); err != nil || !found || stored.NameAR != "زينب كاظم" {
			t.Fatalf("open: %v %v %q", found, err, stored.NameAR)
		}
	})
}
