package protection_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// fixture is a store with a member of the protection compartment, a
// coordinator who is not one, a person, and the service at a fixed clock.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	st     store.Store
	svc    *protection.Service
	member *model.User
	coord  *model.User
	person model.Person
	linked model.Person // the person plant's case, threat and list entry name
	seal   records.Sealer
	id     keys.Identity // the member's
	now    time.Time
}

func newFixture(t *testing.T, st store.Store) *fixture {
	ctx := context.Background()
	storetest.FastKDF(t)
	member, id := storetest.FirstMember(t, ctx, st, "rana", "rana password 1")
	t.Cleanup(id.Zero)
	f := &fixture{t: t, ctx: ctx, st: st, member: member, id: id,
		coord: storetest.KeyUser(t, ctx, st, "coord", model.RoleCoordinator, "coordinator password"),
		now:   time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	f.svc = protection.New(st, func() time.Time { return f.now })
	f.seal = func(ctx context.Context) (*keys.RecordSealer, string, error) {
		rs, err := keys.NewRecordSealer(ctx, st, id)
		return rs, "", err
	}
	f.person = model.Person{NameLatin: "Safaa Example", Visibility: model.VisibilityInternal}
	if err := st.Persons().Create(ctx, "doc", &f.person); err != nil {
		t.Fatal(err)
	}
	return f
}

func form[T any](k *record.Kind[T], kv ...string) record.Form {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return k.ReadForm("", v)
}

// must stops the test (a panic fails it) on refused fields or an error of
// a save the test needs to go on.
func must[T any](r *T, errs record.Errors, err error) *T {
	if err != nil || len(errs) > 0 {
		panic(fmt.Sprintf("save: %v %v", errs, err))
	}
	return r
}

func (f *fixture) newPerson(name string) model.Person {
	p := model.Person{NameLatin: name, Visibility: model.VisibilityInternal}
	if err := f.st.Persons().Create(f.ctx, "doc", &p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// links opens the links of people at risk with the member's key.
func (f *fixture) links() *protection.Links {
	f.t.Helper()
	rs, _, err := f.seal(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(rs.Close)
	l, err := f.svc.Links(f.ctx, f.member, rs)
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

// open fills r's sealed fields in, as the member's page does.
func open[T any](f *fixture, k *record.Kind[T], r *T) *T {
	f.t.Helper()
	if _, err := keys.OpenRecord(f.ctx, f.st, f.member.Username, f.id, k, r); err != nil {
		f.t.Fatal(err)
	}
	return r
}
