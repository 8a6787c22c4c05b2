package evidence

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// seizedStore is a fresh store of each backend, its SQL pool as whoever
// seized the database reads it (PostgreSQL's tables, the SQLite file
// opened with its key), with one incident.
func seizedStores(t *testing.T) map[string]func(t *testing.T) (store.Store, *sql.DB, string) {
	return map[string]func(t *testing.T) (store.Store, *sql.DB, string){
		"sqlite": func(t *testing.T) (store.Store, *sql.DB, string) {
			st := teststores.SQLite(t)
			return st, st.SQL(), seizedIncident(t, st)
		},
		"postgres": func(t *testing.T) (store.Store, *sql.DB, string) {
			url := teststores.Schema(t)
			st, err := postgres.Open(context.Background(), url, storetest.AuditKey)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st, st.SQL(), seizedIncident(t, st)
		},
	}
}

func seizedIncident(t *testing.T, st store.Store) string {
	inc := storetest.Incident()
	if err := st.CreateIncident(context.Background(), "zainab", &inc); err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

// hashNeedles are the forms in which a database could confirm that it
// holds a file someone else holds too: its SHA-256 in hex (either case),
// raw and in base64, and the digests rasd's audit entries would derive
// from it (a custody line's digest is SHA-256 of the recorded hash, a
// newline and the note).
func hashNeedles(file []byte, notes ...string) [][]byte {
	sum := sha256.Sum256(file)
	h := hex.EncodeToString(sum[:])
	out := [][]byte{[]byte(h), []byte(strings.ToUpper(h)), sum[:],
		[]byte(base64.StdEncoding.EncodeToString(sum[:])), []byte(base64.RawURLEncoding.EncodeToString(sum[:]))}
	for _, n := range append(notes, "") {
		d := sha256.Sum256([]byte(h + "\n" + n))
		out = append(out, []byte(hex.EncodeToString(d[:])))
	}
	return out
}

// oldSnapshotDigest is the digest an audit entry would hold of the
// intake version had it kept the plain SHA-256 (as rasd did before the
// hash was keyed): whoever holds the file and the row's other columns
// could rebuild that snapshot and find the digest.
func oldSnapshotDigest(t *testing.T, e *model.Evidence, file []byte) []byte {
	sum := sha256.Sum256(file)
	snap, err := json.Marshal(struct {
		ID         string    `json:"id"`
		ParentKind string    `json:"parent_kind"`
		ParentID   string    `json:"parent_id"`
		SHA256     string    `json:"sha256"`
		Size       int64     `json:"size"`
		Type       string    `json:"type"`
		CreatedAt  time.Time `json:"created_at"`
		CreatedBy  string    `json:"created_by"`
	}{e.ID, e.ParentKind, e.ParentID, hex.EncodeToString(sum[:]), e.Size, e.Type, e.CreatedAt, e.CreatedBy})
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256(snap)
	return []byte(hex.EncodeToString(d[:]))
}

// TestSeizedDatabaseKnowsNoHash: whoever seizes the database and holds a
// file cannot find its SHA-256 (nor what the audit log derives from it)
// in any table, on either backend; rasd, with the keyring, still shows
// and verifies it.
func TestSeizedDatabaseKnowsNoHash(t *testing.T) {
	for name, open := range seizedStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, db, incID := open(t)
			key := make([]byte, 32)
			rand.Read(key)
			svc, err := New(t.TempDir(), st, key)
			if err != nil {
				t.Fatal(err)
			}
			known := fixture(t, "gps.jpg")
			e, err := svc.Add(ctx, "zainab", store.KindIncident, incID, "photo.jpg", bytes.NewReader(known))
			if err != nil {
				t.Fatal(err)
			}
			if err := st.LogCustody(ctx, model.Custody{EvidenceID: e.ID, Actor: "omar", Action: model.CustodyExportOrig, Note: "to court"}); err != nil {
				t.Fatal(err)
			}
			needles := append(hashNeedles(known, "to court"), oldSnapshotDigest(t, e, known))
			cells := 0
			storetest.EveryCell(t, db, func(c storetest.Cell) {
				cells++
				for _, n := range needles {
					if bytes.Contains(bytes.ToLower(c.Value), bytes.ToLower(n)) {
						t.Errorf("%s.%s holds %q, derived from the known file's SHA-256", c.Table, c.Column, n)
					}
				}
			})
			if cells == 0 {
				t.Fatal("the scan read nothing")
			}
			// With the keyring, rasd shows and checks the hash.
			sum := sha256.Sum256(known)
			got, err := st.GetEvidence(ctx, e.ID)
			if err != nil || svc.SHA256(got) != hex.EncodeToString(sum[:]) {
				t.Fatalf("SHA256 = %q, %v", svc.SHA256(got), err)
			}
			if n, err := svc.Verify(ctx, func(_ model.Evidence, err error) { t.Errorf("verify: %v", err) }); n != 1 || err != nil {
				t.Errorf("Verify: %d, %v", n, err)
			}
		})
	}
}

