package records_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
	"github.com/rasd-project/rasd/internal/vocab"
)

// note is a kind kept in the protection compartment, naming a person and
// incidents, made for these tests.
type note struct {
	ID         string   `json:"id"`
	Person     string   `json:"person"`
	Incidents  []string `json:"incidents,omitempty"`
	Said       string   `json:"said,omitempty"`
	Level      string   `json:"level"`
	Visibility string   `json:"visibility"`
	model.SealedText
	model.Meta
}

var notes = record.New(record.Kind[note]{Name: "note", Path: "/notes", Group: model.GroupRecord,
	Compartment: model.CompartmentProtection, Parent: "person",
	Fields: []record.Field{
		{Name: "person", Input: record.Ref, Ref: "person", Required: true},
		{Name: "incidents", Input: record.Refs, Ref: "incident"},
		{Name: "said", Input: record.Textarea, Sealed: true},
		{Name: "level", Input: record.Code, Vocab: vocab.RiskLevel, Required: true},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Hidden: true},
	},
	Defaults: func(n *note) { n.Visibility = model.VisibilityRestricted },
})

// memory is store.Kind[note] in memory: this package's rules, not a
// table's, are under test here.
type memory map[string]note

func (m memory) Create(_ context.Context, actor string, n *note) error {
	n.ID, n.CreatedBy, n.Version = "n"+string(rune('0'+len(m))), actor, 1
	m[n.ID] = *n
	return nil
}
func (m memory) Update(_ context.Context, _ string, n *note) error { m[n.ID] = *n; return nil }
func (m memory) Get(_ context.Context, id string) (*note, error) {
	n, ok := m[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return &n, nil
}
func (m memory) List(_ context.Context, f store.ListFilter) ([]note, int, error) {
	var out []note
	for _, n := range m {
		if f.Field == "person" && n.Person != f.Value {
			continue
		}
		out = append(out, n)
	}
	return out, len(out), nil
}
func (m memory) Search(context.Context, string, int) ([]note, error) { return nil, nil }

func TestCompartmentKind(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		storetest.FastKDF(t)
		member, id := storetest.FirstMember(t, ctx, st, "protection", "protection password")
		defer id.Zero()
		coordinator := storetest.KeyUser(t, ctx, st, "coord", model.RoleCoordinator, "coordinator password")
		person := model.Person{NameLatin: "Safaa", Visibility: "internal"}
		if err := st.Persons().Create(ctx, "doc", &person); err != nil {
			t.Fatal(err)
		}
		inc := storetest.Incident()
		if err := st.CreateIncident(ctx, "doc", &inc); err != nil {
			t.Fatal(err)
		}
		mem := memory{}
		svc := &records.Service[note]{Kind: notes, Store: mem, History: st, Keys: st, Refs: records.StandardRefs(st)}
		seal := func(ctx context.Context) (*keys.RecordSealer, string, error) {
			rs, err := keys.NewRecordSealer(ctx, st, id)
			return rs, "", err
		}
		form := func(kv ...string) record.Form {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return notes.ReadForm("", v)
		}

		// A member writes: references are resolved (an incident by its
		// code), the text sealed, the visibility restricted whatever was
		// posted.
		n, errs, err := svc.Save(ctx, member, nil, form("person", person.ID, "incidents", inc.Code, "said",
			"we know where you live", "level", "high", "visibility", "public"), seal)
		if err != nil || len(errs) > 0 {
			t.Fatalf("save: %v %v", errs, err)
		}
		if n.Visibility != model.VisibilityRestricted || n.Said != "" || len(n.Incidents) != 1 || n.Incidents[0] != inc.ID {
			t.Fatalf("stored: %+v", n)
		}
		// A reference to nothing the writer may see is refused.
		if _, errs, _ := svc.Save(ctx, member, nil, form("person", "no such person", "level", "low"), seal); errs["person"] != records.ErrRef {
			t.Fatalf("a note on no one: %v", errs)
		}
		// Someone who is not a member — even a coordinator, who sees every
		// restricted incident — cannot tell that the note exists.
		if _, err := svc.Get(ctx, coordinator, n.ID, false); !errors.Is(err, records.ErrNotFound) {
			t.Fatalf("a non-member read the note: %v", err)
		}
		if list, total, err := svc.ListWhere(ctx, coordinator, "", "person", person.ID, 50, 0); err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("a non-member listed %d notes", total)
		}
		if _, _, err := svc.Save(ctx, coordinator, nil, form("person", person.ID, "level", "low"), seal); !errors.Is(err, records.ErrNotFound) {
			t.Fatalf("a non-member wrote a note: %v", err)
		}
		// The member lists it under its person.
		if list, total, err := svc.ListWhere(ctx, member, "", "person", person.ID, 50, 0); err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("the member listed %d notes, %v", total, err)
		}
	})
}
