package protection

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"sync"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Notice is what --notify-cmd reads on its standard input: a case's code
// (or a Watch's record's ID) and a link to its page, what happened, never
// a name, place or note (docs/protection.md, "Notifications").
type Notice struct {
	Event      string `json:"event"`                // checkin_overdue, risk_raised, or a Watch's
	Case       string `json:"case,omitempty"`       // its code
	Commitment string `json:"commitment,omitempty"` // a commitment's ID (commitment_overdue)
	Link       string `json:"link"`
	DueOn      string `json:"due_on,omitempty"`
	DaysLate   int    `json:"days_late,omitempty"`
	Risk       string `json:"risk_level,omitempty"`
	Was        string `json:"previous_risk_level,omitempty"`
	At         string `json:"at"`
	id, kind   string // the record's, for the audit entry
}

// Late is one record a Watch finds late now: its kind and ID (for the
// audit entry, and to notify it once), and the notice to send.
type Late struct {
	Kind, ID string
	Notice   Notice
}

// A Watch is a source of notices besides the cases, read at each check:
// the records late at now. The notifier sends a notice for each that was
// not late at the previous check (at the first, for each).
type Watch func(ctx context.Context, now time.Time) ([]Late, error)

// Events of a Notice.
const (
	EventOverdue    = "checkin_overdue"
	EventRiskRaised = "risk_raised"
)

// Notifier watches the cases and runs a command for each case whose
// check-in became overdue or whose risk level rose. It runs on its own
// goroutine: a command that fails or hangs is killed after Timeout and
// tried again with back-off, and nothing waits for it but the notifier.
type Notifier struct {
	Service *Service
	Command []string      // the program and its arguments (no shell)
	BaseURL string        // links are BaseURL + the case's path
	Every   time.Duration // how often the cases are read
	Timeout time.Duration // how long one run of the command may take
	Tries   int           // runs of the command per notice before it is given up
	Backoff time.Duration // wait before the second run, doubled each time
	Log     func(msg string, args ...any)
	Watches []Watch // other late records: commitments past their deadline

	mu      sync.Mutex
	late    map[string]bool   // kind/ID of a Watch's records late when last seen
	overdue map[string]bool   // case ID: overdue when last seen
	risk    map[string]string // case ID: its level when last seen
	queue   chan Notice
}

// Run watches until ctx ends.
func (n *Notifier) Run(ctx context.Context) error {
	n.defaults()
	n.queue = make(chan Notice, 1000)
	done := make(chan struct{})
	go func() { defer close(done); n.send(ctx) }()
	t := time.NewTicker(n.Every)
	defer t.Stop()
	for {
		if err := n.Check(ctx); err != nil {
			n.Log("notify: cases not read", "err", err)
		}
		select {
		case <-ctx.Done():
			<-done
			return nil
		case <-t.C:
		}
	}
}

func (n *Notifier) defaults() {
	if n.Every <= 0 {
		n.Every = 5 * time.Minute
	}
	if n.Timeout <= 0 {
		n.Timeout = 30 * time.Second
	}
	if n.Tries <= 0 {
		n.Tries = 5
	}
	if n.Backoff <= 0 {
		n.Backoff = 10 * time.Second
	}
	if n.Log == nil {
		n.Log = func(string, ...any) {}
	}
}

