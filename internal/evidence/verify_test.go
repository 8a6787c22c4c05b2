package evidence

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// sqlStore is a store whose SQL can be reached beneath it, to change a
// row as someone with the database and not the keys would.
type sqlStore interface {
	store.Store
	SQL() *sql.DB
}

// editIntakeHash changes one character of the hash recorded at intake
// for e, in the database itself: whatever form the column takes (hex
// SHA-256, a keyed MAC), the value no longer matches the file.
func editIntakeHash(t *testing.T, db *sql.DB, id string) {
	t.Helper()
	var recorded string
	if err := db.QueryRow(`SELECT sha256 FROM evidence WHERE id = $1`, id).Scan(&recorded); err != nil {
		t.Fatalf("reading the recorded hash: %v", err)
	}
	edited := "0" + recorded[1:]
	if recorded[0] == '0' {
		edited = "1" + recorded[1:]
	}
	if _, err := db.Exec(`UPDATE evidence SET sha256 = $1 WHERE id = $2`, edited, id); err != nil {
		t.Fatalf("editing the recorded hash: %v", err)
	}
}

// TestVerifyComparesTheIntakeHash: a file whose recorded intake hash was
// changed in the database fails Verify and Check, on both stores. The
// file itself still decrypts, so only the comparison with the recorded
// hash can find it (without that comparison Verify passed: no test saw).
func TestVerifyComparesTheIntakeHash(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) sqlStore{"sqlite": sqliteStore, "postgres": postgresStore} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			inc := storetest.Incident()
			if err := st.CreateIncident(ctx, "zainab", &inc); err != nil {
				t.Fatal(err)
			}
			key := make([]byte, 32)
			rand.Read(key)
			svc, err := New(t.TempDir(), st, key)
			if err != nil {
				t.Fatal(err)
			}
			good, err := svc.Add(ctx, "zainab", store.KindIncident, inc.ID, "a.png", strings.NewReader(string(fixture(t, "meta.png"))))
			if err != nil {
				t.Fatal(err)
			}
			edited, err := svc.Add(ctx, "zainab", store.KindIncident, inc.ID, "b.jpg", strings.NewReader(string(fixture(t, "gps.jpg"))))
			if err != nil {
				t.Fatal(err)
			}
			if n, err := svc.Verify(ctx, func(e model.Evidence, err error) { t.Errorf("before the edit: %s: %v", e.ID, err) }); n != 2 || err != nil {
				t.Fatalf("Verify before the edit: %d, %v", n, err)
			}
			editIntakeHash(t, st.SQL(), edited.ID)
			var bad []string
			n, err := svc.Verify(ctx, func(e model.Evidence, err error) {
				var de *DamagedError
				if !errors.As(err, &de) {
					t.Errorf("%s: %v, want a DamagedError", e.ID, err)
				}
				bad = append(bad, e.ID)
			})
			if err != nil || n != 2 || len(bad) != 1 || bad[0] != edited.ID {
				t.Errorf("Verify after the recorded hash of %s was edited: %d checked, bad %v, %v", edited.ID, n, bad, err)
			}
			stored, err := st.GetEvidence(ctx, edited.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.Check(stored); err == nil {
				t.Error("Check passed a file whose recorded hash was edited")
			}
			if stored, _ := st.GetEvidence(ctx, good.ID); svc.Check(stored) != nil {
				t.Error("the other file fails Check")
			}
		})
	}
}

func sqliteStore(t *testing.T) sqlStore { return teststores.SQLite(t) }

func postgresStore(t *testing.T) sqlStore {
	url := teststores.Schema(t)
	st, err := postgres.Open(context.Background(), url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
