// Package stats is rasd's one definition of counting. Every public figure
// (dashboard, portal, API, exports, `rasd stats`) comes from Count, and
// every figure's receipt, the incidents behind it, from Receipt over the
// same Query, so the two cannot disagree. The rules are written out in
// docs/counting.md:
//
//   - An incident counts only if its verification status ranks at least
//     the threshold (default corroborated: two independent sources, as
//     OHCHR asks); disputed and rejected incidents never count.
//   - A merged duplicate never counts; the record it was merged into does.
//   - Incidents and victims are counted apart: victims are the victims of
//     the counted incidents, each person once per incident (SDG 16.10.1).
//     Fatalities are the sum of the incidents' conservative figures (ACLED).
//   - An incident is in a window only if the whole period its date may
//     cover lies inside it (see Period): a month-precision incident is in
//     its month, not on its first day. Counted incidents with an estimated
//     or less-than-a-day date are reported as Approximate.
//   - Grouped by month, an incident whose period spans months is in no
//     month: it is reported as Unplaced.
//   - Figures are lower bounds: "at least N".
//   - A figure counts a restricted incident only for a reader who may
//     list it (Query.Reader); public and internal incidents count for
//     everyone. No figure, and no difference of figures, reveals a
//     restricted incident to anyone else.
//
// The rules are turned into a store.CountQuery here; the store runs it as
// SQL.
package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// DefaultThreshold is the least verification status public figures count.
const DefaultThreshold = "corroborated"

// Groupings a figure can be broken down by.
const (
	ByType        = "type"
	ByGovernorate = "governorate"
	ByMonth       = "month"
)

// Query asks for a figure in the terms people use. Empty filters keep
// everything.
type Query struct {
	Window          Window   `json:"window"`
	MinVerification string   `json:"min_verification,omitempty"` // "" = DefaultThreshold
	Types           []string `json:"types,omitempty"`            // vocab incident_type
	Governorates    []string `json:"governorates,omitempty"`     // admin1 codes, e.g. IQ-BG
	Perpetrators    []string `json:"perpetrators,omitempty"`     // vocab perpetrator_type
	// Roles and Outcomes select victims: only incidents with a victim of
	// one of the roles and one of the outcomes count, and only those
	// victims.
	Roles    []string `json:"roles,omitempty"`    // vocab victim_role
	Outcomes []string `json:"outcomes,omitempty"` // vocab outcome
	By       string   `json:"by,omitempty"`       // "", ByType, ByGovernorate or ByMonth
	// OnlyGroup keeps the incidents of one group of By (Group "" is the
	// unplaced): the figure and receipt of one row. See InGroup.
	OnlyGroup bool   `json:"only_group,omitempty"`
	Group     string `json:"group,omitempty"`
	// Reader is who the figure is for: a restricted incident counts only
	// if Reader may list it; public and internal ones count for everyone.
	// The zero Reader counts no restricted incident, which makes a figure
	// anyone may be shown. Set it from access.Visible of the person
	// reading, never wider. See docs/counting.md, "What a figure may
	// reveal".
	Reader store.Visible `json:"-"`
}

// InGroup is q narrowed to one row of its grouping: the query whose
// receipt lists the incidents behind that row.
func (q Query) InGroup(key string) Query {
	q.OnlyGroup, q.Group = true, key
	return q
}

// Counted lists the verification statuses counted at threshold min ("" for
// the default), in the vocabulary's order.
func Counted(min string) ([]string, error) {
	if min == "" {
		min = DefaultThreshold
	}
	v := vocab.Get(vocab.VerificationStatus)
	t, ok := v.Lookup(min)
	if !ok {
		return nil, v.Check(min)
	}
	if t.Rank <= 0 {
		return nil, fmt.Errorf("%q cannot be a threshold: disputed and rejected incidents are never counted", min)
	}
	var out []string
	for _, s := range v.Terms {
		if s.Rank >= t.Rank {
			out = append(out, s.Code)
		}
	}
	return out, nil
}

