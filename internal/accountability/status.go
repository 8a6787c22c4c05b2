package accountability

import (
	"errors"
	"strings"
)

// Statuses of a commitment (vocabulary commitment_status). Overdue is not
// one: it is computed from the deadline (Overdue).
const (
	Pending         = "pending"
	Fulfilled       = "fulfilled"
	PartlyFulfilled = "partly_fulfilled"
	Broken          = "broken"
	Withdrawn       = "withdrawn"
)

var statuses = []string{Pending, Fulfilled, PartlyFulfilled, Broken, Withdrawn}

// Change is one dated line of a commitment's status history.
type Change struct {
	Day    Day
	Status string
	Note   string
}

// Errors of a status history line.
var (
	ErrHistoryLine   = errors.New("accountability.error.history_line")   // not "YYYY-MM-DD status [note]"
	ErrHistoryStatus = errors.New("accountability.error.history_status") // unknown status
	ErrHistoryBefore = errors.New("accountability.error.history_before") // before the promise, or before the line above
	ErrHistoryFuture = errors.New("accountability.error.history_future") // after today
)

// ParseHistory reads status lines, "2020-04-12 broken the family was told
// nothing", oldest first, each on or after made and the line before, none
// after today. It returns the 0-based line of the first refused.
func ParseHistory(lines []string, made, today Day) ([]Change, int, error) {
	out := make([]Change, 0, len(lines))
	prev := made
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			return nil, i, ErrHistoryLine
		}
		d, err := ParseDay(f[0])
		if err != nil {
			return nil, i, ErrHistoryLine
		}
		if !knownStatus(f[1]) {
			return nil, i, ErrHistoryStatus
		}
		if d.Before(prev) {
			return nil, i, ErrHistoryBefore
		}
		if today.Before(d) {
			return nil, i, ErrHistoryFuture
		}
		prev = d
		out = append(out, Change{d, f[1], strings.Join(f[2:], " ")})
	}
	return out, 0, nil
}

func knownStatus(s string) bool {
	for _, k := range statuses {
		if s == k {
			return true
		}
	}
	return false
}

// Current is the status the history ends with; pending if it is empty.
func Current(h []Change) string {
	if len(h) == 0 {
		return Pending
	}
	return h[len(h)-1].Status
}

// Open reports whether a commitment in status s is still awaited: only a
// pending one (docs/counting.md).
func Open(s string) bool { return s == Pending }

// Lateness is how far past its deadline an open commitment is.
type Lateness struct {
	Due    Day
	Days   int // days past Due; 0 when not overdue
	Months int // whole months past Due
}

// Overdue reports whether a commitment made on made, with deadline dl and
// status s, is overdue on today: open, with a due day before today. A
// commitment is not overdue on the day it falls due.
func Overdue(made Day, dl Deadline, s string, today Day) (Lateness, bool) {
	if !dl.Set() {
		return Lateness{}, false
	}
	due := dl.Due(made)
	if !Open(s) || !due.Before(today) {
		return Lateness{Due: due}, false
	}
	return Lateness{Due: due, Days: due.DaysUntil(today), Months: due.MonthsUntil(today)}, true
}
