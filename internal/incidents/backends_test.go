package incidents

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// onBoth runs test against a real encrypted SQLite file and a fresh
// PostgreSQL schema.
func onBoth(t *testing.T, test func(t *testing.T, st store.Store)) { teststores.Each(t, test) }

// user is an active account of role (access needs no stored account).
func user(name, role string) *model.User {
	return &model.User{ID: name + "-id", Username: name, Role: role}
}

// newIncident is a valid incident as a form would give it.
func newIncident(change func(*model.Incident)) *model.Incident {
	inc := &model.Incident{Type: "assault", Date: model.Date{Start: "2019-10-05"}, Place: model.Place{Admin1: "IQ-BG", District: "IQG08Q06"},
		SummaryEN: "An activist was beaten near Tahrir Square.", Perpetrators: []model.Perpetrator{{Type: "unknown"}}}
	if change != nil {
		change(inc)
	}
	return inc
}

// count is how many incidents the store holds, whoever made them.
func count(t *testing.T, st store.Store) int {
	t.Helper()
	_, n, err := New(st, nil).List(context.Background(), Operator, store.IncidentFilter{Limit: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	return n
}