var byStore = map[string]string{"": "", ByType: "type", ByGovernorate: "admin1", ByMonth: "month"}

// Store turns q into the store's query, applying the rules: threshold to
// statuses, window and precision to date bounds. It checks every code.
func (q Query) Store() (store.CountQuery, error) {
	var cq store.CountQuery
	var err error
	if cq.Verification, err = Counted(q.MinVerification); err != nil {
		return cq, err
	}
	if err := q.Window.Check(); err != nil {
		return cq, err
	}
	cq.From, cq.To = q.Window.From, q.Window.To
	cq.Bounds = bounds(q.Window)
	for _, c := range []struct {
		vocabulary string
		codes      []string
	}{
		{vocab.IncidentType, q.Types}, {vocab.PerpetratorType, q.Perpetrators},
		{vocab.VictimRole, q.Roles}, {vocab.Outcome, q.Outcomes},
	} {
		for _, code := range c.codes {
			if err := vocab.Get(c.vocabulary).Check(code); err != nil {
				return cq, err
			}
		}
	}
	for _, g := range q.Governorates {
		if _, ok := vocab.Admin1(g); !ok {
			return cq, fmt.Errorf("%q is not a governorate code (e.g. IQ-BG)", g)
		}
	}
	cq.Types, cq.Admin1, cq.PerpetratorTypes = q.Types, q.Governorates, q.Perpetrators
	cq.VictimRoles, cq.Outcomes = q.Roles, q.Outcomes
	by, ok := byStore[q.By]
	if !ok {
		return cq, fmt.Errorf("cannot group by %q: use %s, %s or %s", q.By, ByType, ByGovernorate, ByMonth)
	}
	if q.OnlyGroup && by == "" {
		return cq, fmt.Errorf("group %q asked for without a grouping", q.Group)
	}
	cq.By, cq.OnlyGroup, cq.Group = by, q.OnlyGroup, q.Group
	cq.Reader = q.Reader
	return cq, nil
}

// bounds are the start bounds that keep the whole period of a coarse date
// inside w when its stored end is narrower (see Period): a week must start
// six days before w ends; a month or year must start and end inside w, so
// its start lies between the first month (year) that begins in w and the
// last that ends in it. Bounds that add nothing are left out.
func bounds(w Window) []store.StartBound {
	var out []store.StartBound
	from, _ := parse(w.From)
	to, _ := parse(w.To)
	if w.To != "" {
		out = append(out, store.StartBound{Precision: "week", To: to.AddDate(0, 0, -6).Format(layout)})
	}
	for _, p := range []string{"month", "year"} {
		b := store.StartBound{Precision: p}
		if w.From != "" {
			if first := periodStart(p, from); !first.Equal(from) {
				b.From = next(p, first).Format(layout)
			}
		}
		if w.To != "" {
			if first := periodStart(p, to); !next(p, first).AddDate(0, 0, -1).Equal(to) {
				b.To = first.AddDate(0, 0, -1).Format(layout)
			}
		}
		if b.From != "" || b.To != "" {
			out = append(out, b)
		}
	}
	return out
}

