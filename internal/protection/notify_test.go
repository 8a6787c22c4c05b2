package protection_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// recorder is a --notify-cmd that appends its standard input to a file,
// and fails its first run when told to.
const recorder = `#!/bin/sh
out="$1"
if [ -n "$2" ] && [ ! -e "$out.failed" ]; then touch "$out.failed"; exit 1; fi
cat >> "$out"
echo >> "$out"
`

// The command gets a case's code and link when its check-in becomes
// overdue and when its risk rises, nothing naming or locating anyone; a
// failed run is tried again; a hanging one does not hold up the others;
// each notice is audited.
func TestNotifyCmd(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		s, u := f.svc, f.member
		dir := t.TempDir()
		script := filepath.Join(dir, "record.sh")
		if err := os.WriteFile(script, []byte(recorder), 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "stdin.log")
		pc := must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", f.person.ID, "risk_level", "medium",
			"status", "open", "opened_on", "2026-03-01", "checkin_every", "3", "notes", "Safehouse Zorbaville"), f.seal))
		must(s.Moves.Save(f.ctx, u, nil, form(kinds.Move, "case_id", pc.ID, "moved_on", "2026-03-02",
			"city", "Zorbaville", "country", "TR"), f.seal))
		// Overdue on 10 March (due 4 March, two days' grace).
		n := &protection.Notifier{Service: s, Command: []string{script, out, "fail once"}, BaseURL: "https://rasd.example",
			Timeout: 5 * time.Second, Backoff: 10 * time.Millisecond, Every: time.Hour}
		ctx, cancel := context.WithCancel(f.ctx)
		done := make(chan struct{})
		go func() { defer close(done); n.Run(ctx) }()
		waitLines(t, out, 1)
		must(s.SaveAssessment(f.ctx, u, nil, form(kinds.Assessment, "case_id", pc.ID, "assessed_on", "2026-03-09",
			"risk_level", "critical", "reason", "Zorbaville checkpoint"), f.seal))
		if err := n.Check(f.ctx); err != nil {
			t.Fatal(err)
		}
		lines := waitLines(t, out, 2)
		// Checked again with nothing new: nothing more is sent.
		if err := n.Check(f.ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		cancel()
		<-done
		if got := readLines(t, out); len(got) != 2 {
			t.Fatalf("%d notices, want 2: %q", len(got), got)
		}
		var first, second protection.Notice
		json.Unmarshal([]byte(lines[0]), &first)
		json.Unmarshal([]byte(lines[1]), &second)
		if first.Event != protection.EventOverdue || first.Case != pc.Code || first.DueOn != "2026-03-04" ||
			first.Link != "https://rasd.example/cases/"+pc.ID {
			t.Errorf("first notice: %s", lines[0])
		}
		if second.Event != protection.EventRiskRaised || second.Risk != "critical" || second.Was != "medium" {
			t.Errorf("second notice: %s", lines[1])
		}
		for _, l := range lines {
			for _, word := range []string{"Safaa", "Example", "Zorbaville", "TR", f.person.ID} {
				if strings.Contains(l, word) {
					t.Errorf("a notice says %q: %s", word, l)
				}
			}
		}
		audited := map[string]int{}
		st.AuditEntries(f.ctx, func(e audit.Entry) error {
			if strings.HasPrefix(e.Action, "notify") && e.RecordID == pc.ID {
				audited[e.Action]++
			}
			return nil
		})
		if audited["notify:"+protection.EventOverdue] != 1 || audited["notify:"+protection.EventRiskRaised] != 1 {
			t.Errorf("audited: %v", audited)
		}
	})
}

// A command that hangs is stopped at its timeout, tried again, and given
// up (audited); the notifier's checks go on meanwhile.
func TestNotifyCmdHangs(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		must(f.svc.Cases.Save(f.ctx, f.member, nil, form(kinds.ProtectionCase, "person", f.person.ID, "risk_level", "high",
			"status", "open", "opened_on", "2026-03-01", "checkin_every", "3"), f.seal))
		n := &protection.Notifier{Service: f.svc, Command: []string{"sleep", "60"}, Timeout: 100 * time.Millisecond,
			Tries: 2, Backoff: 10 * time.Millisecond, Every: 20 * time.Millisecond}
		ctx, cancel := context.WithTimeout(f.ctx, 3*time.Second)
		defer cancel()
		go n.Run(ctx)
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			failed := 0
			st.AuditEntries(f.ctx, func(e audit.Entry) error {
				if e.Action == "notify-failed:"+protection.EventOverdue {
					failed++
				}
				return nil
			})
			if failed == 1 {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("the hanging command was not given up")
	})
}

func readLines(t *testing.T, path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Fields(string(b)) // one compact JSON object a line
}

func waitLines(t *testing.T, path string, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got := readLines(t, path); len(got) >= n {
			return got
		}
	}
	t.Fatalf("fewer than %d notices in %s", n, path)
	return nil
}
