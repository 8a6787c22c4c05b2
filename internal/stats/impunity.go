package stats

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The impunity figures (docs/counting.md, "Impunity figures"): of the
// killings a Query counts, the murders, and each murder's impunity class
// derived from the judicial steps its reader counts.

// IsMurder reports whether a counted killing is a murder: a killing with
// its motive link confirmed, not tagged as a death in crossfire, on a
// dangerous assignment or of unknown cause (accountability.IsMurder).
func IsMurder(inc *model.Incident) bool {
	return accountability.IsMurder(inc.Type, inc.MotiveLink, inc.Tags)
}

// ImpunityRow is one murder behind the figures, with its class.
type ImpunityRow struct {
	ID, Code, Country, Admin1, Visibility string
	Date                                  model.Date
	Class                                 string
}

// IndexRow is one country of the impunity index: its unsolved murders
// (complete impunity) in the index's window, per million inhabitants.
type IndexRow struct {
	Country    string  `json:"country"`
	Unsolved   int     `json:"unsolved"`
	Population int     `json:"population,omitempty"` // 0: not in the data file
	PerMillion float64 `json:"per_million,omitempty"`
	Ranked     bool    `json:"ranked"` // at least IndexMinimum unsolved, and a population
}

// IndexMinimum and IndexYears are CPJ's: countries with at least five
// unsolved murders in ten years.
const (
	IndexMinimum = 5
	IndexYears   = 10
)

// Impunity is the figures over the murders q counts.
type Impunity struct {
	Query    Query    `json:"query"`
	Country  string   `json:"country,omitempty"`
	Counted  []string `json:"counted"`
	Murders  int      `json:"murders_at_least"`
	Complete int      `json:"complete_impunity"`
	Partial  int      `json:"partial_impunity"`
	Justice  int      `json:"full_justice"`
	// Receipt lists the murders the reader may see (show); Withheld
	// counts the others, counted but not listed.
	Receipt  []ImpunityRow `json:"receipt"`
	Withheld int           `json:"withheld"`
	// Index is the impunity index over IndexWindow, ranked first.
	IndexWindow Window     `json:"index_window"`
	Index       []IndexRow `json:"index"`
	Population  string     `json:"population_source"`
}

// CountImpunity computes the impunity figures of the killings q counts
// (its Types are set to killing), listing what show lets the reader see.
// With country (ISO 3166-1 alpha-2), the shares and the receipt are
// that country's; the index ranks every country. The index counts over
// the ten calendar years ending with the year of
// q's window's end, or the last whole year before today.
func CountImpunity(ctx context.Context, st store.Store, q Query, country string, show store.Visible, today time.Time) (Impunity, error) {
	return CountImpunityPage(ctx, st, q, country, show, today, 0)
}

// CountImpunityPage is CountImpunity with at most limit murders in the
// receipt (0: all), oldest first. It counts in the store
// (store.ImpunityFigures) where the store can, else by reading every
// counted killing and judicial step.
func CountImpunityPage(ctx context.Context, st store.Store, q Query, country string, show store.Visible, today time.Time, limit int) (Impunity, error) {
	q.Types, q.By, q.OnlyGroup = []string{"killing"}, "", false
	out := Impunity{Query: q, Country: country, Population: PopulationSource()}
	iq := q
	end := today.Year() - 1
	if q.Window.To != "" {
		t, err := parse(q.Window.To)
		if err != nil {
			return out, err
		}
		end = t.Year()
		if t.Month() != 12 || t.Day() != 31 {
			end-- // the last whole year inside the window
		}
	}
	iq.Window = Between(fmt.Sprintf("%04d-01-01", end-IndexYears+1), fmt.Sprintf("%04d-12-31", end))
	out.IndexWindow = iq.Window
	err := countImpunityInStore(ctx, st, q, iq, country, show, limit, &out)
	if errors.Is(err, store.ErrImpunitySlow) {
		out.Murders, out.Complete, out.Partial, out.Justice, out.Receipt, out.Withheld = 0, 0, 0, 0, nil, 0
		err = countImpunityRead(ctx, st, q, iq, country, show, limit, &out)
	}
	return out, err
}

// countImpunityInStore counts with store.ImpunityFigures.
func countImpunityInStore(ctx context.Context, st store.Store, q, iq Query, country string, show store.Visible, limit int, out *Impunity) error {
	cq, err := q.Store()
	if err != nil {
		return err
	}
	out.Counted = cq.Verification
	icq, err := iq.Store()
	if err != nil {
		return err
	}
	counts, err := st.ImpunityCounts(ctx, cq, country, icq)
	if err != nil {
		return err
	}
	by, shown := map[string]int{}, 0
	for _, c := range counts {
		out.Murders += c.N
		switch c.Class {
		case accountability.Complete:
			out.Complete += c.N
			by[c.Country] += c.InIndex
		case accountability.Partial:
			out.Partial += c.N
		case accountability.Justice:
			out.Justice += c.N
		}
		if visibleTo(show, c.Visibility) {
			shown += c.N
		}
	}
	for c, n := range by {
		if n == 0 {
			delete(by, c)
		}
	}
	listed, err := st.ImpunityReceipt(ctx, cq, country, show, limit)
	if err != nil {
		return err
	}
	out.Receipt, out.Withheld = make([]ImpunityRow, 0, len(listed)), out.Murders-shown
	for _, r := range listed {
		out.Receipt = append(out.Receipt, ImpunityRow{ID: r.ID, Code: r.Code, Country: r.Country, Admin1: r.Admin1,
			Visibility: r.Visibility, Date: r.Date, Class: r.Class})
	}
	out.Index = indexOf(by)
	return nil
}

