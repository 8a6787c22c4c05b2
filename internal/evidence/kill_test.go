package evidence

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

const killCanary = "KILL-CANARY-Safaa-relocated-to-Erbil"

// TestKillDuringIntake kills (SIGKILL) a process that is taking in
// evidence files one after another, at a random moment, then reopens the
// data directory: every file whose intake returned is there and verifies,
// no plaintext is on disk, and Clean leaves exactly one file per row.
// RASD_KILL_LOOPS sets the number of rounds (default 20, as the issue asks;
// fewer for a quick local run).
func TestKillDuringIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	loops := 20
	if n, err := strconv.Atoi(os.Getenv("RASD_KILL_LOOPS")); err == nil {
		loops = n
	}
	dir := t.TempDir()
	dbKey, evKey := make([]byte, 32), make([]byte, 32)
	rand.Read(dbKey)
	rand.Read(evKey)
	ctx := context.Background()
	open := func() (store.Store, *Service) {
		st, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), dbKey, storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := New(dir, st, evKey)
		if err != nil {
			t.Fatal(err)
		}
		return st, svc
	}
	st, _ := open()
	inc := storetest.Incident()
	if err := st.CreateIncident(ctx, "zainab", &inc); err != nil {
		t.Fatal(err)
	}
	st.Close()
	var committed []string
	for round := range loops {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIntakeHelperProcess$")
		cmd.Env = append(os.Environ(), "RASD_EVIDENCE_HELPER="+strings.Join([]string{dir, hex.EncodeToString(dbKey),
			hex.EncodeToString(evKey), inc.ID}, ","))
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ids := make(chan string, 1000)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if id, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
					ids <- id
				}
			}
			close(ids)
		}()
		d, _ := rand.Int(rand.Reader, big.NewInt(400))
		time.Sleep(time.Duration(100+d.Int64()) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		for id := range ids {
			committed = append(committed, id)
		}
		st, svc := open()
		for _, id := range committed {
			ev, err := st.GetEvidence(ctx, id)
			if err != nil {
				t.Fatalf("round %d: evidence %s was reported committed but is gone: %v", round, id, err)
			}
			if err := svc.Check(ev); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if _, err := svc.Clean(ctx, 0); err != nil {
			t.Fatal(err)
		}
		rows, _ := st.ListEvidence(ctx, "", "")
		files := 0
		filepath.WalkDir(filepath.Join(dir, DirName), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files++
			}
			return nil
		})
		if files != len(rows) {
			t.Fatalf("round %d: %d files for %d rows after Clean", round, files, len(rows))
		}
		if _, err := store.VerifyAudit(ctx, st, storetest.AuditKey); err != nil {
			t.Fatalf("round %d: audit log after the kill: %v", round, err)
		}
		st.Close()
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(killCanary)) {
					t.Fatalf("round %d: plaintext in %s", round, p)
				}
			}
			return nil
		})
	}
	t.Logf("%d rounds, %d files committed before the kills", loops, len(committed))
}

// TestIntakeHelperProcess is the process TestKillDuringIntake kills: it
// takes in files until it dies. It does nothing in a normal test run.
func TestIntakeHelperProcess(t *testing.T) {
	arg := os.Getenv("RASD_EVIDENCE_HELPER")
	if arg == "" {
		t.Skip("helper process for TestKillDuringIntake")
	}
	p := strings.Split(arg, ",")
	dbKey, _ := hex.DecodeString(p[1])
	evKey, _ := hex.DecodeString(p[2])
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(p[0], sqlite.FileName), dbKey, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(p[0], st, evKey)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte(killCanary+"\n"), 8000)
	for {
		ev, err := svc.Add(ctx, "zainab", store.KindIncident, p[3], "n.txt", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("committed " + ev.ID + "\n")
	}
}
