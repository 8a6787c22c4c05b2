package portal

import (
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// receiptChunk is how many incidents of a receipt are read per query.
const receiptChunk = 2000

// receiptRow is one published incident behind a figure, as its receipt
// lists it: only what its own page publishes.
type receiptRow struct {
	Code, Type, Admin1, Verification string // Admin1 "" when published without it
	Date                             redact.Date
}

// receiptHead heads a receipt: the figure, and how many of its incidents
// are listed and how many are counted but not published.
type receiptHead struct {
	Name, Sentence, Counted string
	Total, Listed, Unlisted int
}

// receipt writes the pages listing the incidents behind f: the published
// ones (stats.Receipt over public records, then only those with a page),
// and the number of the rest.
func (s *site) receipt(f figure) error {
	pages := map[string]*paged[receiptRow]{}
	for _, l := range Langs {
		pages[l] = newPaged[receiptRow](s, l, figureDir(f.slug), "receipt", s.t(l, "portal.receipt.title"))
	}
	total, unlisted, listed := 0, 0, 0
	for offset := 0; f.sentence.Total.Incidents > 0; offset += receiptChunk {
		rc, err := stats.Receipt(s.ctx, s.st, f.q, publicOnly, receiptChunk, offset)
		if err != nil {
			return err
		}
		if offset == 0 {
			total, unlisted = rc.Total, rc.Withheld
		}
		for _, ri := range rc.Incidents {
			if r, ok := s.receiptRow(ri, f.gov); ok {
				listed++
				for _, l := range Langs {
					if err := pages[l].add(r); err != nil {
						return err
					}
				}
			} else {
				unlisted++
			}
		}
		if len(rc.Incidents) < receiptChunk {
			break
		}
	}
	for _, l := range Langs {
		name := ""
		if f.label != "" {
			name = s.t(l, f.label)
		}
		head := receiptHead{Name: name, Sentence: s.digits(l, stats.Sentence(f.sentence, l)), Counted: s.digits(l, stats.CountedPhrase(f.sentence, l)),
			Total: total, Listed: listed, Unlisted: unlisted}
		if _, err := pages[l].close(head); err != nil {
			return err
		}
	}
	s.rep.Receipts++
	if f.slug == "all" {
		s.rep.Unpublished = unlisted
	}
	return nil
}

// receiptRow is what a receipt may list of ri, and false when it may not
// list it: the incident has no page (redaction withheld it), or the
// receipt is a governorate's and the incident is published without its
// governorate.
func (s *site) receiptRow(ri store.ReceiptIncident, gov bool) (receiptRow, bool) {
	if !s.published[ri.Code] || gov && s.countryOnly[ri.Code] {
		return receiptRow{}, false
	}
	r := receiptRow{Code: ri.Code, Type: ri.Type, Verification: ri.Verification,
		Date: redact.Date{Start: ri.Date.Start, End: ri.Date.End, Precision: ri.Date.Precision, Estimated: ri.Date.Estimated}}
	if r.Date.End == "" {
		r.Date.End = r.Date.Start
	}
	if !s.countryOnly[ri.Code] {
		r.Admin1 = ri.Admin1
	}
	return r, true
}
