package accountability

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Unit is what a duration counts.
type Unit byte

const (
	Days   Unit = 'd'
	Weeks  Unit = 'w'
	Months Unit = 'm'
	Years  Unit = 'y'
)

// Duration is a deadline counted from the day a promise was made:
// "3m" is three months.
type Duration struct {
	N    int
	Unit Unit
}

func (d Duration) String() string {
	if d.N == 0 {
		return ""
	}
	return strconv.Itoa(d.N) + string(d.Unit)
}

// Errors of deadlines, as message keys (the fields they refuse are named
// by the caller).
var (
	ErrDuration       = errors.New("accountability.error.duration")        // not N followed by d, w, m or y
	ErrDurationZero   = errors.New("accountability.error.duration_zero")   // 0 days
	ErrDeadlineBefore = errors.New("accountability.error.deadline_before") // before the day it was made
	ErrDeadlineBoth   = errors.New("accountability.error.deadline_both")   // a date and a duration
)

// ParseDuration reads N followed by its unit: "90d", "2w", "3m", "1y".
// N is at most 1200 (a century of months).
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return Duration{}, ErrDuration
	}
	u := Unit(s[len(s)-1])
	if u != Days && u != Weeks && u != Months && u != Years {
		return Duration{}, ErrDuration
	}
	digits := s[:len(s)-1]
	for _, c := range digits {
		if c < '0' || c > '9' {
			return Duration{}, ErrDuration
		}
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n > 1200 || len(digits) > 4 {
		return Duration{}, ErrDuration
	}
	if n == 0 {
		return Duration{}, ErrDurationZero
	}
	return Duration{n, u}, nil
}

// After is the day the duration ends, counted from made: days and weeks
// are counted in days, months and years by AddMonths.
func (d Duration) After(made Day) Day {
	switch d.Unit {
	case Weeks:
		return made.AddDays(7 * d.N)
	case Months:
		return made.AddMonths(d.N)
	case Years:
		return made.AddMonths(12 * d.N)
	}
	return made.AddDays(d.N)
}

// Deadline is when a promise falls due: a date, or a duration from the day
// it was made, never both.
type Deadline struct {
	Date     Day
	Duration Duration
}

// ParseDeadline reads a commitment's deadline fields: date (YYYY-MM-DD or
// "") and duration ("3m" or ""). Neither is no deadline. The error names
// the field refused: "deadline_date" or "deadline_duration".
func ParseDeadline(made Day, date, duration string) (Deadline, string, error) {
	var dl Deadline
	if date != "" {
		d, err := ParseDay(date)
		if err != nil {
			return dl, "deadline_date", err
		}
		dl.Date = d
	}
	if duration != "" {
		d, err := ParseDuration(duration)
		if err != nil {
			return dl, "deadline_duration", err
		}
		dl.Duration = d
	}
	if !dl.Date.IsZero() && dl.Duration.N != 0 {
		return dl, "deadline_duration", ErrDeadlineBoth
	}
	if !dl.Date.IsZero() && dl.Date.Before(made) {
		return dl, "deadline_date", ErrDeadlineBefore
	}
	return dl, "", nil
}

// Due is the day the promise falls due (zero: no deadline).
func (dl Deadline) Due(made Day) Day {
	if dl.Duration.N != 0 {
		return dl.Duration.After(made)
	}
	return dl.Date
}

// Set reports whether there is a deadline.
func (dl Deadline) Set() bool { return !dl.Date.IsZero() || dl.Duration.N != 0 }

// GoString helps test failures.
func (dl Deadline) GoString() string { return fmt.Sprintf("Deadline{%s %s}", dl.Date, dl.Duration) }
