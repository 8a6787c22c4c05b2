package incidents

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// onBoth runs test against a real encrypted SQLite file and a fresh
// PostgreSQL schema.
func onBoth(t *testing.T, test func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		key := make([]byte, 32)
		rand.Read(key)
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName), key, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		test(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv("RASD_TEST_PG")
		if url == "" {
			url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		}
		admin, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		b := make([]byte, 6)
		rand.Read(b)
		schema := "rasd_test_inc_" + hex.EncodeToString(b)
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			t.Fatalf("PostgreSQL at %s is required (the test command starts it): %v", url, err)
		}
		t.Cleanup(func() {
			if db, err := sql.Open("pgx", url); err == nil {
				db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
				db.Close()
			}
		})
		st, err := postgres.Open(context.Background(), url+"&search_path="+schema, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		test(t, st)
	})
}

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
