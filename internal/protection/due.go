package protection

import (
	"time"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
)

// States of a case's check-ins (docs/protection.md, "Overdue check-ins").
const (
	StateOK      = "ok"      // not yet due, or a closed case
	StateDue     = "due"     // due today, or within the grace days after
	StateOverdue = "overdue" // past the grace days, until the next check-in
)

// Due is when a case's next check-in is due and how late it is.
type Due struct {
	DueOn string // YYYY-MM-DD, "" for a closed case
	State string
	Late  int // days past the due day
}

// DueOf says when case c's next check-in is due as of now (a UTC day),
// with grace days: due every CheckInEvery days after the last check-in
// (or the opening day), but never before the day the schedule was last
// set, so that changing a schedule does not make a case overdue at once.
func DueOf(c *model.ProtectionCase, now time.Time, grace int) Due {
	return dueOn(kinds.CaseDueOn(c), now, grace)
}

// dueOn is the state, as of now, of a check-in due on day ("" for none).
func dueOn(day string, now time.Time, grace int) Due {
	due, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return Due{State: StateOK}
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	out := Due{DueOn: day, State: StateOK}
	if !today.Before(due) {
		out.Late = int(today.Sub(due).Hours() / 24)
		out.State = StateDue
		if out.Late > grace {
			out.State = StateOverdue
		}
	}
	return out
}
