package backup

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
)

func init() { kdf.LowerForTests() }

// dataDir is a data directory as rasd init leaves it, with evidence, and a
// Source whose snapshot copies a stand-in database file.
type dataDir struct {
	src      Source
	identity string            // the backup identity file
	files    map[string][]byte // member name → content expected in a restore
}

func newDataDir(t *testing.T) dataDir {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(dir, 0o700)
	keys, err := keyring.Create(dir, keyring.Secret{Passphrase: []byte("a test passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Setup(dir, SigningKey(keys).Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	if err := keyring.SetWipeAfter(dir, 5); err != nil {
		t.Fatal(err)
	}
	d := dataDir{identity: filepath.Join(dir, IdentityFile), files: map[string][]byte{}}
	db := bytes.Repeat([]byte("encrypted pages "), 5000)
	os.WriteFile(filepath.Join(dir, store.SQLiteFile), []byte("the live file, not the snapshot"), 0o600)
	d.files[store.SQLiteFile] = db
	for name, content := range map[string]string{
		"evidence/ab/abcdef": "evidence ciphertext",
		"evidence/cd/cdef01": "more evidence ciphertext",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte(content), 0o600)
		d.files[name] = []byte(content)
	}
	// An upload in progress is not part of a backup.
	os.MkdirAll(filepath.Join(dir, "evidence", ".incoming"), 0o700)
	os.WriteFile(filepath.Join(dir, "evidence", ".incoming", "partial"), []byte("half"), 0o600)
	os.WriteFile(filepath.Join(dir, "evidence", "ab", ".tmp-upload"), []byte("half"), 0o600)
	for _, name := range []string{keyring.FileName, RecipientsFile, SignerFile, keyring.GuardFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		d.files[name] = b
	}
	d.src = Source{Dir: dir, Keys: keys, Backend: "sqlite",
		Snapshot: func(ctx context.Context, dst string) (audit.Head, error) {
			return audit.Head{Seq: 42, Hash: "cafe"}, os.WriteFile(dst, db, 0o600)
		}}
	return d
}

func (d dataDir) options(t *testing.T) RestoreOptions {
	t.Helper()
	ids, trusted, err := ReadIdentityFiles([]string{d.identity})
	if err != nil {
		t.Fatal(err)
	}
	return RestoreOptions{Identities: ids, Trusted: trusted}
}

// hidden lists what a backup or restore left behind in dir: its
// temporary files and folders all start with a dot.
func hidden(dir string) []string {
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			left = append(left, e.Name())
		}
	}
	return left
}

func TestCreateRestore(t *testing.T) {
	ctx := context.Background()
	d := newDataDir(t)
	rcpts, from, err := DefaultRecipients(d.src.Dir)
	if err != nil || from != filepath.Join(d.src.Dir, RecipientsFile) {
		t.Fatal(from, err)
	}
	out := filepath.Join(t.TempDir(), "b.rasdbackup")
	var done, total int64
	m, err := Create(ctx, d.src, CreateOptions{Out: out, Recipients: rcpts, RasdVersion: "test",
		Progress: func(d, t int64) { done, total = d, t }})
	if err != nil {
		t.Fatal(err)
	}
	if m.AuditHead != (AuditHead{Seq: 42, Hash: "cafe"}) || m.Backend != "sqlite" || m.RasdVersion != "test" || len(m.Members) != len(d.files) {
		t.Errorf("manifest: %+v", m)
	}
	if done == 0 || done != total {
		t.Errorf("progress: %d of %d", done, total)
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v %v", info, err)
	}
	if left := append(hidden(d.src.Dir), hidden(filepath.Dir(out))...); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := Create(ctx, d.src, CreateOptions{Out: out, Recipients: rcpts}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a backup over an existing file: %v", err)
	}

	// Failed unlocks counted before the backup do not come back with it.
	keyring.Unlock(d.src.Dir, keyring.Secret{Passphrase: []byte("wrong passphrase")})
	if _, failures, _ := keyring.WipeAfter(d.src.Dir); failures != 1 {
		t.Fatalf("failures before the restore: %d", failures)
	}
	m2, err := Create(ctx, d.src, CreateOptions{Out: out + "2", Recipients: rcpts})
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "restored")
	r, err := Restore(ctx, out+"2", target, d.options(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Signer != m2.Signer || len(r.Members) != len(m2.Members) {
		t.Errorf("restored manifest: %+v", r)
	}
	for name, want := range d.files {
		got, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(name)))
		if name == keyring.GuardFile {
			continue // reset below
		}
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s restored as %.40q, %v", name, got, err)
		}
	}
	for _, name := range []string{IdentityFile, "evidence/.incoming", "evidence/ab/.tmp-upload"} {
		if _, err := os.Stat(filepath.Join(target, filepath.FromSlash(name))); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is in the restore: %v", name, err)
		}
	}
	if limit, failures, err := keyring.WipeAfter(target); limit != 5 || failures != 0 || err != nil {
		t.Errorf("restored guard: limit %d, failures %d, %v", limit, failures, err)
	}
	if _, err := keyring.Unlock(target, keyring.Secret{Passphrase: []byte("a test passphrase")}); err != nil {
		t.Errorf("the restored keyring: %v", err)
	}
	if _, err := Restore(ctx, out, target, d.options(t)); !errors.Is(err, ErrTarget) || !strings.Contains(err.Error(), out+": ") {
		t.Errorf("a restore over restored data: %v", err)
	}
}

