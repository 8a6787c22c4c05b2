package stats

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

const layout = "2006-01-02"

// Window is a span of days, both ends included, as YYYY-MM-DD; an empty
// end is open. An incident is in a window only if the whole period its
// date may cover (see Period) lies inside it: the widest window that
// certainly contains it.
type Window struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Since is the window from day d on.
func Since(d string) Window { return Window{From: d} }

// Until is the window up to day d.
func Until(d string) Window { return Window{To: d} }

// Between is the window from a to b, both included.
func Between(a, b string) Window { return Window{From: a, To: b} }

// LastDays is the n days ending with today (included): LastDays(t, 1) is
// today alone, LastDays(t, 365) the year up to today.
func LastDays(today time.Time, n int) Window {
	t := day(today)
	return Window{From: t.AddDate(0, 0, 1-n).Format(layout), To: t.Format(layout)}
}

// LastMonths is the n months ending with today (included): from the day
// after the same day n months earlier, or, when today is the last day of
// its month, the n whole calendar months ending with it. On 15 March 2026,
// LastMonths(t, 12) is 16 March 2025 – 15 March 2026; on 28 February 2026,
// LastMonths(t, 1) is 1–28 February.
func LastMonths(today time.Time, n int) Window {
	t := day(today)
	first := time.Date(t.Year(), t.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC) // normalises the year
	from := first.AddDate(0, 0, t.Day())                                           // the day after the same day
	if t.Day() == daysIn(t) || t.Day() >= daysIn(first) {
		from = first.AddDate(0, 1, 0)
	}
	return Window{From: from.Format(layout), To: t.Format(layout)}
}

// ParseLast reads a "last N" window relative to today: "365d" (days),
// "8w" (weeks), "12m" (months) or "2y" (years).
func ParseLast(s string, today time.Time) (Window, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	bad := fmt.Errorf("%q is not a window: write a number and d, w, m or y, e.g. 365d or 12m", s)
	if len(s) < 2 {
		return Window{}, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 || n > 100*366 {
		return Window{}, bad
	}
	switch s[len(s)-1] {
	case 'd':
		return LastDays(today, n), nil
	case 'w':
		return LastDays(today, 7*n), nil
	case 'm':
		return LastMonths(today, n), nil
	case 'y':
		return LastMonths(today, 12*n), nil
	}
	return Window{}, bad
}

// Check reports a malformed date or a window that ends before it starts.
func (w Window) Check() error {
	for _, d := range []string{w.From, w.To} {
		if d == "" {
			continue
		}
		if _, err := parse(d); err != nil {
			return err
		}
	}
	if w.From != "" && w.To != "" && w.To < w.From {
		return fmt.Errorf("the window ends (%s) before it starts (%s)", w.To, w.From)
	}
	return nil
}

// Contains reports whether the whole period of d lies in w. It is the
// rule the store applies in SQL (see Query.Store), written out in Go for
// one date at a time.
func (w Window) Contains(d model.Date) bool {
	start, end, ok := Period(d)
	return ok && (w.From == "" || start >= w.From) && (w.To == "" || end <= w.To)
}

// Period is the first and last day an incident dated d may have happened
// on: the stored range, widened to what its precision names where the
// stored end is narrower (a week is seven days from the start, a month or
// year the whole calendar month or year of the start). A "month" incident
// stored as 2020-01-01–2020-01-01 is in January 2020, not on its first
// day. ok is false for a malformed date.
func Period(d model.Date) (start, end string, ok bool) {
	s, err := parse(d.Start)
	if err != nil {
		return "", "", false
	}
	e := s
	if d.End != "" {
		if e, err = parse(d.End); err != nil || e.Before(s) {
			return "", "", false
		}
	}
	from, to := s, s
	switch d.Precision {
	case "week":
		to = s.AddDate(0, 0, 6)
	case "month":
		from = s.AddDate(0, 0, 1-s.Day())
		to = from.AddDate(0, 1, -1)
	case "year":
		from = time.Date(s.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		to = time.Date(s.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	}
	if e.After(to) {
		to = e
	}
	return from.Format(layout), to.Format(layout), true
}

// Month is the calendar month (YYYY-MM) holding the whole period of d, or
// "" if the period spans more than one month: such an incident is counted
// in no single month.
func Month(d model.Date) string {
	start, end, ok := Period(d)
	if !ok || start[:7] != end[:7] {
		return ""
	}
	return start[:7]
}

func parse(d string) (time.Time, error) {
	t, err := time.Parse(layout, d)
	if err != nil || len(d) != len(layout) {
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, e.g. 2019-10-01", d)
	}
	return t, nil
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func daysIn(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
