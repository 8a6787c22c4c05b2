package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

func importJSON(t *testing.T, dir, body string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(body), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", f); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
}

const secondFile = `{"format": "rasd-incidents", "version": 1, "incidents": [
 {"type": "arbitrary_detention", "date": {"start": "2021-03-01", "precision": "day"}, "place": {"admin1": "IQ-BA"},
  "summary_en": "A blogger detained in Basra", "external": {"system": "test", "id": "3"}}]}`

// TestAuditCheckpointCLI: the checkpoint printed and kept elsewhere
// verifies with its verifier key, and 'audit verify --checkpoint' proves
// the log still extends it after more writes.
func TestAuditCheckpointCLI(t *testing.T) {
	dir := newData(t)
	importJSON(t, dir, jsonFile)
	code, note, stderr := run(t, "audit", "checkpoint", "--data", dir)
	if code != 0 {
		t.Fatalf("audit checkpoint: %d %s", code, stderr)
	}
	code, vkey, _ := run(t, "audit", "checkpoint", "--key", "--data", dir)
	k, err := audit.ParseNoteKey(vkey)
	if code != 0 || err != nil {
		t.Fatalf("audit checkpoint --key: %d %q %v", code, vkey, err)
	}
	text, err := audit.OpenNote([]byte(note), k)
	if err != nil {
		t.Fatalf("the printed checkpoint does not verify with the printed key: %v\n%s", err, note)
	}
	c, err := audit.ParseCheckpoint(text)
	if err != nil || c.Origin != k.Name || c.Size == 0 {
		t.Fatalf("checkpoint %+v, %v", c, err)
	}
	kept := filepath.Join(t.TempDir(), "checkpoint.txt")
	os.WriteFile(kept, []byte(note), 0o600)

	importJSON(t, dir, secondFile)
	code, out, stderr := run(t, "audit", "verify", "--data", dir, "--checkpoint", kept)
	if code != 0 || !strings.Contains(out, "contains and extends it") || !strings.Contains(out, "match it") {
		t.Fatalf("audit verify --checkpoint: %d\n%s%s", code, out, stderr)
	}
	// A note edited or signed by someone else proves nothing.
	forged := filepath.Join(t.TempDir(), "forged.txt")
	os.WriteFile(forged, []byte(strings.Replace(note, "\n"+itoa(int(c.Size))+"\n", "\n"+itoa(int(c.Size+1))+"\n", 1)), 0o600)
	if code, _, stderr := run(t, "audit", "verify", "--data", dir, "--checkpoint", forged); code != 1 || !strings.Contains(stderr, "does not verify") {
		t.Errorf("forged checkpoint: %d %s", code, stderr)
	}
}

// TestAuditRecordTamperCLI: a summary changed with SQL is named by code.
func TestAuditRecordTamperCLI(t *testing.T) {
	dir := newData(t)
	importJSON(t, dir, jsonFile)
	st := openSQL(t, dir)
	if _, err := st.SQL().Exec(`UPDATE incidents SET summary_en = 'Nothing happened' WHERE code = 'IQ-2019-0001'`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, stderr := run(t, "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "IQ-2019-0001") || !strings.Contains(stderr, "changed outside rasd") {
		t.Errorf("tampered record: %d %s", code, stderr)
	}
}

// TestAuditRollbackCLI: the database file put back as it was before the
// latest writes (its head, MAC and all, is genuine) fails verification,
// and refuses writes, until it is anchored anew on purpose.
func TestAuditRollbackCLI(t *testing.T) {
	dir := newData(t)
	importJSON(t, dir, jsonFile)
	db := filepath.Join(dir, sqlite.FileName)
	old, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	importJSON(t, dir, secondFile)
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	if err := os.WriteFile(db, old, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "newest entries were deleted") {
		t.Fatalf("verify after the rollback: %d %s", code, stderr)
	}
	f := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(f, []byte(secondFile), 0o600)
	if code, _, stderr := run(t, "import", "--data", dir, "--format", "json", f); code != 1 || !strings.Contains(stderr, "refusing to write") {
		t.Errorf("import on the rolled-back log: %d %s", code, stderr)
	}
	code, out, stderr := run(t, "audit", "checkpoint", "--reset", "--data", dir)
	if code != 0 || !strings.Contains(stderr, "kept as") || !strings.Contains(out, "\n\n— rasd-audit/") {
		t.Fatalf("checkpoint --reset: %d\n%s%s", code, out, stderr)
	}
	if code, out, stderr := run(t, "audit", "verify", "--data", dir); code != 0 {
		t.Errorf("verify after --reset: %d %s%s", code, out, stderr)
	}
}
