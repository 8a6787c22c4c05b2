package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// opener opens the same database again each time it is called.
type opener func(t *testing.T) *sqlstore.DB

func sqliteOpener(t *testing.T) opener {
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	key := make([]byte, 32)
	rand.Read(key)
	return func(t *testing.T) *sqlstore.DB {
		s, err := sqlite.Open(context.Background(), path, key, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func postgresOpener(t *testing.T) opener {
	url := os.Getenv("RASD_TEST_PG")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rasd_layer_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is required (the test command starts it): %v", url, err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	return func(t *testing.T) *sqlstore.DB {
		s, err := postgres.Open(context.Background(), url+"&search_path="+schema, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func TestWrapLayerUpgradeSQLite(t *testing.T)   { testWrapLayerUpgrade(t, sqliteOpener(t)) }
func TestWrapLayerUpgradePostgres(t *testing.T) { testWrapLayerUpgrade(t, postgresOpener(t)) }

func TestWrapLayerUpgradeSkipsForeignWrapsSQLite(t *testing.T) {
	testUpgradeSkipsForeignWraps(t, sqliteOpener(t))
}
func TestWrapLayerUpgradeSkipsForeignWrapsPostgres(t *testing.T) {
	testUpgradeSkipsForeignWraps(t, postgresOpener(t))
}

// bind writes q's placeholders for s's backend.
func bind(s *sqlstore.DB, q string) string {
	if s.Backend() != "postgres" {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
	}
	return q
}

// oldDatabase makes a database as rasd wrote it before the keyring layer:
// alice holds both compartments, so does the recovery key, and each
// compartment seals one record.
func oldDatabase(t *testing.T, ctx context.Context, s *sqlstore.DB) (recPriv []byte) {
	storetest.FastKDF(t)
	alice := storetest.KeyUser(t, ctx, s, "alice", model.RoleProtection, "alice password 1")
	recPriv, recPub, err := keys.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryKey(ctx, "admin", recPub); err != nil {
		t.Fatal(err)
	}
	for _, c := range model.Compartments {
		if err := keys.Grant(ctx, s, "admin", keys.Identity{}, c, alice); err != nil {
			t.Fatal(err)
		}
	}
	a := storetest.Identity(t, ctx, s, alice, "alice password 1")
	p := model.Person{NameLatin: "Someone"}
	src := model.Source{Type: "witness", Reliability: "B", Label: "S-1"}
	if err := s.Persons().Create(ctx, "alice", &p); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSource(ctx, "alice", &src); err != nil {
		t.Fatal(err)
	}
	if err := keys.Seal(ctx, s, "alice", a, store.KindPerson, p.ID, model.GroupPersonProtection, model.PersonProtection{Whereabouts: "Erbil"}); err != nil {
		t.Fatal(err)
	}
	if err := keys.Seal(ctx, s, "alice", a, store.KindSource, src.ID, model.GroupSourceIdentity, model.SourceIdentity{Name: "A witness"}); err != nil {
		t.Fatal(err)
	}
	if err := s.UndoWrapLayer(ctx); err != nil {
		t.Fatal(err)
	}
	return recPriv
}

// testWrapLayerUpgrade: a database written before the keyring layer opens
// after the upgrade, which needs no member's key; afterwards the tables
// alone open nothing, and a bare wrap put back is refused.
func testWrapLayerUpgrade(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	recPriv := oldDatabase(t, ctx, s)
	before := storetest.RawTables(t, s.SQL())
	if got, err := before.OpenWithPassword(ctx, "alice", "alice password 1"); len(got) != 2 {
		t.Fatalf("the old database: alice's password and the tables open %v (%v); want both groups, as before the layer", got, err)
	}
	var bare, bareMAC []byte
	var aliceID string
	for _, u := range before.Users {
		if u.Username == "alice" {
			aliceID = u.ID
		}
	}
	if err := s.SQL().QueryRow(bind(s, `SELECT wrapped, mac FROM compartment_keys WHERE compartment = ? AND member = ?`),
		model.CompartmentProtection, aliceID).Scan(&bare, &bareMAC); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t) // the upgrade
	withRing := storetest.KeyringTables(t, ctx, s, s.SQL())
	if got, err := withRing.OpenWithPassword(ctx, "alice", "alice password 1"); len(got) != 2 {
		t.Errorf("after the upgrade, alice opens %v (%v)", got, err)
	}
	if got, err := withRing.OpenWithRecovery(ctx, recPriv); len(got) != 2 {
		t.Errorf("after the upgrade, the recovery key opens %v (%v)", got, err)
	}
	raw := storetest.RawTables(t, s.SQL())
	if len(raw.Wraps) != 4 {
		t.Fatalf("%d wraps after the upgrade, want 4", len(raw.Wraps))
	}
	if got, err := raw.OpenWithPassword(ctx, "alice", "alice password 1"); len(got) != 0 || !errors.Is(err, keys.ErrDecrypt) {
		t.Errorf("after the upgrade, the tables alone open %v with alice's password (%v)", got, err)
	}
	if got, err := raw.OpenWithRecovery(ctx, recPriv); len(got) != 0 || !errors.Is(err, keys.ErrDecrypt) {
		t.Errorf("after the upgrade, the tables alone open %v with the recovery key (%v)", got, err)
	}
	layered := 0
	s.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Action == "layer" && e.Actor == "upgrade" {
			layered++
		}
		return nil
	})
	if layered != 4 {
		t.Errorf("%d audit entries for the upgrade, want one per wrap (4)", layered)
	}
	if _, err := store.VerifyAudit(ctx, s, storetest.AuditKey); err != nil {
		t.Error(err)
	}

	// A bare wrap put back, with the MAC rasd gave it then, is refused,
	// now and after the store is opened again.
	if _, err := s.SQL().Exec(bind(s, `UPDATE compartment_keys SET wrapped = ?, mac = ? WHERE compartment = ? AND member = ?`),
		bare, bareMAC, model.CompartmentProtection, aliceID); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, _, err := s.Compartment(ctx, model.CompartmentProtection); err == nil || !strings.Contains(err.Error(), "integrity") {
			t.Errorf("open %d: a bare wrap put back after the upgrade: %v, want an integrity error", i+1, err)
		}
		s.Close()
		s = open(t)
	}
}

// testUpgradeSkipsForeignWraps: a wrap rasd did not write (its MAC fails)
// is not given the layer, which would make it look like rasd's.
func testUpgradeSkipsForeignWraps(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	oldDatabase(t, ctx, s)
	if _, err := s.SQL().Exec(bind(s, `UPDATE compartment_keys SET mac = ? WHERE compartment = ?`),
		[]byte("not rasd's"), model.CompartmentSources); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t)
	if _, _, err := s.Compartment(ctx, model.CompartmentSources); err == nil || !strings.Contains(err.Error(), "integrity") {
		t.Errorf("a foreign wrap after the upgrade: %v, want an integrity error", err)
	}
	var first []byte
	if err := s.SQL().QueryRow(bind(s, `SELECT wrapped FROM compartment_keys WHERE compartment = ? AND member = ?`),
		model.CompartmentSources, model.MemberRecovery).Scan(&first); err != nil || first[0] == 2 { // 2 starts the layer
		t.Errorf("the foreign wrap was rewritten by the upgrade (%v)", err)
	}
	if _, _, err := s.Compartment(ctx, model.CompartmentProtection); err != nil {
		t.Errorf("the other compartment after the upgrade: %v", err)
	}
}