// q is a statement with '?' placeholders in the backend's form.
func q(st store.Store, stmt string) string {
	if st.Backend() != "postgres" {
		return stmt
	}
	for n := 1; strings.Contains(stmt, "?"); n++ {
		stmt = strings.Replace(stmt, "?", fmt.Sprintf("$%d", n), 1)
	}
	return stmt
}

// TestKeyHashesOfOlderRows: evidence taken in before hashes were keyed
// (the plain SHA-256 in its row and history) is converted by KeyHashes:
// afterwards the plain hash is in no table, the file verifies and shows
// its hash. What the conversion cannot reach is the audit log's entries
// written before it, whose digests still derive from the plain hash
// (docs/evidence.md). A file that cannot be read is left and reported; a
// row whose conversion marker was removed and a guess put in its place
// gets the same keyed hash as before, whatever the guess, and fails its
// check.
func TestKeyHashesOfOlderRows(t *testing.T) {
	for name, open := range seizedStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st, db, incID := open(t)
			key := make([]byte, 32)
			rand.Read(key)
			svc, err := New(t.TempDir(), st, key)
			if err != nil {
				t.Fatal(err)
			}
			known, other := fixture(t, "gps.jpg"), fixture(t, "meta.png")
			e, err := svc.Add(ctx, "zainab", store.KindIncident, incID, "photo.jpg", bytes.NewReader(known))
			if err != nil {
				t.Fatal(err)
			}
			lost, err := svc.Add(ctx, "zainab", store.KindIncident, incID, "lost.png", bytes.NewReader(other))
			if err != nil {
				t.Fatal(err)
			}
			keyed := e.HashMAC
			// As an older rasd kept them: the plain hash in the row, and in
			// the version under the name it had then, as the audit log
			// recorded it.
			for _, x := range []struct {
				ev   *model.Evidence
				file []byte
			}{{e, known}, {lost, other}} {
				sum := sha256.Sum256(x.file)
				plain := hex.EncodeToString(sum[:])
				h, err := st.History(ctx, store.KindEvidence, x.ev.ID)
				if err != nil || len(h) != 1 {
					t.Fatalf("history: %+v, %v", h, err)
				}
				old := strings.Replace(string(h[0].Snapshot), fmt.Sprintf(`"sha256_hmac":%q`, x.ev.HashMAC), fmt.Sprintf(`"sha256":%q`, plain), 1)
				if old == string(h[0].Snapshot) {
					t.Fatalf("the control failed: no keyed hash in %s", old)
				}
				if _, err := db.Exec(q(st, `UPDATE evidence SET sha256 = ?, sha256_sealed = NULL WHERE id = ?`), plain, x.ev.ID); err != nil {
					t.Fatal(err)
				}
				storetest.KeepAsWritten(t, storetest.Opened{Store: st, SQL: db}, store.KindEvidence, x.ev.ID, 1, old)
			}
			if _, err := store.VerifyAudit(ctx, st, storetest.AuditKey); err != nil {
				t.Fatalf("audit verify before the conversion: %v", err)
			}
			os.Remove(svc.path(lost.Blob))
			var bad []string
			n, err := svc.KeyHashes(ctx, "cli", func(e model.Evidence, err error) { bad = append(bad, e.ID) })
			if err != nil || n != 1 || len(bad) != 1 || bad[0] != lost.ID {
				t.Fatalf("KeyHashes: %d, bad %v, %v; want 1 converted, the lost file reported", n, bad, err)
			}
			got, _ := st.GetEvidence(ctx, e.ID)
			sum := sha256.Sum256(known)
			if got.HashMAC != keyed || svc.SHA256(got) != hex.EncodeToString(sum[:]) || svc.Check(got) != nil {
				t.Fatalf("after conversion: %s %q %v", got.HashMAC, svc.SHA256(got), svc.Check(got))
			}
			storetest.EveryCell(t, db, func(c storetest.Cell) {
				if bytes.Contains(c.Value, []byte(hex.EncodeToString(sum[:]))) {
					t.Errorf("after conversion %s.%s holds the plain SHA-256", c.Table, c.Column)
				}
			})
			if _, err := store.VerifyAudit(ctx, st, storetest.AuditKey); err != nil {
				t.Errorf("audit verify: %v", err)
			}
			if n, _ := svc.KeyHashes(ctx, "cli", func(model.Evidence, error) {}); n != 0 {
				t.Errorf("KeyHashes again converted %d", n)
			}

			// A database writer removes the marker and puts a guess in.
			guess := strings.Repeat("0", 64)
			if _, err := db.Exec(q(st, `UPDATE evidence SET sha256 = ?, sha256_sealed = NULL WHERE id = ?`), guess, e.ID); err != nil {
				t.Fatal(err)
			}
			svc.KeyHashes(ctx, "cli", func(model.Evidence, error) {})
			got, _ = st.GetEvidence(ctx, e.ID)
			if got.HashMAC != keyed {
				t.Errorf("the keyed hash after a guess: %s, before %s: it depends on the guess", got.HashMAC, keyed)
			}
			if svc.Check(got) == nil {
				t.Error("a row whose recorded hash was replaced verifies")
			}
		})
	}
}

