package instance

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func init() { kdf.LowerForTests() }

const pass = "a test passphrase"

// says is a Passphrase that answers p and counts how often it was asked.
func says(p string, asked *int) Passphrase {
	return func(bool) ([]byte, error) {
		if asked != nil {
			*asked++
		}
		return []byte(p), nil
	}
}

func newDir(t *testing.T) config.Config {
	t.Helper()
	return config.Config{DataDir: filepath.Join(t.TempDir(), "data")}
}

// create makes cfg's data directory without recovery shares and closes it.
func create(t *testing.T, cfg config.Config) *Created {
	t.Helper()
	in, c, err := Create(context.Background(), cfg, CreateOptions{}, says(pass, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateThenOpen(t *testing.T) {
	ctx := context.Background()
	cfg := newDir(t)
	out := filepath.Join(t.TempDir(), "shares")
	in, c, err := Create(ctx, cfg, CreateOptions{WipeAfter: 5, RecoveryShares: 3, RecoveryThreshold: 2, RecoveryOut: out}, says(pass, nil))
	if err != nil {
		t.Fatal(err)
	}
	if in.Backend() != "sqlite" || in.Dir != cfg.DataDir {
		t.Errorf("instance: %s %s", in.Backend(), in.Dir)
	}
	// A new instance is open and writable.
	if err := in.Store.CreateUser(ctx, "test", &model.User{Username: "admin", Role: model.RoleAdmin, Lang: "en", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	in.Close()
	if info, err := os.Stat(cfg.DataDir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("data directory: %v %v", info, err)
	}
	for _, name := range []string{keyring.FileName, sqlite.FileName, backup.IdentityFile, backup.RecipientsFile, backup.SignerFile, keyring.GuardFile} {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if c.WipeAfter != 5 || !strings.HasPrefix(c.Recipient, "age1") || c.Identity != filepath.Join(cfg.DataDir, backup.IdentityFile) ||
		c.Keyring != filepath.Join(cfg.DataDir, keyring.FileName) || len(c.Moved) != 0 || c.KeyFile != "" {
		t.Errorf("created: %+v", c)
	}
	r := c.Recovery
	if r == nil || r.M != 2 || r.N != 3 || len(r.Shares) != 3 || len(r.Files) != 3 || r.Out != out {
		t.Fatalf("recovery: %+v", r)
	}
	for i, p := range r.Files {
		b, err := os.ReadFile(p)
		if err != nil || string(b) != r.Shares[i].Text() {
			t.Errorf("share file %s: %v", p, err)
		}
		if info, _ := os.Stat(p); info.Mode().Perm() != 0o600 {
			t.Errorf("share file %s mode %v", p, info.Mode().Perm())
		}
	}
	if err := CheckNoRecovery(cfg.DataDir); err == nil || !strings.Contains(err.Error(), "already has recovery key "+r.KeyID) {
		t.Errorf("a second recovery key: %v", err)
	}

	asked := 0
	in, err = Open(ctx, cfg, says(pass, &asked))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if asked != 1 {
		t.Errorf("the passphrase was asked %d times", asked)
	}
	if u, err := in.Store.GetUserByName(ctx, "admin"); err != nil || u.Role != model.RoleAdmin {
		t.Errorf("reopened store: %v %v", u, err)
	}
	// The store holds the recovery public key, so compartments wrap to it.
	pub, _, _ := keyring.RecoveryPublicKey(cfg.DataDir)
	if have, err := in.Store.RecoveryKey(ctx); err != nil || string(have) != string(pub.Bytes()) {
		t.Errorf("the store's recovery key: %x %v", have, err)
	}
	if _, err := in.Evidence(); err != nil {
		t.Errorf("evidence: %v", err)
	}
}

func TestCreateRefuses(t *testing.T) {
	ctx := context.Background()
	cfg := newDir(t)
	for _, tc := range []struct {
		cfg  config.Config
		opt  CreateOptions
		want string
	}{
		{config.Config{}, CreateOptions{}, "no data directory"},
		{config.Config{DataDir: cfg.DataDir, DB: "mysql://x"}, CreateOptions{}, "postgres:// URL"},
		{cfg, CreateOptions{WipeAfter: -1}, "--wipe-after"},
		{cfg, CreateOptions{RecoveryShares: 2, RecoveryThreshold: 3}, "--recovery-threshold"},
		{cfg, CreateOptions{RecoveryShares: keyring.MaxShares + 1, RecoveryThreshold: 1}, "--recovery-shares"},
		{cfg, CreateOptions{RecoveryShares: 3, RecoveryThreshold: 2, RecoveryOut: filepath.Join(cfg.DataDir, "shares")}, "must not be inside"},
	} {
		_, _, err := Create(ctx, tc.cfg, tc.opt, says(pass, nil))
		if _, ok := errors.AsType[*OptionError](err); !ok || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v %+v: %v, want an option error saying %q", tc.cfg, tc.opt, err, tc.want)
		}
	}
	if _, err := os.Stat(cfg.DataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused create left %s: %v", cfg.DataDir, err)
	}
	create(t, cfg)
	if _, _, err := Create(ctx, cfg, CreateOptions{}, says(pass, nil)); err == nil || !strings.Contains(err.Error(), "already initialised") {
		t.Errorf("create over a data directory: %v", err)
	}
}

func TestUnlockWrongPassphrase(t *testing.T) {
	cfg := newDir(t)
	create(t, cfg)
	if _, err := Unlock(cfg, says("not the passphrase", nil)); !errors.Is(err, keyring.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := Open(context.Background(), cfg, says("not the passphrase", nil)); !errors.Is(err, keyring.ErrWrongPassphrase) {
		t.Errorf("open with the wrong passphrase: %v", err)
	}
	if _, err := Unlock(cfg, nil); err == nil || !strings.Contains(err.Error(), "no passphrase") {
		t.Errorf("nothing to ask with: %v", err)
	}
	if k, err := Unlock(cfg, says(pass, nil)); err != nil || k == nil {
		t.Errorf("right passphrase: %v", err)
	}
}

func TestUnlockMissing(t *testing.T) {
	cfg := newDir(t)
	asked := 0
	if _, err := Unlock(cfg, says(pass, &asked)); !errors.Is(err, keyring.ErrNoKeyring) || asked != 0 {
		t.Errorf("no keyring: %v (asked %d times)", err, asked)
	}
	// A keyring without its database: the store is not silently made anew.
	create(t, cfg)
	os.Remove(filepath.Join(cfg.DataDir, sqlite.FileName))
	if _, err := Open(context.Background(), cfg, says(pass, nil)); err == nil || !strings.Contains(err.Error(), "no database at") {
		t.Errorf("open without a database: %v", err)
	}
}

func TestKeyFile(t *testing.T) {
	cfg := newDir(t)
	cfg.KeyFile = filepath.Join(t.TempDir(), "key")
	asked := 0
	in, c, err := Create(context.Background(), cfg, CreateOptions{}, says(pass, &asked))
	if err != nil {
		t.Fatal(err)
	}
	in.Close()
	if c.KeyFile != cfg.KeyFile || asked != 0 {
		t.Errorf("key file %q made, passphrase asked %d times", c.KeyFile, asked)
	}
	if info, err := os.Stat(cfg.KeyFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", info, err)
	}
	if _, err := Unlock(cfg, nil); err != nil {
		t.Errorf("unlock with the key file: %v", err)
	}
	os.WriteFile(cfg.KeyFile, []byte("short"), 0o600)
	if _, err := Unlock(cfg, nil); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Errorf("a short key file: %v", err)
	}
}

// TestWipedThenForceNew: a wiped directory refuses to unlock or be made
// again, before anything is asked; --force-new moves its leftovers aside
// and starts afresh.
func TestWipedThenForceNew(t *testing.T) {
	ctx := context.Background()
	cfg := newDir(t)
	create(t, cfg)
	if err := CheckWipe(cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	w, err := Wipe(cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	if !w.KeyringDestroyed || w.Database != filepath.Join(cfg.DataDir, sqlite.FileName) || w.Evidence != "" || w.RecoveryM != 0 {
		t.Errorf("wiped: %+v", w)
	}
	for _, name := range []string{keyring.FileName, backup.IdentityFile, backup.SignerFile, backup.RecipientsFile} {
		p := filepath.Join(cfg.DataDir, name)
		if !strings.Contains(strings.Join(w.Destroyed, "\n"), p) {
			t.Errorf("%s is not among the destroyed: %v", name, w.Destroyed)
		}
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived the wipe", name)
		}
	}
	asked := 0
	if _, err := Unlock(cfg, says(pass, &asked)); !errors.Is(err, ErrWiped) || !strings.Contains(err.Error(), "WIPED") || asked != 0 {
		t.Errorf("unlock after the wipe: %v (asked %d times)", err, asked)
	}
	if _, _, err := Create(ctx, cfg, CreateOptions{}, says(pass, &asked)); !errors.Is(err, ErrWiped) || asked != 0 {
		t.Errorf("create after the wipe: %v", err)
	}
	if err := CheckNoRecovery(cfg.DataDir); !errors.Is(err, ErrWiped) {
		t.Errorf("recovery after the wipe: %v", err)
	}

	in, c, err := Create(ctx, cfg, CreateOptions{ForceNew: true}, says("another passphrase", nil))
	if err != nil {
		t.Fatal(err)
	}
	in.Close()
	var moved []string
	for _, m := range c.Moved {
		moved = append(moved, m.Name)
		if !strings.HasPrefix(m.To, filepath.Join(cfg.DataDir, m.Name)+".old-") {
			t.Errorf("%s moved to %s", m.Name, m.To)
		}
		if _, err := os.Stat(m.To); err != nil {
			t.Errorf("moved file: %v", err)
		}
	}
	if got := strings.Join(moved, " "); got != sqlite.FileName+" "+keyring.WipedFile {
		t.Errorf("moved aside: %s", got)
	}
	if _, err := Open(ctx, cfg, says("another passphrase", nil)); err != nil {
		t.Errorf("open the new directory: %v", err)
	}
}

// TestLeftovers: a directory without a keyring that still holds the files
// of one (lost, not wiped) is not adopted: Create names what it found.
func TestLeftovers(t *testing.T) {
	cfg := newDir(t)
	create(t, cfg)
	os.Remove(filepath.Join(cfg.DataDir, keyring.FileName)) // lost, not wiped
	_, c, err := Create(context.Background(), cfg, CreateOptions{}, says(pass, nil))
	if err == nil || !strings.Contains(err.Error(), "still holds "+sqlite.FileName+", "+backup.IdentityFile) || !strings.Contains(err.Error(), "--force-new") {
		t.Fatalf("leftovers: %v", err)
	}
	if len(c.Moved) != 0 {
		t.Errorf("moved without --force-new: %v", c.Moved)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, sqlite.FileName)); err != nil {
		t.Errorf("the old database was touched: %v", err)
	}
}

func TestCheckWipeNothing(t *testing.T) {
	if err := CheckWipe(t.TempDir()); !errors.Is(err, keyring.ErrNoKeyring) || !strings.Contains(err.Error(), "nothing to wipe") {
		t.Errorf("wipe of an empty directory: %v", err)
	}
}

// TestSnapshot: the embedded store copies itself; PostgreSQL says what to
// do instead, and so does CheckSnapshot before anything is opened.
func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	cfg := newDir(t)
	create(t, cfg)
	in, err := Open(ctx, cfg, says(pass, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	dst := filepath.Join(t.TempDir(), "copy.db")
	head, err := in.Snapshot(ctx, dst)
	if err != nil || head.Seq < 1 {
		t.Fatalf("snapshot: %+v %v", head, err)
	}
	copied, err := sqlite.Open(ctx, dst, in.Keys.Derive("database"), in.Keys.Derive("audit"))
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if n, err := store.VerifyAudit(ctx, copied, in.Keys.Derive("audit")); err != nil || n != head.Seq {
		t.Errorf("the snapshot's audit log: %d %v, head %d", n, err, head.Seq)
	}
	if src := in.BackupSource(); src.Dir != cfg.DataDir || src.Backend != "sqlite" || src.Keys != in.Keys || src.Snapshot == nil {
		t.Errorf("backup source: %+v", src)
	}
	pg := config.Config{DataDir: cfg.DataDir, DB: "postgres://x"}
	if err := CheckSnapshot(pg); !isNoSnapshot(err) || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("CheckSnapshot on PostgreSQL: %v", err)
	}
	if err := CheckSnapshot(cfg); err != nil {
		t.Errorf("CheckSnapshot on SQLite: %v", err)
	}
}

func isNoSnapshot(err error) bool {
	_, ok := errors.AsType[*NoSnapshotError](err)
	return ok
}

// TestPostgres: the same life on PostgreSQL: the keyring in the data
// directory, the store in the database (a fresh schema of its own).
func TestPostgres(t *testing.T) {
	ctx := context.Background()
	cfg := newDir(t)
	cfg.DB = freshSchema(t)
	in, c, err := Create(ctx, cfg, CreateOptions{RecoveryShares: 2, RecoveryThreshold: 2}, says(pass, nil))
	if err != nil {
		t.Fatal(err)
	}
	if in.Backend() != "postgres" || len(c.Recovery.Shares) != 2 || c.Recovery.Files != nil {
		t.Errorf("created: %s %+v", in.Backend(), c.Recovery)
	}
	if err := in.Store.CreateUser(ctx, "test", &model.User{Username: "admin", Role: model.RoleAdmin, Lang: "en", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	in.Close()
	if _, err := os.Stat(filepath.Join(cfg.DataDir, sqlite.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an embedded database was made beside PostgreSQL: %v", err)
	}
	in, err = Open(ctx, cfg, says(pass, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if u, err := in.Store.GetUserByName(ctx, "admin"); err != nil || u.Role != model.RoleAdmin {
		t.Errorf("reopened store: %v %v", u, err)
	}
	pub, _, _ := keyring.RecoveryPublicKey(cfg.DataDir)
	if have, err := in.Store.RecoveryKey(ctx); err != nil || string(have) != string(pub.Bytes()) {
		t.Errorf("the store's recovery key: %x %v", have, err)
	}
	if _, err := in.Snapshot(ctx, filepath.Join(t.TempDir(), "x")); !isNoSnapshot(err) {
		t.Errorf("snapshot on PostgreSQL: %v", err)
	}
	if _, err := Open(ctx, cfg, says("not the passphrase", nil)); !errors.Is(err, keyring.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
}

// freshSchema gives the test an empty schema of its own, dropped after.
func freshSchema(t *testing.T) string { return teststores.Schema(t) }
