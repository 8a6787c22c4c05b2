package justice_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// recorder is a --notify-cmd that appends its standard input to a file,
// and fails its first run when told to (as package protection's test).
const recorder = `#!/bin/sh
out="$1"
if [ -n "$2" ] && [ ! -e "$out.failed" ]; then touch "$out.failed"; exit 1; fi
cat >> "$out"
echo >> "$out"
`

// A commitment whose deadline passes is notified once, by ID and link,
// never by its text or who made it; a failed run is tried again; the
// notice is audited; a commitment not yet due, or fulfilled, is not
// notified until it is late.
func TestNotifyCommitmentOverdue(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		var mu sync.Mutex
		day := time.Date(2020, 4, 12, 10, 0, 0, 0, time.UTC) // the first's due day: not yet late
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return day }
		svc := justice.New(st, clock)
		save := func(kv ...string) *model.Commitment {
			t.Helper()
			base := []string{"authority_type", "prime_minister", "authority", "Office of Zorbaville", "kind", "investigation",
				"promise_en", "Results for the Qandil family"}
			c, errs, err := svc.Commitments.Save(ctx, analyst, nil, kinds.Commitment.ReadForm("", values(append(base, kv...)...)), noKey)
			if err != nil || len(errs) > 0 {
				t.Fatalf("%v %v", errs, err)
			}
			return c
		}
		first := save("made_on", "2020-01-12", "deadline_duration", "3m", "visibility", "internal")
		second := save("made_on", "2020-03-01", "deadline_duration", "2m", "visibility", "public")
		save("made_on", "2020-01-01", "deadline_duration", "1m", "status_history", "2020-03-01 fulfilled", "visibility", "public")

		dir := t.TempDir()
		script := filepath.Join(dir, "record.sh")
		if err := os.WriteFile(script, []byte(recorder), 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "stdin.log")
		n := &protection.Notifier{Service: protection.New(st, clock), Command: []string{script, out, "fail once"},
			BaseURL: "https://rasd.example", Timeout: 5 * time.Second, Backoff: 10 * time.Millisecond, Every: time.Hour,
			Watches: []protection.Watch{svc.OverdueWatch()}}
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); n.Run(ctx) }()
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		day = time.Date(2020, 4, 20, 10, 0, 0, 0, time.UTC) // the first late, the second not yet
		mu.Unlock()
		if err := n.Check(ctx); err != nil {
			t.Fatal(err)
		}
		lines := waitLines(t, out, 1)
		if err := n.Check(ctx); err != nil { // nothing new
			t.Fatal(err)
		}
		mu.Lock()
		day = time.Date(2020, 5, 5, 10, 0, 0, 0, time.UTC) // the second late too
		mu.Unlock()
		if err := n.Check(ctx); err != nil {
			t.Fatal(err)
		}
		lines = waitLines(t, out, 2)
		time.Sleep(200 * time.Millisecond)
		cancel()
		<-done
		if got := readLines(out); len(got) != 2 {
			t.Fatalf("%d notices, want 2: %q", len(got), got)
		}
		if _, err := os.Stat(out + ".failed"); err != nil {
			t.Error("the command's failed first run was not the one tried again")
		}
		var a, b protection.Notice
		json.Unmarshal([]byte(lines[0]), &a)
		json.Unmarshal([]byte(lines[1]), &b)
		if a.Event != justice.EventOverdue || a.Commitment != first.ID || a.Link != "https://rasd.example/commitments/"+first.ID ||
			a.DueOn != "2020-04-12" || a.DaysLate != 8 || a.Case != "" {
			t.Errorf("first notice: %s", lines[0])
		}
		if b.Commitment != second.ID || b.DueOn != "2020-05-01" || b.DaysLate != 4 {
			t.Errorf("second notice: %s", lines[1])
		}
		for _, l := range lines {
			for _, word := range []string{"Zorbaville", "Qandil", "prime_minister", "investigation"} {
				if strings.Contains(l, word) {
					t.Errorf("a notice says %q: %s", word, l)
				}
			}
		}
		audited := map[string]int{}
		st.AuditEntries(context.Background(), func(e audit.Entry) error {
			if e.Action == "notify:"+justice.EventOverdue {
				audited[e.RecordID]++
			}
			return nil
		})
		if audited[first.ID] != 1 || audited[second.ID] != 1 || len(audited) != 2 {
			t.Errorf("audited: %v", audited)
		}
	})
}

func readLines(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Fields(string(b)) // one compact JSON object a line
}

func waitLines(t *testing.T, path string, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got := readLines(path); len(got) >= n {
			return got
		}
	}
	t.Fatalf("fewer than %d notices in %s", n, path)
	return nil
}