// TestAlteredHashRowFails: a row whose keyed or sealed hash was edited,
// or taken from another row, fails its check.
func TestAlteredHashRowFails(t *testing.T) {
	e := newEnv(t)
	a, b := e.add(t, "a.jpg", fixture(t, "gps.jpg")), e.add(t, "b.png", fixture(t, "meta.png"))
	for what, edit := range map[string]func(x *model.Evidence){
		"keyed hash edited":      func(x *model.Evidence) { x.HashMAC = strings.Repeat("a", 64) },
		"keyed hash of another":  func(x *model.Evidence) { x.HashMAC = b.HashMAC },
		"sealed hash of another": func(x *model.Evidence) { x.SHA256Sealed = b.SHA256Sealed },
		"sealed hash removed":    func(x *model.Evidence) { x.SHA256Sealed = nil },
		"sealed hash byte flipped": func(x *model.Evidence) {
			x.SHA256Sealed = append([]byte(nil), x.SHA256Sealed...)
			x.SHA256Sealed[len(x.SHA256Sealed)-1] ^= 1
		},
	} {
		x := *a
		edit(&x)
		var de *DamagedError
		if err := e.svc.Check(&x); !errors.As(err, &de) {
			t.Errorf("%s: Check = %v, want a DamagedError", what, err)
		}
	}
	if err := e.svc.Check(a); err != nil {
		t.Errorf("the unaltered row: %v", err)
	}
}
