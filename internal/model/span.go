package model

import "time"

// Span is the days a date covers by its precision: a week from its start,
// the whole month or year of a month's or year's. Duplicate detection
// compares spans (docs/duplicates.md), and the store blocks incidents by
// them, so both read them here. ok is false for a start that is no date.
func (d Date) Span() (start, end time.Time, ok bool) {
	start, err := time.Parse(time.DateOnly, d.Start)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	end = start
	if e, err := time.Parse(time.DateOnly, d.End); err == nil && e.After(start) {
		end = e
	}
	switch d.Precision {
	case "week":
		end = end.AddDate(0, 0, 6)
	case "month":
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		end = start.AddDate(0, 1, -1)
	case "year":
		start = time.Date(start.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		end = start.AddDate(1, 0, -1)
	}
	return start, end, true
}

// ComparedName is the name duplicate detection compares a victim by
// (docs/duplicates.md): the Latin one, else the Arabic one; "" for a
// restricted person, whose names are sealed and never compared.
func (p *Person) ComparedName() string {
	if p == nil || p.Visibility == VisibilityRestricted {
		return ""
	}
	if p.NameLatin != "" {
		return p.NameLatin
	}
	return p.NameAR
}
