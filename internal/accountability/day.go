// Package accountability holds the rules of official responses and the
// justice that follows a killing: a commitment's deadline and whether it
// has passed, and a case's impunity class derived from its judicial steps.
// It is pure: no store, no clock of its own. The rules are written in
// docs/counting.md ("Commitments and deadlines", "Impunity").
package accountability

import (
	"fmt"
	"time"
)

// Day is a calendar day, with no time of day and no time zone, so that no
// zone can move it (docs/counting.md, "Commitments and deadlines").
type Day struct{ t time.Time } // midnight UTC of the day

// ParseDay reads YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return Day{t}, nil
}

// DayOf is the day of the calendar t shows in its own location: 23:30 on
// 12 January in Baghdad is 12 January, whatever UTC says.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// Date is the day y-m-d (normalised as time.Date does).
func Date(y int, m time.Month, d int) Day { return Day{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// IsZero reports whether d is no day.
func (d Day) IsZero() bool { return d.t.IsZero() }

func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Time is midnight UTC of d, for formatting.
func (d Day) Time() time.Time { return d.t }

// Before reports whether d is an earlier day than e.
func (d Day) Before(e Day) bool { return d.t.Before(e.t) }

// AddDays is the day n days after d.
func (d Day) AddDays(n int) Day { return Day{d.t.AddDate(0, 0, n)} }

// AddMonths is the same day n months later; where that month is shorter,
// its last day (31 January + 1 month is 28 or 29 February), never a day
// of the month after.
func (d Day) AddMonths(n int) Day {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return Day{first.AddDate(0, 0, min(day, last)-1)}
}

// DaysUntil is the number of days from d to e (negative if e is earlier).
func (d Day) DaysUntil(e Day) int { return int(e.t.Sub(d.t).Hours() / 24) }

// MonthsUntil is the number of whole months from d to e, by AddMonths:
// the largest n with d.AddMonths(n) not after e (0 if e is before d).
func (d Day) MonthsUntil(e Day) int {
	if e.Before(d) {
		return 0
	}
	y1, m1, _ := d.t.Date()
	y2, m2, _ := e.t.Date()
	n := (y2-y1)*12 + int(m2-m1)
	for n > 0 && e.Before(d.AddMonths(n)) {
		n--
	}
	return n
}
