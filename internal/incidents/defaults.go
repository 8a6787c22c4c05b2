package incidents

import (
	"fmt"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

const dateLayout = "2006-01-02"

// parseDate accepts only YYYY-MM-DD naming a real calendar day.
func parseDate(s string) (time.Time, error) {
	if len(s) != len(dateLayout) {
		return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD, e.g. 2019-10-25", s)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD, e.g. 2019-10-25", s)
	}
	return t, nil
}

func fmtDate(t time.Time) string { return t.Format(dateLayout) }

// Span returns the first and last day an event dated t with the given
// precision may have happened. The start of a month or year is moved to
// its first day: "October 2019" is 1–31 October whatever day was written.
func Span(t time.Time, precision string) (start, end time.Time) {
	switch precision {
	case "week":
		return t, t.AddDate(0, 0, 6)
	case "month":
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(0, 1, -1)
	case "year":
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC), time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return t, t
}

// ApplyDefaults fills what an import or a form may leave out: date
// precision "day", the end of an imprecise date, visibility "internal",
// verification "reported", the country from the governorate code, the
// governorate and district from coordinates (DerivePlace),
// perpetrator type "unknown", a victim's person visibility "internal", and
// tidy tags. It never overwrites a value that was given, so applying it
// twice changes nothing more.
func ApplyDefaults(inc *model.Incident) {
	d := &inc.Date
	if d.Precision == "" {
		d.Precision = "day"
	}
	if d.End == "" {
		if t, err := parseDate(d.Start); err == nil {
			s, e := Span(t, d.Precision)
			d.Start, d.End = fmtDate(s), fmtDate(e)
		}
	}
	if inc.Visibility == "" {
		inc.Visibility = model.VisibilityInternal
	}
	if inc.Verification == "" {
		inc.Verification = "reported"
	}
	if p := &inc.Place; p.Country == "" && len(p.Admin1) > 3 && p.Admin1[2] == '-' {
		p.Country = p.Admin1[:2]
	}
	DerivePlace(&inc.Place)
	for i := range inc.Perpetrators {
		if inc.Perpetrators[i].Type == "" {
			inc.Perpetrators[i].Type = "unknown"
		}
	}
	for i := range inc.Victims {
		if p := inc.Victims[i].Person; p != nil && p.Visibility == "" {
			p.Visibility = model.VisibilityInternal
		}
	}
	inc.Tags = TidyTags(inc.Tags)
}

// TidyTags trims tags and drops empty and repeated ones, keeping order.
func TidyTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
