package stats

import (
	"strings"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/vocab"
)

// PromiseSentence is a commitment's sentence in lang: what was promised,
// by when, and how late it is or what became of it ("promised results
// within 3 months on 12 January 2020; 4 months overdue"), the counted
// units in lang's plural forms. text writes the catalogue's words (HTML
// escaping them, for a page) and value each number or date (isolating it,
// <bdi>, in the page's digits).
func PromiseSentence(lang string, r CommitmentRow, text, value func(string) string) string {
	msg := func(key string, args ...string) string {
		m, _ := i18n.Message(lang, key)
		parts := strings.Split(text(m), "%s")
		var b strings.Builder
		for i, p := range parts {
			b.WriteString(p)
			if i < len(parts)-1 && i < len(args) {
				b.WriteString(args[i])
			}
		}
		return b.String()
	}
	span := func(n int, u accountability.Unit) string { return value(i18n.N(lang, "unit."+string(u), n)) }
	made := value(i18n.Date(lang, r.MadeOn, "day"))
	var b strings.Builder
	switch dur, err := accountability.ParseDuration(r.Deadline); {
	case r.Deadline == "":
		b.WriteString(msg("commitment.sentence.none", made))
	case err == nil:
		b.WriteString(msg("commitment.sentence.within", span(dur.N, dur.Unit), made))
	default:
		b.WriteString(msg("commitment.sentence.by", value(i18n.Date(lang, r.Deadline, "day")), made))
	}
	b.WriteString(msg("commitment.sentence.sep"))
	switch {
	case r.Overdue && r.MonthsOverdue > 0:
		b.WriteString(msg("commitment.sentence.overdue", span(r.MonthsOverdue, accountability.Months)))
	case r.Overdue:
		b.WriteString(msg("commitment.sentence.overdue", span(r.DaysOverdue, accountability.Days)))
	case accountability.Open(r.Status) && r.Due != "":
		b.WriteString(msg("commitment.sentence.due", value(i18n.Date(lang, r.Due, "day"))))
	default:
		t, _ := vocab.Get(vocab.CommitmentStatus).Lookup(r.Status)
		b.WriteString(text(t.Label(lang)))
	}
	return b.String()
}