// periodStart is the first day of the month or year holding t.
func periodStart(p string, t time.Time) time.Time {
	if p == "year" {
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// next is the first day of the month or year after the one starting at t.
func next(p string, t time.Time) time.Time {
	if p == "year" {
		return t.AddDate(1, 0, 0)
	}
	return t.AddDate(0, 1, 0)
}

// Figure is a count: Incidents, Victims and Fatalities are lower bounds
// ("at least"); Approximate is how many of the incidents have an estimated
// date or one less precise than a day.
type Figure struct {
	Incidents   int `json:"incidents"`
	Victims     int `json:"victims"`
	Fatalities  int `json:"fatalities"`
	Approximate int `json:"approximate"`
}

func (f *Figure) add(r store.CountRow) {
	f.Incidents += r.Incidents
	f.Victims += r.Victims
	f.Fatalities += r.Fatalities
	f.Approximate += r.Approximate
}

// Group is one row of a grouped figure: Key is a type code, a governorate
// code or a month (YYYY-MM).
type Group struct {
	Key string `json:"key"`
	Figure
}

// Result is a figure and, with Query.By, its breakdown.
type Result struct {
	Query   Query    `json:"query"`
	Counted []string `json:"counted"` // verification statuses counted
	Total   Figure   `json:"total"`
	// Groups are the rows of the breakdown, in key order; Unplaced is the
	// counted incidents in none of them (a date spanning months, no
	// governorate). Total is their sum.
	Groups   []Group `json:"groups,omitempty"`
	Unplaced Figure  `json:"unplaced"`
}

// Counter is what Count and Receipt need of a store.
type Counter interface {
	CountIncidents(ctx context.Context, q store.CountQuery) ([]store.CountRow, error)
	ReceiptIncidents(ctx context.Context, q store.CountQuery, show store.Visible, limit, offset int) (store.Receipt, error)
}

// Count computes the figure q asks for.
func Count(ctx context.Context, st Counter, q Query) (Result, error) {
	cq, err := q.Store()
	if err != nil {
		return Result{}, err
	}
	rows, err := st.CountIncidents(ctx, cq)
	if err != nil {
		return Result{}, err
	}
	res := Result{Query: q, Counted: cq.Verification}
	for _, r := range rows {
		res.Total.add(r)
		switch {
		case q.By == "":
		case r.Key == "":
			res.Unplaced.add(r)
		default:
			g := Group{Key: r.Key}
			g.add(r)
			res.Groups = append(res.Groups, g)
		}
	}
	return res, nil
}

// Receipt lists the incidents behind the figure Count gives for q, oldest
// first: the page of those show lets the reader see (limit <= 0: all),
// with how many are counted and how many are withheld from this reader.
// q.Reader decides what is counted, show what is listed; pass the same
// reader to both (the public portal passes store.Visible{Levels:
// []string{"public"}}). Then only public and internal incidents can be
// withheld: a restricted incident counts only for a reader who may list
// it.
func Receipt(ctx context.Context, st Counter, q Query, show store.Visible, limit, offset int) (store.Receipt, error) {
	cq, err := q.Store()
	if err != nil {
		return store.Receipt{}, err
	}
	return st.ReceiptIncidents(ctx, cq, show, limit, offset)
}

// Cell is one cell of a figure broken down by several groupings at once:
// Keys holds its key in each grouping ("" for the unplaced in it).
type Cell struct {
	Keys []string `json:"keys"`
	Figure
}

// Cells counts q broken down by every grouping in by (two or three of
// ByType, ByGovernorate and ByMonth) at once, in one query: a cell per
// combination of keys that has incidents. Each incident is in exactly one
// cell, so summing cells gives the figure of any coarser breakdown. A
// cell is the figure of q narrowed to its keys (types and governorates as
// filters, the last grouping as InGroup), which is the query its receipt
// runs: the store applies the same conditions and the same keys.
func Cells(ctx context.Context, st Counter, q Query, by ...string) ([]Cell, error) {
	if q.By != "" || q.OnlyGroup {
		return nil, fmt.Errorf("cells: give the groupings as by, not in the query")
	}
	if len(by) < 2 || len(by) > 3 {
		return nil, fmt.Errorf("cells: group by two or three of %s, %s and %s", ByType, ByGovernorate, ByMonth)
	}
	q.By = by[0]
	cq, err := q.Store()
	if err != nil {
		return nil, err
	}
	for _, g := range by[1:] {
		k, ok := byStore[g]
		if !ok || k == "" {
			return nil, fmt.Errorf("cannot group by %q: use %s, %s or %s", g, ByType, ByGovernorate, ByMonth)
		}
		cq.Then = append(cq.Then, k)
	}
	rows, err := st.CountIncidents(ctx, cq)
	if err != nil {
		return nil, err
	}
	out := make([]Cell, 0, len(rows))
	for _, r := range rows {
		c := Cell{Keys: append([]string{r.Key}, r.Then[:len(by)-1]...)}
		c.add(r)
		out = append(out, c)
	}
	return out, nil
}