// TestCreateFails: a backup that cannot be made leaves no file, and no
// snapshot in the data directory.
func TestCreateFails(t *testing.T) {
	ctx := context.Background()
	d := newDataDir(t)
	rcpts, _, _ := DefaultRecipients(d.src.Dir)
	out := filepath.Join(t.TempDir(), "b")
	src := d.src
	src.Snapshot = func(ctx context.Context, dst string) (audit.Head, error) {
		os.WriteFile(dst, []byte("half a snapshot"), 0o600)
		return audit.Head{}, errors.New("the disk is full")
	}
	if _, err := Create(ctx, src, CreateOptions{Out: out, Recipients: rcpts}); err == nil || !strings.Contains(err.Error(), "the disk is full") {
		t.Errorf("failed snapshot: %v", err)
	}
	if _, err := Create(ctx, d.src, CreateOptions{Out: out}); err == nil || !strings.Contains(err.Error(), "no recipients") {
		t.Errorf("no recipients: %v", err)
	}
	os.Remove(filepath.Join(d.src.Dir, keyring.FileName))
	if _, err := Create(ctx, d.src, CreateOptions{Out: out, Recipients: rcpts}); err == nil || !strings.Contains(err.Error(), "No backup was written") {
		t.Errorf("missing keyring: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed backup left %s", out)
	}
	if left := append(hidden(d.src.Dir), hidden(filepath.Dir(out))...); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	os.Remove(filepath.Join(d.src.Dir, RecipientsFile))
	if _, _, err := DefaultRecipients(d.src.Dir); err == nil || !strings.Contains(err.Error(), "--recipient") {
		t.Errorf("no recipients file: %v", err)
	}
}

// TestRestoreCancelled: a restore stopped half-way (Ctrl-C) leaves
// nothing behind, neither the target nor its temporary folder.
func TestRestoreCancelled(t *testing.T) {
	d := newDataDir(t)
	rcpts, _, _ := DefaultRecipients(d.src.Dir)
	out := filepath.Join(t.TempDir(), "b")
	if _, err := Create(context.Background(), d.src, CreateOptions{Out: out, Recipients: rcpts}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opt := d.options(t)
	opt.Progress = func(done, total int64) {
		if done > total/2 {
			cancel()
		}
	}
	parent := t.TempDir()
	target := filepath.Join(parent, "restored")
	if _, err := Restore(ctx, out, target, opt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled restore: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) > 0 {
		t.Errorf("a cancelled restore left %v", entries)
	}
}

func TestReadIdentityFiles(t *testing.T) {
	d := newDataDir(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("not an identity\n"), 0o600)
	if _, _, err := ReadIdentityFiles([]string{d.identity, bad}); err == nil || !strings.Contains(err.Error(), "identity file "+bad) {
		t.Errorf("a bad identity file: %v", err)
	}
	if _, _, err := ReadIdentityFiles([]string{filepath.Join(t.TempDir(), "none")}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing identity file: %v", err)
	}
}
