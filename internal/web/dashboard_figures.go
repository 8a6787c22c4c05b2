package web

import (
	"context"
	"errors"
	"html/template"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/chart"
	"github.com/rasd-project/rasd/internal/geomap"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The dashboard's figures. Every number is one stats.Count, or a sum of
// the cells of one stats.Cells (the table by type, governorate and
// month); they are gathered in one round that runs several at a time, as
// the store answers each on its own connection.

// counter gathers counts and runs them in rounds.
type counter struct {
	ctx   context.Context
	st    stats.Counter
	qs    []stats.Query
	res   []stats.Result
	extra []func() error // other reads of the round
}

// add queues q for the next round; the returned func gives its result
// once the round has run.
func (c *counter) add(q stats.Query) func() stats.Result {
	i := len(c.qs)
	c.qs = append(c.qs, q)
	return func() stats.Result { return c.res[i] }
}

// also queues another read for the next round.
func (c *counter) also(fn func() error) { c.extra = append(c.extra, fn) }

// dashWorkers is how many counts run at once: the store's connections are
// the limit on a server, the cores on a laptop.
var dashWorkers = min(4, runtime.GOMAXPROCS(0))

// run runs the queued counts and reads.
func (c *counter) run() error {
	done := len(c.res)
	c.res = append(c.res, make([]stats.Result, len(c.qs)-done)...)
	var fns []func() error
	for i := done; i < len(c.qs); i++ {
		fns = append(fns, func() (err error) {
			c.res[i], err = stats.Count(c.ctx, c.st, c.qs[i])
			return err
		})
	}
	fns, c.extra = append(fns, c.extra...), nil
	errs := make([]error, len(fns))
	sem := make(chan struct{}, max(dashWorkers, 1))
	var wg sync.WaitGroup
	for i, fn := range fns {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = fn()
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// fillDashboard computes every figure of the page.
func (s *Server) fillDashboard(ctx context.Context, req *request, d *dashPage) error {
	c := &counter{ctx: ctx, st: s.st}
	q := d.Query
	total := c.add(q)
	heads := dashHeadlines(d, c)
	trend := c.add(by(q, stats.ByMonth))
	places := c.add(by(q, stats.ByGovernorate))
	types := c.add(by(q, stats.ByType))
	perps := dashPerpetrators(d, c)
	outcomes := dashOutcomes(d, c)
	var cells []stats.Cell
	c.also(func() (err error) {
		cells, err = stats.Cells(ctx, s.st, q, stats.ByType, stats.ByGovernorate, stats.ByMonth)
		return err
	})
	dashBacklog(ctx, s.st, req, d, c)
	if err := c.run(); err != nil {
		return err
	}
	res := total()
	d.Total = res.Total
	d.Window = d.digits(windowName(d.Lang, d.Q.Last, q.Window))
	d.Dates = d.digits(windowDates(d.Lang, d.Q.Last, q.Window))
	d.Sentence = d.digits(stats.Sentence(res, d.Lang))
	d.Counted = stats.CountedPhrase(res, d.Lang)
	for i := range d.Backlog {
		d.Backlog[i].Counted = slices.Contains(res.Counted, d.Backlog[i].Status)
	}
	heads()
	dashTrend(d, trend())
	dashPlaces(d, places())
	perps()
	typeGroups := slices.Clone(types().Groups)
	sortByVocab(vocab.IncidentType, typeGroups)
	outcomes(typeGroups)
	dashCube(d, typeGroups, cells)
	return nil
}

// by is q broken down by a grouping.
func by(q stats.Query, grouping string) stats.Query {
	q.By = grouping
	return q
}

// dashHeadlines queues the chosen window, then the last 12 months, since
// October 2019 and all time, each once.
func dashHeadlines(d *dashPage, c *counter) (fill func()) {
	type win struct {
		last string
		w    stats.Window
		res  func() stats.Result
		q    stats.Query
	}
	var wins []win
	for _, w := range []win{{last: d.Q.Last, w: d.Query.Window}, {last: "12m", w: stats.LastMonths(d.now, 12)},
		{w: stats.Since(sinceOctober2019)}, {last: stats.AllTime}} {
		if slices.ContainsFunc(wins, func(o win) bool { return o.w == w.w }) {
			continue
		}
		w.q = d.Query
		w.q.Window = w.w
		w.res = c.add(w.q)
		wins = append(wins, w)
	}
	return func() {
		for i, w := range wins {
			view := d.Q.WithLast(w.last)
			if w.last == "" {
				view = d.Q.WithSince(w.w.From)
			}
			d.Headlines = append(d.Headlines, headline{Name: d.digits(windowName(d.Lang, w.last, w.w)),
				Dates: d.digits(windowDates(d.Lang, w.last, w.w)), Figure: w.res().Total, Receipt: receiptURL(w.q),
				View: view, Chosen: i == 0})
		}
	}
}

// dashTrend: counted incidents by month over the chosen window; its
// months are the table's columns.
func dashTrend(d *dashPage, res stats.Result) {
	q := res.Query
	d.Unplaced, d.UnplacedURL = res.Unplaced, receiptURL(q.InGroup(""))
	months, capped := monthsOf(q.Window, res.Groups, d.now)
	d.Cube.Capped = capped
	n := map[string]int{}
	for _, g := range res.Groups {
		n[g.Key] = g.Incidents
	}
	var points []chart.Point
	for _, m := range months {
		p := chart.Point{Key: m, Value: n[m]}
		if p.Value > 0 {
			p.Href = receiptURL(q.InGroup(m))
		}
		points = append(points, p)
	}
	o := d.opts
	o.ID, o.Title = "trend", i18n.T(d.Lang, "dashboard.trend.title")
	o.ValueName, o.CategoryName = i18n.T(d.Lang, "dashboard.incidents"), i18n.T(d.Lang, "dashboard.month")
	d.Trend = block(chart.TimeSeries(points, o), res.Total.Incidents == res.Unplaced.Incidents)
}

// dashPlaces: counted incidents by governorate, as bars (largest first)
// and as the map.
func dashPlaces(d *dashPage, res stats.Result) {
	q := res.Query
	d.NoPlace, d.NoPlaceURL = res.Unplaced, receiptURL(q.InGroup(""))
	groups := slices.Clone(res.Groups)
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Incidents > groups[j].Incidents })
	p := &page{Lang: d.Lang}
	var points []chart.Point
	for _, g := range groups {
		points = append(points, chart.Point{Key: g.Key, Label: p.Admin1(g.Key), Value: g.Incidents, Href: receiptURL(q.InGroup(g.Key))})
	}
	o := d.opts
	o.ID, o.Title = "places", i18n.T(d.Lang, "dashboard.places.title")
	o.ValueName, o.CategoryName = i18n.T(d.Lang, "dashboard.incidents"), i18n.T(d.Lang, "incident.governorate")
	d.Places = block(chart.Bars(points, o), len(points) == 0)
	d.Map, d.MapTable = dashMap(d, q, res.Groups)
}

// dashMap is the governorate choropleth of the counts, each governorate
// linking to its receipt, and its table.
func dashMap(d *dashPage, q stats.Query, groups []stats.Group) (template.HTML, template.HTML) {
	values := map[string]int{}
	for _, g := range groups {
		values[g.Key] = g.Incidents
	}
	o := geomap.Options{Lang: d.Lang, ArabicDigits: d.opts.ArabicDigits, ID: "map", Labels: true,
		Title: i18n.T(d.Lang, "dashboard.map.title"), ValueName: i18n.T(d.Lang, "dashboard.incidents"),
		Link: func(code string) string {
			if values[code] == 0 {
				return ""
			}
			return receiptURL(q.InGroup(code))
		}}
	return geomap.Render(values, o), geomap.Table(values, o)
}

// sortByVocab orders groups as their vocabulary lists the codes.
func sortByVocab(vocabulary string, groups []stats.Group) {
	rank := map[string]int{}
	for i, c := range vocab.Get(vocabulary).Codes() {
		rank[c] = i
	}
	sort.SliceStable(groups, func(i, j int) bool { return rank[groups[i].Key] < rank[groups[j].Key] })
}

// dashCube: the table of counts by type, and within each type by
// governorate (most incidents first), by month, from one count by type,
// governorate and month (stats.Cells): a type's row adds up its cells, a
// governorate's row is its cells. Each row is given as the count of the
// query its receipts run (the type, or type and governorate, by month).
//
// Its size is bounded whatever the number of incidents (docs/web.md): a
// column only for a month with incidents, at most cubeMonths of them a
// page (the latest first, d.Q.Cube pages back), a row only for a type or
// governorate with incidents in them, and the governorates' rows only
// while all rows fit in cubeRows (otherwise a type's row leads to the
// dashboard of that type, where they do).
func dashCube(d *dashPage, types []stats.Group, cells []stats.Cell) {
	p := &page{Lang: d.Lang}
	var months []string
	for _, c := range cells {
		if m := c.Keys[2]; m != "" && c.Figure.Incidents > 0 && !slices.Contains(months, m) {
			months = append(months, m)
		}
	}
	slices.Sort(months)
	pages := max(1, (len(months)+cubeMonths-1)/cubeMonths)
	pg := min(d.Q.Cube, pages-1)
	end := len(months) - pg*cubeMonths
	months = months[max(0, end-cubeMonths):end]
	if pg+1 < pages {
		d.Cube.Earlier = d.Q.withCube(pg + 1)
	}
	if pg > 0 {
		d.Cube.Later = d.Q.withCube(pg - 1)
	}
	for _, m := range months {
		d.Cube.Months = append(d.Cube.Months, monthCol{Key: m, Label: d.digits(shortMonthLabel(d.Lang, m)),
			Long: d.digits(i18n.Date(d.Lang, m+"-01", "month"))})
	}
	if len(months) > 0 {
		d.Cube.First, d.Cube.Last = d.Cube.Months[0].Long, d.Cube.Months[len(months)-1].Long
	}
	var all, typeRows []cubeRow
	for _, t := range types {
		tq, focus := d.Query, d.Q
		tq.Types, focus.Types = []string{t.Key}, []string{t.Key}
		focus.Cube = 0
		row := newMonthSum(by(tq, stats.ByMonth))
		govs := map[string]*monthSum{}
		var order []string
		for _, c := range cells {
			if c.Keys[0] != t.Key {
				continue
			}
			row.add(c.Keys[2], c.Figure)
			if c.Keys[1] == "" {
				continue // no governorate: in the type's row only
			}
			g := govs[c.Keys[1]]
			if g == nil {
				gq := tq
				gq.Governorates = []string{c.Keys[1]}
				g = newMonthSum(by(gq, stats.ByMonth))
				govs[c.Keys[1]], order = g, append(order, c.Keys[1])
			}
			g.add(c.Keys[2], c.Figure)
		}
		sort.SliceStable(order, func(i, j int) bool { return govs[order[i]].res.Total.Incidents > govs[order[j]].res.Total.Incidents })
		tr := cubeRowOf(d, row.result(), p.Label(vocab.IncidentType, t.Key), focus.url(), false)
		if !tr.shown() {
			continue
		}
		all, typeRows = append(all, tr), append(typeRows, tr)
		for _, code := range order {
			gf := focus
			gf.Governorates = []string{code}
			if gr := cubeRowOf(d, govs[code].result(), p.Admin1(code), gf.url(), true); gr.shown() {
				all = append(all, gr)
			}
		}
	}
	d.Cube.Rows = all
	if len(all) > cubeRows {
		d.Cube.Rows, d.Cube.TypesOnly = typeRows, true
	}
}

// The table's bounds (dashCube).
const (
	cubeMonths = 12
	cubeRows   = 40
)

// shown: the row has incidents in the months shown, or in no single month.
func (r cubeRow) shown() bool {
	return r.Unplaced.N > 0 || slices.ContainsFunc(r.Cells, func(c cubeCell) bool { return c.N > 0 })
}

// monthSum adds cells up into a count by month.
type monthSum struct {
	res    stats.Result
	months map[string]*stats.Figure
}

func newMonthSum(q stats.Query) *monthSum {
	return &monthSum{res: stats.Result{Query: q}, months: map[string]*stats.Figure{}}
}

func (m *monthSum) add(month string, f stats.Figure) {
	sum := func(to *stats.Figure) {
		to.Incidents, to.Victims = to.Incidents+f.Incidents, to.Victims+f.Victims
		to.Fatalities, to.Approximate = to.Fatalities+f.Fatalities, to.Approximate+f.Approximate
	}
	sum(&m.res.Total)
	if month == "" {
		sum(&m.res.Unplaced)
		return
	}
	if m.months[month] == nil {
		m.months[month] = &stats.Figure{}
	}
	sum(m.months[month])
}

// result is the count by month, its groups in month order.
func (m *monthSum) result() stats.Result {
	r := m.res
	for k, f := range m.months {
		r.Groups = append(r.Groups, stats.Group{Key: k, Figure: *f})
	}
	sort.Slice(r.Groups, func(i, j int) bool { return r.Groups[i].Key < r.Groups[j].Key })
	return r
}

// cubeRowOf is a row of the table from its count by month.
func cubeRowOf(d *dashPage, res stats.Result, label, focus string, sub bool) cubeRow {
	q := res.Query
	n := map[string]int{}
	for _, g := range res.Groups {
		n[g.Key] = g.Incidents
	}
	r := cubeRow{Label: label, Focus: focus, Sub: sub}
	for _, m := range d.Cube.Months {
		c := cubeCell{N: n[m.Key]}
		if c.N > 0 {
			c.Href = receiptURL(q.InGroup(m.Key))
		}
		r.Cells = append(r.Cells, c)
	}
	if r.Unplaced.N = res.Unplaced.Incidents; r.Unplaced.N > 0 {
		r.Unplaced.Href = receiptURL(q.InGroup(""))
	}
	r.Total = cubeCell{N: res.Total.Incidents, Href: receiptURL(by(q, ""))}
	return r
}

// dashPerpetrators queues a count per perpetrator type. An incident with
// perpetrators of two types is in both bars.
func dashPerpetrators(d *dashPage, c *counter) (fill func()) {
	codes := d.Query.Perpetrators
	if len(codes) == 0 {
		codes = vocab.Get(vocab.PerpetratorType).Codes()
	}
	res := make([]func() stats.Result, len(codes))
	for i, code := range codes {
		q := d.Query
		q.Perpetrators = []string{code}
		res[i] = c.add(q)
	}
	return func() {
		p := &page{Lang: d.Lang}
		var points []chart.Point
		empty := true
		for i, code := range codes {
			r := res[i]()
			pt := chart.Point{Key: code, Label: p.Label(vocab.PerpetratorType, code), Value: r.Total.Incidents}
			if pt.Value > 0 {
				pt.Href, empty = receiptURL(r.Query), false
			}
			points = append(points, pt)
		}
		o := d.opts
		o.ID, o.Title = "perpetrators", i18n.T(d.Lang, "dashboard.perps.title")
		o.ValueName, o.CategoryName = i18n.T(d.Lang, "dashboard.incidents"), i18n.T(d.Lang, "dashboard.perps.category")
		d.Perps = block(chart.Bars(points, o), empty)
	}
}

// dashOutcomes queues a count per outcome by type: victims by what
// happened to them, stacked per type of incident. Each victim is counted
// once per incident, under its outcome there.
func dashOutcomes(d *dashPage, c *counter) (fill func(types []stats.Group)) {
	codes := d.Query.Outcomes
	if len(codes) == 0 {
		codes = vocab.Get(vocab.Outcome).Codes()
	}
	res := make([]func() stats.Result, len(codes))
	for i, code := range codes {
		q := d.Query
		q.Outcomes = []string{code}
		res[i] = c.add(by(q, stats.ByType))
	}
	return func(types []stats.Group) {
		p := &page{Lang: d.Lang}
		byType, hrefs := map[string][]int{}, map[string][]string{}
		var series []string
		for i, code := range codes {
			series = append(series, p.Label(vocab.Outcome, code))
			r := res[i]()
			for _, g := range r.Groups {
				if byType[g.Key] == nil {
					byType[g.Key], hrefs[g.Key] = make([]int, len(codes)), make([]string, len(codes))
				}
				byType[g.Key][i] = g.Victims
				if g.Victims > 0 {
					hrefs[g.Key][i] = receiptURL(r.Query.InGroup(g.Key))
				}
			}
		}
		var stacks []chart.Stack
		for _, t := range types {
			vals, ok := byType[t.Key]
			if !ok {
				continue
			}
			q := d.Query
			q.Types, q.Outcomes = []string{t.Key}, codes
			stacks = append(stacks, chart.Stack{Label: p.Label(vocab.IncidentType, t.Key), Values: vals,
				Href: receiptURL(q), Hrefs: hrefs[t.Key]})
		}
		o := d.opts
		o.ID, o.Title = "outcomes", i18n.T(d.Lang, "dashboard.outcomes.title")
		o.ValueName, o.CategoryName = i18n.T(d.Lang, "dashboard.victims"), i18n.T(d.Lang, "incident.type")
		d.Outcomes = block(chart.StackedBars(series, stacks, o), len(stacks) == 0)
	}
}

// dashBacklog queues, for each verification status, how many incidents
// the reader can see have it, whatever the filters: reported and disputed
// ones need work. Each links to the incident list, which shows as many.
func dashBacklog(ctx context.Context, st store.Store, req *request, d *dashPage, c *counter) {
	vis := access.Visible(req.user)
	codes := vocab.Get(vocab.VerificationStatus).Codes()
	d.Backlog = make([]backlogRow, len(codes))
	for i, code := range codes {
		d.Backlog[i] = backlogRow{Status: code, URL: "/incidents?status=" + code, Work: code == "reported" || code == "disputed"}
		c.also(func() (err error) {
			_, d.Backlog[i].N, err = st.ListIncidents(ctx, store.IncidentFilter{Verification: []string{code}, Visible: vis, Limit: 1})
			return err
		})
	}
}
