package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// TestImportSurvivesKill9 imports file after file into one data directory
// with the real rasd binary, killing it (SIGKILL: no clean-up code runs) at
// a random moment of each import. After every kill the directory must pass
// SQLite's integrity check and 'rasd audit verify', hold every file that
// was imported whole and no part of one that was not, and no plaintext may
// remain in the data directory or the import's TMPDIR.
//
// Every other file is large enough (1,000 records) for the import to take
// the database for itself, with a rollback journal instead of the WAL
// (sqlite.BulkImports), so both ways of writing are killed. Every fourth
// is ACLED CSV, the others JSON: each is imported as it is read, its own
// way.
//
// CI runs 20 imports (a few seconds); for a longer run:
// RASD_CRASH_ITERATIONS=300 RASD_CRASH_ROWS=3000 RASD_CRASH_BULK_ROWS=5000 go test -run Kill9 ./internal/cli/
func TestImportSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the rasd binary")
	}
	iterations, rows := envInt(t, "RASD_CRASH_ITERATIONS", 20), envInt(t, "RASD_CRASH_ROWS", 300)
	bulkRows := envInt(t, "RASD_CRASH_BULK_ROWS", 1000)
	sizeOf := func(file int) int {
		if file%2 == 1 {
			return bulkRows
		}
		return rows
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("RASD_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (RASD_CRASH_SEED to repeat), %d iterations of %d and %d rows", seed, iterations, rows, bulkRows)
	rnd := rand.New(rand.NewPCG(seed, 1))

	bin := buildRasd(t)
	dir := newData(t) // keyring with the tests' cheap Argon2id costs: unlocking is fast
	inputs := t.TempDir()
	committed := map[int]bool{}
	clock := newKillClock(rnd) // when to kill, for each size and format
	killed := 0
	for i := range iterations {
		size, format, content := sizeOf(i), "json", crashImportFile
		if i%4 == 3 {
			format, content = "acled", crashACLEDFile
		}
		kind := fmt.Sprint(size, format)
		file := filepath.Join(inputs, fmt.Sprintf("import-%d.%s", i, format))
		if err := os.WriteFile(file, content(i, size), 0o600); err != nil {
			t.Fatal(err)
		}
		tmp := t.TempDir()
		cmd := exec.Command(bin, "import", "--data", dir, "--format", format, file)
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "RASD_PASSPHRASE=a test passphrase")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		// Anywhere from before the keyring opens to just after the end;
		// the first of each kind runs whole.
		if delay, whole := clock.delay(kind); whole {
			err = <-done
		} else {
			select {
			case err = <-done:
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				err = <-done
			}
		}
		ran := time.Since(start)
		wasKilled := err != nil && strings.Contains(err.Error(), "killed")
		if err != nil && !wasKilled {
			t.Fatalf("import %d failed by itself: %v\n%s", i, err, out.String())
		}
		if wasKilled {
			killed++
		}
		n := checkAfterCrash(t, bin, dir, tmp, i, sizeOf, committed)
		if !wasKilled && n != size {
			t.Fatalf("import %d exited 0 but %d of %d records are stored", i, n, size)
		}
		committed[i] = n == size
		clock.ran(kind, ran, wasKilled, committed[i])
	}
	whole := 0
	for _, ok := range committed {
		if ok {
			whole++
		}
	}
	t.Logf("%d imports killed; %d of %d files committed whole; a whole import takes %v", killed, whole, iterations, clock)
	if killed < iterations/3 {
		t.Errorf("only %d of %d imports were killed: the test hardly tests crashes", killed, iterations)
	}
}

// checkAfterCrash opens the directory as a restart would and checks it.
// It returns how many records of import i are stored.
func checkAfterCrash(t *testing.T, bin, dir, tmp string, i int, sizeOf func(int) int, committed map[int]bool) int {
	t.Helper()
	ctx := context.Background()
	keys, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte("a test passphrase")})
	if err != nil {
		t.Fatalf("after import %d: %v", i, err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), keys.Derive("database"), keys.Derive("audit"))
	if err != nil {
		t.Fatalf("after import %d: the database does not open: %v", i, err)
	}
	var check, mode string
	if err := st.SQL().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("after import %d: integrity_check %q %v", i, check, err)
	}
	if err := st.SQL().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("after import %d: journal_mode %q %v, want wal", i, mode, err)
	}
	count := map[int]int{}
	rs, err := st.SQL().QueryContext(ctx, `SELECT ext_id FROM incidents WHERE ext_system IN ('crash', 'acled')`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var id string
		rs.Scan(&id)
		file, _ := strconv.Atoi(strings.SplitN(id, "-", 2)[0])
		count[file]++
	}
	rs.Close()
	st.Close()
	for f, n := range count {
		if n != sizeOf(f) && n != 0 {
			t.Fatalf("after import %d: file %d is half imported (%d of %d records)", i, f, n, sizeOf(f))
		}
		if f < i && !committed[f] {
			t.Fatalf("after import %d: file %d, not committed before, appeared", i, f)
		}
	}
	for f, ok := range committed {
		if ok && count[f] != sizeOf(f) {
			t.Fatalf("after import %d: file %d, committed before, has %d of %d records", i, f, count[f], sizeOf(f))
		}
	}
	if out, err := exec.Command(bin, "audit", "verify", "--data", dir).CombinedOutput(); err != nil {
		t.Fatalf("after import %d: rasd audit verify: %v\n%s", i, err, out)
	}
	// No plaintext anywhere the import could write: the data directory
	// (database, WAL, journal) and its TMPDIR.
	canary := []byte(fmt.Sprintf("zzcrashcanary%d ", i))
	for _, root := range []string{dir, tmp} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if root == tmp {
				t.Errorf("after import %d: a file was left in TMPDIR: %s", i, p)
			}
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, canary) || bytes.Contains(b, []byte("zzcrashcanary")) {
				t.Errorf("after import %d: plaintext in %s", i, p)
			}
			return nil
		})
	}
	return count[i]
}

// crashImportFile is import file i: rows incidents, each with a canary in
// its summary and its victim's name.
func crashImportFile(i, rows int) []byte {
	var b strings.Builder
	b.WriteString(`{"format": "rasd-incidents", "version": 1, "incidents": [`)
	for j := range rows {
		if j > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"type": "arbitrary_detention", "date": {"start": "2021-03-%02d", "precision": "day"},
 "place": {"admin1": "IQ-BG"}, "summary_en": "zzcrashcanary%d arrest %d",
 "victims": [{"outcome": "abducted", "role": "activist", "person": {"name_latin": "zzcrashcanary%d person%d"}}],
 "external": {"system": "crash", "id": "%d-%d"}}`, j%28+1, i, j, i, j, i, j)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// crashACLEDFile is import file i in ACLED's CSV: rows events, each with
// a canary in its notes.
func crashACLEDFile(i, rows int) []byte {
	var b strings.Builder
	b.WriteString("event_id_cnty,event_date,event_type,sub_event_type,country,admin1,notes\n")
	for j := range rows {
		fmt.Fprintf(&b, "%d-%d,2021-03-%02d,Violence against civilians,Abduction/forced disappearance,Iraq,Baghdad,zzcrashcanary%d arrest %d\n",
			i, j, j%28+1, i, j)
	}
	return []byte(b.String())
}

// buildRasd builds the rasd binary into a temporary directory.
func buildRasd(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "rasd")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, "./cmd/rasd")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}
