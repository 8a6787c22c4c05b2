package evidence

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/vault"
)

type env struct {
	dir string
	st  store.Store
	svc *Service
	inc string
}

// newEnv is a data directory with a real encrypted SQLite store, one
// incident and the evidence service.
func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	inc := storetest.Incident()
	if err := st.CreateIncident(context.Background(), "zainab", &inc); err != nil {
		t.Fatal(err)
	}
	evKey := make([]byte, 32)
	rand.Read(evKey)
	svc, err := New(dir, st, evKey)
	if err != nil {
		t.Fatal(err)
	}
	return &env{dir: dir, st: st, svc: svc, inc: inc.ID}
}

func (e *env) add(t *testing.T, name string, b []byte) *model.Evidence {
	t.Helper()
	ev, err := e.svc.Add(context.Background(), "zainab", store.KindIncident, e.inc, name, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// blobs lists the files under evidence/.
func (e *env) blobs(t *testing.T) []string {
	var out []string
	filepath.WalkDir(filepath.Join(e.dir, DirName), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestIntakeHashVerifyAndWorkingCopy(t *testing.T) {
	e := newEnv(t)
	jpg := fixture(t, "gps.jpg")
	ev := e.add(t, "IMG_0042 Basra.jpg", jpg)
	sum := sha256.Sum256(jpg)
	if e.svc.SHA256(ev) != hex.EncodeToString(sum[:]) || ev.Size != int64(len(jpg)) || ev.Type != "image/jpeg" {
		t.Fatalf("intake recorded %s %d %s", e.svc.SHA256(ev), ev.Size, ev.Type)
	}
	if got := e.svc.Name(ev); got != "IMG_0042 Basra.jpg" {
		t.Errorf("Name = %q", got)
	}
	r, err := e.svc.Open(ev)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(back, jpg) {
		t.Fatalf("the original does not read back byte for byte (%v)", err)
	}
	wc, err := e.svc.WorkingCopy(ev)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := jpegGPS(wc); ok {
		t.Error("the working copy has GPS")
	}
	stored, _ := e.st.GetEvidence(context.Background(), ev.ID)
	if stored.HashMAC != ev.HashMAC || e.svc.SHA256(stored) != hex.EncodeToString(sum[:]) || e.svc.Check(stored) != nil {
		t.Error("the original changed after a working copy was made")
	}
	for _, f := range []string{"meta.png", "meta.pdf"} {
		ev := e.add(t, f, fixture(t, f))
		wc, err := e.svc.WorkingCopy(ev)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		mustNotContain(t, f+" working copy", wc, canaryAuthor, canaryXMP)
		if err := e.svc.Check(ev); err != nil {
			t.Errorf("%s original after the working copy: %v", f, err)
		}
	}
	n, err := e.svc.Verify(context.Background(), func(ev model.Evidence, err error) { t.Errorf("verify: %v", err) })
	if err != nil || n != 3 {
		t.Errorf("Verify checked %d (%v), want 3", n, err)
	}
	txt := e.add(t, "notes.txt", []byte("interview notes\n"))
	if _, err := e.svc.WorkingCopy(txt); !errors.Is(err, ErrCannotClean) || CanClean(txt.Type, txt.Size) {
		t.Errorf("plain text got a working copy (%v): only what can be cleaned may have one", err)
	}
}

// TestCanary: neither the content nor the name of an upload appears
// anywhere in the data directory (database, WAL, evidence files).
func TestCanary(t *testing.T) {
	e := newEnv(t)
	const canary = "CANARY-Hayder-07701234567-Karrada"
	body := bytes.Repeat([]byte("witness statement: "+canary+"\n"), 20000) // many 64 KiB chunks
	e.add(t, "statement-"+canary+".txt", body)
	e.add(t, "p.pdf", append([]byte("%PDF-1.4\n% "+canary+"\n"), fixture(t, "meta.pdf")[9:]...))
	scan := func(when string) {
		files := 0
		filepath.WalkDir(e.dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			files++
			b, _ := os.ReadFile(p)
			for _, c := range []string{canary, "Hayder", "07701234567", "witness statement"} {
				if bytes.Contains(b, []byte(c)) {
					t.Errorf("%s: %s contains %q in the clear", when, p, c)
				}
			}
			return nil
		})
		if files < 3 {
			t.Fatalf("%s: only %d files scanned", when, files)
		}
	}
	scan("store open (database, WAL, evidence)")
	e.st.Close()
	scan("store closed")
}

func TestTamperedFileIsReported(t *testing.T) {
	e := newEnv(t)
	good := e.add(t, "a.png", fixture(t, "meta.png"))
	for _, at := range []string{"header", "payload", "last byte"} {
		ev := e.add(t, "b.jpg", fixture(t, "gps.jpg"))
		p := e.svc.path(ev.Blob)
		b, _ := os.ReadFile(p)
		i := map[string]int{"header": 30, "payload": len(b) / 2, "last byte": len(b) - 1}[at]
		b[i] ^= 0x01
		os.WriteFile(p, b, 0o600)
		var de *DamagedError
		if err := e.svc.Check(ev); !errors.As(err, &de) || de.ID != ev.ID || !strings.Contains(err.Error(), "restore") {
			t.Errorf("%s flipped: Check = %v, want a DamagedError naming %s", at, err, ev.ID)
		}
		if _, err := e.svc.WorkingCopy(ev); !errors.As(err, &de) {
			t.Errorf("%s flipped: WorkingCopy = %v, want a DamagedError", at, err)
		}
	}
	var bad []string
	n, err := e.svc.Verify(context.Background(), func(ev model.Evidence, err error) { bad = append(bad, ev.ID) })
	if err != nil || n != 4 || len(bad) != 3 || contains(bad, good.ID) {
		t.Errorf("Verify: %d checked, bad %v, %v; want 3 bad of 4", n, bad, err)
	}
	// A file moved into another's place does not decrypt either: the key
	// is bound to the internal name.
	ev1, ev2 := e.add(t, "c.pdf", fixture(t, "meta.pdf")), e.add(t, "d.pdf", fixture(t, "meta.pdf"))
	os.Rename(e.svc.path(ev1.Blob), e.svc.path(ev2.Blob))
	if err := e.svc.Check(ev2); err == nil {
		t.Error("a file swapped into another's name verified")
	}
	os.Remove(e.svc.path(good.Blob))
	if err := e.svc.Check(good); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing file: %v", err)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestLimits(t *testing.T) {
	e := newEnv(t)
	e.svc.MaxSize = 1000
	big := append(fixture(t, "gps.jpg")[:0:0], fixture(t, "gps.jpg")...)
	big = append(big, make([]byte, 1000)...)
	_, err := e.svc.Add(context.Background(), "zainab", store.KindIncident, e.inc, "big.jpg", bytes.NewReader(big))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	for name, b := range map[string][]byte{"a.exe": []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "x.html": []byte("<html><script>"),
		"empty.jpg": nil, "x.zip": []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")} {
		if _, err := e.svc.Add(context.Background(), "zainab", store.KindIncident, e.inc, name, bytes.NewReader(b)); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
	e.svc.MaxSize = 1000 + 512
	ok := e.add(t, "exact.jpg", big[:1000+512]) // the limit itself is allowed
	if ok.Size != 1512 {
		t.Errorf("size %d", ok.Size)
	}
	if files := e.blobs(t); len(files) != 1 {
		t.Errorf("refused uploads left files behind: %v", files)
	}
	all, _ := e.st.ListEvidence(context.Background(), "", "")
	if len(all) != 1 {
		t.Errorf("%d rows, want 1", len(all))
	}
}

func TestCleanRemovesOrphans(t *testing.T) {
	e := newEnv(t)
	kept := e.add(t, "a.jpg", fixture(t, "gps.jpg"))
	orphan := newBlobName()
	tmp, _ := e.svc.createTemp(orphan)
	tmp.WriteString("ciphertext of an interrupted upload")
	tmp.Close()
	os.WriteFile(e.svc.path(orphan), []byte("committed file, no row"), 0o600)
	if n, err := e.svc.Clean(context.Background(), DefaultGrace); err != nil || n != 0 {
		t.Errorf("fresh files were removed (%d, %v): an upload in progress would be lost", n, err)
	}
	n, err := e.svc.Clean(context.Background(), 0)
	if err != nil || n != 2 {
		t.Errorf("Clean removed %d (%v), want 2", n, err)
	}
	if files := e.blobs(t); len(files) != 1 || files[0] != e.svc.path(kept.Blob) {
		t.Errorf("after Clean: %v", files)
	}
	if err := e.svc.Check(kept); err != nil {
		t.Error(err)
	}
}

// TestNameWithoutDirectionControls: a name is kept without direction
// controls, and one stored with them before is shown and sent without.
func TestNameWithoutDirectionControls(t *testing.T) {
	e := newEnv(t)
	ev := e.add(t, "photo\u202egpj.exe", fixture(t, "gps.jpg"))
	if got := e.svc.Name(ev); got != "photogpj.exe" {
		t.Errorf("Name = %+q", got)
	}
	if b, err := vault.Open(e.svc.nameKey, ev.NameSealed, "evidence name "+ev.Blob); err != nil || string(b) != "photogpj.exe" {
		t.Errorf("stored name %+q (%v)", b, err)
	}
	ev.NameSealed = vault.Seal(e.svc.nameKey, []byte("old\u2067gpj.exe"), "evidence name "+ev.Blob) // taken in before
	if got := e.svc.Name(ev); got != "oldgpj.exe" {
		t.Errorf("Name of an old name = %+q", got)
	}
}