// countImpunityRead counts by reading every counted killing and step.
func countImpunityRead(ctx context.Context, st store.Store, q, iq Query, country string, show store.Visible, limit int, out *Impunity) error {
	steps, err := stepsByIncident(ctx, st, counting(q.Reader))
	if err != nil {
		return err
	}
	murders, counted, err := classify(ctx, st, q, steps)
	if err != nil {
		return err
	}
	out.Counted = counted
	for _, m := range murders {
		if country != "" && m.Country != country {
			continue
		}
		out.Murders++
		switch m.Class {
		case accountability.Complete:
			out.Complete++
		case accountability.Partial:
			out.Partial++
		case accountability.Justice:
			out.Justice++
		}
		if visibleTo(show, m.Visibility) && (limit <= 0 || len(out.Receipt) < limit) {
			out.Receipt = append(out.Receipt, m)
		} else if !visibleTo(show, m.Visibility) {
			out.Withheld++
		}
	}
	inWindow, _, err := classify(ctx, st, iq, steps)
	if err != nil {
		return err
	}
	out.Index = index(inWindow)
	return nil
}

// PopulationSource cites the index's population figures.
func PopulationSource() string { return vocab.PopulationSource }

// index ranks the countries by unsolved murders per million inhabitants.
func index(murders []ImpunityRow) []IndexRow {
	by := map[string]int{}
	for _, m := range murders {
		if m.Class == accountability.Complete {
			by[m.Country]++
		}
	}
	return indexOf(by)
}

// indexOf ranks the countries of by (country → unsolved murders).
func indexOf(by map[string]int) []IndexRow {
	out := make([]IndexRow, 0, len(by))
	for c, n := range by {
		r := IndexRow{Country: c, Unsolved: n}
		if p, ok := vocab.Population(c); ok {
			r.Population, r.PerMillion = p, float64(n)/(float64(p)/1e6)
			r.Ranked = n >= IndexMinimum
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Ranked != b.Ranked {
			return a.Ranked
		}
		if a.PerMillion != b.PerMillion {
			return a.PerMillion > b.PerMillion
		}
		if a.Unsolved != b.Unsolved {
			return a.Unsolved > b.Unsolved
		}
		return a.Country < b.Country
	})
	return out
}

// counting is what a figure for reader counts: public and internal
// records, and the restricted ones reader may list (docs/counting.md).
func counting(reader store.Visible) store.Visible {
	v := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal}, OwnedBy: reader.OwnedBy}
	if slices.Contains(reader.Levels, model.VisibilityRestricted) {
		v.Levels = append(v.Levels, model.VisibilityRestricted)
	}
	return v
}

func visibleTo(v store.Visible, vis string) bool { return slices.Contains(v.Levels, vis) }

// classify lists the murders q counts, each with its class.
func classify(ctx context.Context, st store.Store, q Query, steps map[string][]model.JudicialStep) ([]ImpunityRow, []string, error) {
	cq, err := q.Store()
	if err != nil {
		return nil, nil, err
	}
	rec, err := st.ReceiptIncidents(ctx, cq, counting(q.Reader), 0, 0)
	if err != nil {
		return nil, nil, err
	}
	var out []ImpunityRow
	for _, r := range rec.Incidents {
		if !IsMurder(&model.Incident{Type: r.Type, MotiveLink: r.MotiveLink, Tags: r.Tags}) {
			continue
		}
		out = append(out, ImpunityRow{ID: r.ID, Code: r.Code, Country: r.Country, Admin1: r.Admin1,
			Visibility: r.Visibility, Date: r.Date, Class: classOf(steps[r.ID])})
	}
	return out, cq.Verification, nil
}

// classOf derives a murder's class from its steps.
func classOf(steps []model.JudicialStep) string { return accountability.Class(kinds.TrackOf(steps)) }

// stepsByIncident reads every judicial step v counts, by incident.
func stepsByIncident(ctx context.Context, st store.Store, v store.Visible) (map[string][]model.JudicialStep, error) {
	ks := store.Of[model.JudicialStep](st, kinds.JudicialStep)
	out := map[string][]model.JudicialStep{}
	for offset := 0; ; offset += 1000 {
		page, total, err := ks.List(ctx, store.ListFilter{Visible: v, Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, s := range page {
			out[s.Incident] = append(out[s.Incident], s)
		}
		if len(page) == 0 || offset+len(page) >= total {
			return out, nil
		}
	}
}
