package stats

import (
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

func date(s string) time.Time {
	t, err := time.Parse(layout, s)
	if err != nil {
		panic(err)
	}
	return t.Add(15 * time.Hour) // the time of day does not matter
}

func TestLastWindows(t *testing.T) {
	for _, tc := range []struct {
		last, today string
		want        Window
	}{
		{"1d", "2026-03-15", Between("2026-03-15", "2026-03-15")},
		{"365d", "2026-03-15", Between("2025-03-16", "2026-03-15")},
		{"365d", "2020-12-31", Between("2020-01-02", "2020-12-31")}, // 2020 has 366 days
		{"2w", "2026-03-15", Between("2026-03-02", "2026-03-15")},
		{"12m", "2026-03-15", Between("2025-03-16", "2026-03-15")},
		{"1y", "2026-03-15", Between("2025-03-16", "2026-03-15")},
		{"12M", "2026-12-31", Between("2026-01-01", "2026-12-31")},
		{"1m", "2026-03-31", Between("2026-03-01", "2026-03-31")},
		{"1m", "2026-03-30", Between("2026-03-01", "2026-03-30")}, // no 30 February
		{"1m", "2026-03-27", Between("2026-02-28", "2026-03-27")},
		{"1m", "2026-02-28", Between("2026-02-01", "2026-02-28")}, // the whole month
		{"1m", "2026-02-27", Between("2026-01-28", "2026-02-27")},
		{"3m", "2024-05-31", Between("2024-03-01", "2024-05-31")},
		{"24m", "2021-10-01", Between("2019-10-02", "2021-10-01")},
	} {
		got, err := ParseLast(tc.last, date(tc.today))
		if err != nil || got != tc.want {
			t.Errorf("last %s on %s = %+v, %v; want %+v", tc.last, tc.today, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "d", "12", "0d", "-3m", "12x", "1.5y", "m12"} {
		if _, err := ParseLast(bad, date("2026-03-15")); err == nil {
			t.Errorf("ParseLast(%q) accepted", bad)
		}
	}
}

func TestWindowCheck(t *testing.T) {
	for _, w := range []Window{{}, Since("2019-10-01"), Until("2020-02-29"), Between("2020-01-01", "2020-01-01")} {
		if err := w.Check(); err != nil {
			t.Errorf("%+v: %v", w, err)
		}
	}
	for _, w := range []Window{Since("2019-10"), Until("2019-02-30"), Since("1 October 2019"), Between("2020-02-01", "2020-01-31")} {
		if err := w.Check(); err == nil {
			t.Errorf("%+v accepted", w)
		}
	}
}

func TestPeriodMonthContains(t *testing.T) {
	march := Between("2020-03-01", "2020-03-31")
	for _, tc := range []struct {
		d          model.Date
		start, end string
		month      string
		inMarch    bool
	}{
		{model.Date{Start: "2020-03-01", Precision: "day"}, "2020-03-01", "2020-03-01", "2020-03", true},
		{model.Date{Start: "2020-03-31", End: "2020-03-31", Precision: "day", Estimated: true}, "2020-03-31", "2020-03-31", "2020-03", true},
		{model.Date{Start: "2020-02-29", Precision: "day"}, "2020-02-29", "2020-02-29", "2020-02", false},
		{model.Date{Start: "2020-03-23", End: "2020-03-29", Precision: "week"}, "2020-03-23", "2020-03-29", "2020-03", true},
		{model.Date{Start: "2020-03-26", End: "2020-04-01", Precision: "week"}, "2020-03-26", "2020-04-01", "", false},
		// A week stored as its first day still lasts seven days.
		{model.Date{Start: "2020-03-27", End: "2020-03-27", Precision: "week"}, "2020-03-27", "2020-04-02", "", false},
		{model.Date{Start: "2020-03-25", Precision: "week"}, "2020-03-25", "2020-03-31", "2020-03", true},
		{model.Date{Start: "2020-02-23", Precision: "week"}, "2020-02-23", "2020-02-29", "2020-02", false},
		{model.Date{Start: "2019-02-23", Precision: "week"}, "2019-02-23", "2019-03-01", "", false},
		// A month is the whole calendar month, however it was stored.
		{model.Date{Start: "2020-03-01", End: "2020-03-31", Precision: "month"}, "2020-03-01", "2020-03-31", "2020-03", true},
		{model.Date{Start: "2020-03-10", End: "2020-03-10", Precision: "month"}, "2020-03-01", "2020-03-31", "2020-03", true},
		{model.Date{Start: "2020-03-10", End: "2020-04-09", Precision: "month"}, "2020-03-01", "2020-04-09", "", false},
		{model.Date{Start: "2020-06-15", End: "2020-06-15", Precision: "year"}, "2020-01-01", "2020-12-31", "", false},
		{model.Date{Start: "2020-03-01", End: "2020-03-02", Precision: "approximate"}, "2020-03-01", "2020-03-02", "2020-03", true},
	} {
		start, end, ok := Period(tc.d)
		if !ok || start != tc.start || end != tc.end {
			t.Errorf("Period(%+v) = %s, %s, %v; want %s, %s", tc.d, start, end, ok, tc.start, tc.end)
		}
		if got := Month(tc.d); got != tc.month {
			t.Errorf("Month(%+v) = %q, want %q", tc.d, got, tc.month)
		}
		if got := march.Contains(tc.d); got != tc.inMarch {
			t.Errorf("March contains %+v: %v, want %v", tc.d, got, tc.inMarch)
		}
	}
	for _, d := range []model.Date{{Start: "2020-13-01"}, {Start: "2020-03-02", End: "2020-03-01"}, {Start: ""}} {
		if _, _, ok := Period(d); ok || Since("2000-01-01").Contains(d) {
			t.Errorf("malformed %+v has a period", d)
		}
	}
}
