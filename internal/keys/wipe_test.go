package keys_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// The threat (docs/keys.md, "Bound to the keyring"): someone holds the
// database's tables — a PostgreSQL administrator, a stolen pg_dump, or, on
// SQLite, whoever read the decrypted file — and, after a wipe, a member's
// password or m recovery shares. The wipe destroyed the keyring; with it,
// nothing sealed may open.

func TestWipeLeavesNothingOpenableSQLite(t *testing.T) {
	testWipeLeavesNothingOpenable(t, func(t *testing.T, k *keyring.Keys) (store.Store, *sql.DB) {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName), k.Derive("database"), k.Derive("audit"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		// The open connection still reads the file after the wipe: it
		// stands for an attacker who decrypted the database somehow.
		return s, s.SQL()
	})
}

func TestWipeLeavesNothingOpenablePostgres(t *testing.T) {
	testWipeLeavesNothingOpenable(t, func(t *testing.T, k *keyring.Keys) (store.Store, *sql.DB) {
		url := pgSchema(t, "rasd_wipe_")
		s, err := postgres.Open(context.Background(), url, k.Derive("audit"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		dba, err := sql.Open("pgx", url) // the administrator's own connection
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dba.Close() })
		return s, dba
	})
}

// pgSchema is the URL of a schema of its own, dropped after the test.
func pgSchema(t *testing.T, _ string) string { return teststores.Schema(t) }

func testWipeLeavesNothingOpenable(t *testing.T, open func(*testing.T, *keyring.Keys) (store.Store, *sql.DB)) {
	ctx := context.Background()
	storetest.FastKDF(t)
	dir := t.TempDir()
	k, err := keyring.Create(dir, keyring.Secret{Passphrase: []byte("a wipe test passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	shares, err := k.SetupRecovery(dir, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	recPub, _, err := keyring.RecoveryPublicKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, db := open(t, k)
	if err := s.SetRecoveryKey(ctx, "admin", recPub.Bytes()); err != nil {
		t.Fatal(err)
	}
	plant(t, ctx, s) // grants, seals, a revocation: alice and the recovery key hold both compartments
	rk, err := keyring.Combine(shares[1:])
	if err != nil {
		t.Fatal(err)
	}
	recPriv := rk.PrivateKey().Bytes()
	// dave was granted everything by 'rasd keys recover --grant-to'.
	dave := storetest.KeyUser(t, ctx, s, "dave", model.RoleAdmin, "dave password 1")
	grants, _, err := keys.RecoveryGrants(ctx, s, recPriv, "cli", dave)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LogRecovery(ctx, "cli", grants); err != nil {
		t.Fatal(err)
	}

	// With the keyring, the password and the shares open every sealed
	// group: the attacker's method works.
	all := storetest.RawTables(t, db).Sealed
	if len(all) < 3 {
		t.Fatalf("%d sealed groups planted", len(all))
	}
	withRing := storetest.KeyringTables(t, ctx, s, db)
	if got, err := withRing.OpenWithPassword(ctx, "alice", "alice password 1"); len(got) != len(all) {
		t.Fatalf("with the keyring, alice's password opens %d of %d groups: %v", len(got), len(all), err)
	}
	if got, err := withRing.OpenWithRecovery(ctx, recPriv); len(got) != len(all) {
		t.Fatalf("with the keyring, the shares open %d of %d groups: %v", len(got), len(all), err)
	}
	if got, err := withRing.OpenWithPassword(ctx, "dave", "dave password 1"); len(got) != len(all) {
		t.Fatalf("with the keyring, dave's password opens %d of %d groups: %v", len(got), len(all), err)
	}

	if _, err := keyring.Destroy(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.UnlockRecovery(dir, rk); !errors.Is(err, keyring.ErrNoKeyring) {
		t.Fatalf("the shares still open the keyring after the wipe: %v", err)
	}

	raw := storetest.RawTables(t, db)
	for _, c := range model.Compartments {
		if !raw.Holds(c, "alice") || !raw.Holds(c, "dave") || !raw.Holds(c, model.MemberRecovery) {
			t.Fatalf("the tables hold no wrap of %s for alice, dave and the recovery key: nothing to attack", c)
		}
	}
	for _, u := range []string{"alice", "dave"} {
		got, err := raw.OpenWithPassword(ctx, u, u+" password 1")
		if len(got) != 0 || !errors.Is(err, keys.ErrDecrypt) {
			t.Errorf("after the wipe, the tables and %s's password open %v (%v)", u, got, err)
		}
	}
	got, err := raw.OpenWithRecovery(ctx, recPriv)
	if len(got) != 0 || !errors.Is(err, keys.ErrDecrypt) {
		t.Errorf("after the wipe, the tables and 2 of 3 shares open %v (%v)", got, err)
	}
}
