package accountability

import (
	"testing"
	"time"
)

func day(t *testing.T, s string) Day {
	t.Helper()
	d, err := ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDurations(t *testing.T) {
	for _, c := range []struct{ made, dur, want string }{
		{"2020-01-31", "1m", "2020-02-29"}, // leap year: the month's last day
		{"2021-01-31", "1m", "2021-02-28"},
		{"2021-01-31", "2m", "2021-03-31"}, // counted from the day made, not from 28 February
		{"2020-01-12", "3m", "2020-04-12"},
		{"2020-03-31", "1m", "2020-04-30"},
		{"2020-12-15", "1m", "2021-01-15"},
		{"2020-01-12", "10d", "2020-01-22"},
		{"2020-02-25", "5d", "2020-03-01"},
		{"2020-01-12", "2w", "2020-01-26"},
		{"2020-02-29", "1y", "2021-02-28"},
		{"2020-02-29", "4y", "2024-02-29"},
		{"2019-10-25", "90d", "2020-01-23"},
	} {
		dur, err := ParseDuration(c.dur)
		if err != nil {
			t.Fatalf("%s: %v", c.dur, err)
		}
		if got := dur.After(day(t, c.made)).String(); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.made, c.dur, got, c.want)
		}
	}
}

func TestParseDurationRefuses(t *testing.T) {
	for _, s := range []string{"", "m", "3", "3x", "-3m", "3.5m", "+3m", "1201m", "99999d", "٣m", "3 m"} {
		if _, err := ParseDuration(s); err != ErrDuration {
			t.Errorf("ParseDuration(%q): %v, want %v", s, err, ErrDuration)
		}
	}
	for _, s := range []string{"0d", "0m", "00y"} {
		if _, err := ParseDuration(s); err != ErrDurationZero {
			t.Errorf("ParseDuration(%q): %v, want %v", s, err, ErrDurationZero)
		}
	}
}

func TestParseDeadline(t *testing.T) {
	made := day(t, "2020-01-12")
	for _, c := range []struct{ date, dur, field, due string }{
		{"2020-04-12", "", "", "2020-04-12"},
		{"2020-01-12", "", "", "2020-01-12"}, // due the day it was made
		{"", "3m", "", "2020-04-12"},
		{"", "", "", ""},
		{"2020-01-11", "", "deadline_date", ""},
		{"", "0d", "deadline_duration", ""},
		{"2020-04-12", "3m", "deadline_duration", ""},
		{"12/04/2020", "", "deadline_date", ""},
	} {
		dl, field, err := ParseDeadline(made, c.date, c.dur)
		if field != c.field || (err == nil) != (c.field == "") {
			t.Errorf("%q %q: field %q (%v), want %q", c.date, c.dur, field, err, c.field)
			continue
		}
		if err == nil && dl.Due(made).String() != c.due {
			t.Errorf("%q %q: due %s, want %s", c.date, c.dur, dl.Due(made), c.due)
		}
	}
}

// A day is the calendar's where it was read: no zone moves it.
func TestNoZoneShift(t *testing.T) {
	baghdad := time.FixedZone("AST", 3*3600)
	samoa := time.FixedZone("SST", -11*3600)
	for _, now := range []time.Time{
		time.Date(2020, 1, 12, 23, 59, 0, 0, baghdad), // 20:59 UTC
		time.Date(2020, 1, 12, 0, 0, 0, 0, baghdad),   // 21:00 UTC the day before
		time.Date(2020, 1, 12, 23, 0, 0, 0, samoa),    // 10:00 UTC the day after
	} {
		if got := DayOf(now).String(); got != "2020-01-12" {
			t.Errorf("DayOf(%v) = %s", now, got)
		}
	}
	d := day(t, "2020-03-29") // a daylight-saving change in many zones
	if got := d.AddDays(1).String(); got != "2020-03-30" {
		t.Errorf("AddDays over a clock change: %s", got)
	}
	if n := day(t, "2020-03-01").DaysUntil(day(t, "2020-11-01")); n != 245 {
		t.Errorf("days across both clock changes: %d", n)
	}
}

func TestOverdue(t *testing.T) {
	made := day(t, "2020-01-12")
	three, _ := ParseDuration("3m")
	dl := Deadline{Duration: three}
	for _, c := range []struct {
		status, today string
		over          bool
		days, months  int
	}{
		{Pending, "2020-04-12", false, 0, 0}, // the day it falls due
		{Pending, "2020-04-13", true, 1, 0},
		{Pending, "2020-08-12", true, 122, 4},
		{Pending, "2020-08-11", true, 121, 3},
		{Fulfilled, "2020-08-12", false, 0, 0},
		{Broken, "2020-08-12", false, 0, 0},
		{PartlyFulfilled, "2020-08-12", false, 0, 0},
	} {
		l, over := Overdue(made, dl, c.status, day(t, c.today))
		if over != c.over || l.Days != c.days || l.Months != c.months || l.Due.String() != "2020-04-12" {
			t.Errorf("%s on %s: %v %+v, want %v %d days %d months", c.status, c.today, over, l, c.over, c.days, c.months)
		}
	}
	if _, over := Overdue(made, Deadline{}, Pending, day(t, "2030-01-01")); over {
		t.Error("a promise without a deadline is never overdue")
	}
}

func TestMonthsUntil(t *testing.T) {
	for _, c := range []struct {
		a, b string
		n    int
	}{
		{"2020-01-31", "2020-02-29", 1},
		{"2020-01-31", "2020-02-28", 0},
		{"2020-01-15", "2021-01-14", 11},
		{"2020-01-15", "2021-01-15", 12},
		{"2020-05-01", "2020-04-01", 0},
	} {
		if got := day(t, c.a).MonthsUntil(day(t, c.b)); got != c.n {
			t.Errorf("%s to %s: %d months, want %d", c.a, c.b, got, c.n)
		}
	}
}

func TestParseHistory(t *testing.T) {
	made, today := day(t, "2020-01-12"), day(t, "2021-01-01")
	h, _, err := ParseHistory([]string{"2020-02-01 pending committee formed", "2020-06-01  broken"}, made, today)
	if err != nil || len(h) != 2 || Current(h) != Broken || h[0].Note != "committee formed" {
		t.Fatalf("%+v %v", h, err)
	}
	if Current(nil) != Pending {
		t.Error("no history is pending")
	}
	for _, c := range []struct {
		lines []string
		line  int
		err   error
	}{
		{[]string{"2020-02-01"}, 0, ErrHistoryLine},
		{[]string{"01/02/2020 broken"}, 0, ErrHistoryLine},
		{[]string{"2020-02-01 pending", "2020-03-01 overdue"}, 1, ErrHistoryStatus},
		{[]string{"2020-01-11 broken"}, 0, ErrHistoryBefore},
		{[]string{"2020-03-01 pending", "2020-02-01 broken"}, 1, ErrHistoryBefore},
		{[]string{"2021-01-02 fulfilled"}, 0, ErrHistoryFuture},
	} {
		if _, line, err := ParseHistory(c.lines, made, today); err != c.err || line != c.line {
			t.Errorf("%q: line %d %v, want %d %v", c.lines, line, err, c.line, c.err)
		}
	}
}