// Check reads every case once, queueing a notice for each that became
// overdue or whose risk rose since the last check (at the first check,
// every overdue case: the notifier keeps no state across restarts). A
// full queue drops the notice, logged: the next restart sends it again.
func (n *Notifier) Check(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.Service
	var cases []model.ProtectionCase
	for {
		page, total, err := s.Cases.Store.List(ctx, store.ListFilter{Visible: store.Visible{Levels: []string{model.VisibilityRestricted}},
			Limit: 1000, Offset: len(cases)})
		if err != nil {
			return err
		}
		cases = append(cases, page...)
		if len(page) == 0 || len(cases) >= total {
			break
		}
	}
	first := n.overdue == nil
	if first {
		n.overdue, n.risk = map[string]bool{}, map[string]string{}
	}
	now := s.Now()
	for _, c := range cases {
		d := DueOf(&c, now, s.Grace)
		late := d.State == StateOverdue
		base := Notice{Case: c.Code, Link: n.BaseURL + "/cases/" + c.ID, At: now.UTC().Format(time.RFC3339), id: c.ID}
		if late && !n.overdue[c.ID] {
			nt := base
			nt.Event, nt.DueOn, nt.DaysLate = EventOverdue, d.DueOn, d.Late
			n.enqueue(nt)
		}
		if was, seen := n.risk[c.ID]; seen && RiskRank(c.RiskLevel) > RiskRank(was) {
			nt := base
			nt.Event, nt.Risk, nt.Was = EventRiskRaised, c.RiskLevel, was
			n.enqueue(nt)
		}
		n.overdue[c.ID], n.risk[c.ID] = late, c.RiskLevel
	}
	n.checkWatches(ctx, now)
	return nil
}

// checkWatches queues a notice for each record a Watch finds late that
// was not late at the last check. A Watch that fails is logged and its
// records are taken as they were, so that none is notified twice.
func (n *Notifier) checkWatches(ctx context.Context, now time.Time) {
	was := n.late
	n.late = map[string]bool{}
	for i, w := range n.Watches {
		lates, err := w(ctx, now)
		if err != nil {
			n.Log("notify: a watch's records not read", "watch", i, "err", err)
			for k := range was {
				n.late[k] = true
			}
			continue
		}
		for _, l := range lates {
			key := l.Kind + "/" + l.ID
			if !was[key] {
				nt := l.Notice
				nt.id, nt.kind, nt.At = l.ID, l.Kind, now.UTC().Format(time.RFC3339)
				nt.Link = n.BaseURL + nt.Link
				n.enqueue(nt)
			}
			n.late[key] = true
		}
	}
}

func (n *Notifier) enqueue(nt Notice) {
	select {
	case n.queue <- nt:
	default:
		n.Log("notify: queue full, notice dropped", "case", nt.Case, "commitment", nt.Commitment, "event", nt.Event)
	}
}

// send runs the command for each queued notice, in order, until ctx ends.
func (n *Notifier) send(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case nt := <-n.queue:
			n.deliver(ctx, nt)
		}
	}
}

// deliver runs the command with nt until it succeeds or Tries runs fail,
// auditing the outcome.
func (n *Notifier) deliver(ctx context.Context, nt Notice) {
	payload, _ := json.Marshal(nt)
	wait := n.Backoff
	for try := 1; try <= n.Tries; try++ {
		err := n.run(ctx, payload)
		if err == nil {
			n.audit(ctx, "notify:"+nt.Event, nt)
			return
		}
		n.Log("notify: the command failed", "case", nt.Case, "event", nt.Event, "try", try, "err", err)
		if try == n.Tries {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
	n.audit(ctx, "notify-failed:"+nt.Event, nt)
}

func (n *Notifier) run(ctx context.Context, payload []byte) error {
	ctx, cancel := context.WithTimeout(ctx, n.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.Command[0], n.Command[1:]...)
	cmd.Stdin = bytes.NewReader(payload)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return fmt.Errorf("no answer after %s", n.Timeout)
	}
	if err != nil {
		return fmt.Errorf("%w: %d bytes of output", err, len(out)) // its output may name someone: not logged
	}
	return nil
}

func (n *Notifier) audit(ctx context.Context, action string, nt Notice) {
	kind := nt.kind
	if kind == "" {
		kind = "protection_case"
	}
	if err := n.Service.st.LogAction(ctx, "rasd", action, kind, nt.id); err != nil {
		n.Log("notify: not audited", "case", nt.Case, "err", err)
	}
}
