package keys_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestOpenIncidentAll: an incident's sealed text and its restricted
// victims' names are found without opening, and opened together by a
// member only, each opening one audit entry.
func TestOpenIncidentAll(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { openIncidentAll(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { openIncidentAll(t, openPostgres(t)) })
}

func openIncidentAll(t *testing.T, s store.Store) {
	ctx := context.Background()
	storetest.FastKDF(t)
	_, member := storetest.FirstMember(t, ctx, s, "alice", "alice password 1")
	bob := storetest.KeyUser(t, ctx, s, "bob", model.RoleProtection, "bob password 12")
	outsider := storetest.Identity(t, ctx, s, bob, "bob password 12")
	inc, err := s.GetIncident(ctx, plantRecords(t, ctx, s, member))
	if err != nil {
		t.Fatal(err)
	}
	reads := func() (n int) {
		s.AuditEntries(ctx, func(e audit.Entry) error {
			if e.Action == "read:record" {
				n++
			}
			return nil
		})
		return n
	}
	before := reads()
	none := func(*model.Person) bool { return false }
	victim := model.Incident{Visibility: model.VisibilityInternal, Victims: inc.Victims}
	for _, c := range []struct {
		name string
		inc  *model.Incident
		may  func(*model.Person) bool
		want bool
	}{{"restricted", inc, nil, true}, {"victim only", &victim, nil, true}, {"victim not seen", &victim, none, false}} {
		if got, err := keys.IncidentSealed(ctx, s, c.inc, c.may); err != nil || got != c.want {
			t.Errorf("IncidentSealed %s: %v %v, want %v", c.name, got, err, c.want)
		}
	}
	if n, err := keys.OpenIncidentAll(ctx, s, "bob", outsider, inc, nil); !errors.Is(err, keys.ErrNotMember) || n != 0 || inc.NarrativeEN != "" {
		t.Fatalf("a non-member opens: %d %v %q", n, err, inc.NarrativeEN)
	}
	if got := reads(); got != before {
		t.Fatalf("a refused opening audited %d reads", got-before)
	}
	n, err := keys.OpenIncidentAll(ctx, s, "alice", member, inc, nil)
	if err != nil || n != 2 || inc.NarrativeEN == "" || inc.Victims[0].Person.NameLatin == "" {
		t.Fatalf("a member opens: %d %v %+v", n, err, inc)
	}
	if got := reads(); got != before+2 {
		t.Errorf("two openings audited %d reads", got-before)
	}
}
