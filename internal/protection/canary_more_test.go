package protection_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io/fs"
	"log"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// The canaries beyond the database (docs/protection.md): what the process
// logs while the records are written and the notifier runs, a backup made
// by backup.Create (restored and read with the database key), and, on
// PostgreSQL, pg_dump of the schema.

// logged runs fn with the standard logger and slog's default writing into
// a buffer, as 'rasd serve' logs, and returns what was logged.
func logged(t *testing.T, fn func(logger *slog.Logger)) string {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	was, wasOut, wasFlags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(logger) // also points the standard logger at it
	t.Cleanup(func() { slog.SetDefault(was); log.SetOutput(wasOut); log.SetFlags(wasFlags) })
	fn(logger)
	slog.SetDefault(was)
	log.SetOutput(wasOut)
	log.SetFlags(wasFlags)
	return buf.String()
}

// notifyFailing runs the notifier once with a command that fails, as
// 'rasd serve --notify-cmd' would with a broken sender: it logs the
// failure, with the case's code (the control that the log was caught).
func notifyFailing(t *testing.T, f *fixture, logger *slog.Logger) {
	n := &protection.Notifier{Service: f.svc, Command: []string{"false"}, BaseURL: "https://rasd.example",
		Every: time.Hour, Timeout: 5 * time.Second, Tries: 1, Backoff: time.Millisecond, Log: logger.Info}
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { defer close(done); n.Run(ctx) }()
	time.Sleep(200 * time.Millisecond)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, _ := auditHas(f, "notify-failed:"); ok {
			break
		}
	}
	cancel()
	<-done
}

// auditHas reports whether an audit entry's action starts with prefix.
func auditHas(f *fixture, prefix string) (bool, error) {
	found := false
	err := f.st.AuditEntries(f.ctx, func(e audit.Entry) error {
		found = found || strings.HasPrefix(e.Action, prefix)
		return nil
	})
	return found, err
}

// scanLog fails the test if the log lacks the control or holds a canary.
func scanLog(t *testing.T, text string) {
	t.Helper()
	if !strings.Contains(text, "PC-") {
		t.Fatalf("the log caught nothing of the notifier (the control): %q", text)
	}
	for _, n := range storetest.ScanNeedles(canaries...) {
		if bytes.Contains(bytes.ToLower([]byte(text)), n) {
			t.Errorf("the log holds %q", n)
		}
	}
}

// backupCanary backs dataDir up with backup.Create, restores the backup
// into a new directory with its identity, and reads the restored database
// with the database key as its administrator would: the control is there,
// no canary is, in any cell or any byte of the backup or what it restores.
func backupCanary(t *testing.T, st *sqlstore.DB, dataDir string, keys *keyring.Keys, dbKey []byte, linked model.Person) {
	ctx := context.Background()
	if _, err := backup.Setup(dataDir, backup.SigningKey(keys).Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	rcpts, _, err := backup.DefaultRecipients(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "canary.rasdbackup")
	src := backup.Source{Dir: dataDir, Keys: keys, Backend: "sqlite",
		Snapshot: func(ctx context.Context, dst string) (audit.Head, error) { return sqlite.Snapshot(ctx, st, dst, dbKey) }}
	if _, err := backup.Create(ctx, src, backup.CreateOptions{Out: out, Recipients: rcpts, RasdVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	ids, trusted, err := backup.ReadIdentityFiles([]string{filepath.Join(dataDir, backup.IdentityFile)})
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, out, restored, backup.RestoreOptions{Identities: ids, Trusted: trusted}); err != nil {
		t.Fatal(err)
	}
	back, err := sqlite.Open(ctx, filepath.Join(restored, sqlite.FileName), dbKey, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if found, _ := storetest.ScanCatalogue(t, back.SQL(), storetest.ScanNeedles(control)); len(found) == 0 {
		t.Fatal("the restored backup lacks the control")
	}
	found, _ := storetest.ScanCatalogue(t, back.SQL(), storetest.ScanNeedles(canaries...))
	for _, x := range found {
		t.Errorf("in the clear in the backup: %s", x)
	}
	linkScan(t, linked, back.SQL()) // who is at risk, as in the store
	scanFiles(t, out, restored)
}

// scanFiles fails the test if a file under any root (a file or a
// directory) holds a canary.
func scanFiles(t *testing.T, roots ...string) int {
	t.Helper()
	n := 0
	needles := storetest.ScanNeedles(canaries...)
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n++
			low := bytes.ToLower(b)
			for _, nd := range needles {
				if bytes.Contains(low, nd) {
					t.Errorf("%s holds %q", path, nd)
				}
			}
			return nil
		})
	}
	return n
}

// pgDumpCanary dumps the test's schema with pg_dump, as a database
// administrator would back PostgreSQL up: the control is in the dump, no
// canary is. Without pg_dump on the machine (CI has PostgreSQL 15's client
// tools) it says so and returns.
func pgDumpCanary(t *testing.T, schemaURL, linked string) {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		t.Log("pg_dump not found: the dump is not scanned")
		return
	}
	u, err := url.Parse(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	dump, err := exec.Command(bin, "--schema="+schema, "--no-owner", teststores.PostgresURL()).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	low := bytes.ToLower(dump)
	if !bytes.Contains(low, storetest.ScanNeedles(control)[0]) {
		t.Fatalf("the dump lacks the control (%d bytes)", len(dump))
	}
	for _, n := range storetest.ScanNeedles(canaries...) {
		if bytes.Contains(low, n) {
			t.Errorf("pg_dump holds %q", n)
		}
	}
	// The person at risk is in the dump, in the persons' table and its
	// history: never in the data of a table of people at risk.
	tables := dumpedTables(dump)
	if len(tables["protection_cases"]) == 0 {
		t.Fatalf("the dump holds no case (%d tables)", len(tables))
	}
	for table, data := range tables {
		if protectionTable(table) && bytes.Contains(data, []byte(linked)) {
			t.Errorf("pg_dump's data of %s names the person at risk", table)
		}
	}
}

// dumpedTables are the data of each table of a plain pg_dump, by table
// name (without its schema): the lines between "COPY schema.table (…)
// FROM stdin;" and "\.".
func dumpedTables(dump []byte) map[string][]byte {
	out := map[string][]byte{}
	for _, block := range bytes.Split(dump, []byte("\nCOPY "))[1:] {
		head, data, _ := bytes.Cut(block, []byte("\n"))
		name, _, _ := bytes.Cut(head, []byte(" "))
		if i := bytes.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		data, _, _ = bytes.Cut(data, []byte("\n\\.\n"))
		out[strings.Trim(string(name), `"`)] = data
	}
	return out
}
