package portal

import (
	"cmp"
	"html/template"
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/chart"
	"github.com/rasd-project/rasd/internal/geomap"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Since2019 is the start of the "since 1 October 2019" figure: the
// October 2019 protests (Tishreen), after which the attacks this portal
// documents rose.
const Since2019 = "2019-10-01"

// figure is a count with its receipt page (figures/SLUG/).
type figure struct {
	slug  string
	label string // i18n key of the figure's name, for headlines
	// sentence is the figure as stated (stats.Sentence): its Query names
	// what is counted, its Total the count.
	sentence stats.Result
	// q is the query of the receipt: the incidents behind Total.
	q stats.Query
	// gov marks a governorate's figure: its receipt must not list an
	// incident published without its governorate.
	gov bool
}

func figureDir(slug string) string { return "figures/" + slug }

// count counts q for the public: the site's threshold, and its reader,
// the public, for whom no restricted incident counts (docs/counting.md,
// "What a figure may reveal").
func (s *site) count(q stats.Query) (stats.Result, error) {
	q.MinVerification, q.Reader = s.opts.Threshold, publicOnly
	return stats.Count(s.ctx, s.st, q)
}

// figures counts everything the home page shows and lists the figures
// with receipts: the three windows, each type, each governorate, each
// month, and the rows of a breakdown that fit none. Each figure and its
// receipt come from one query; the breakdowns by governorate and month
// only say which rows exist (a month's query is its window, which stats
// defines to hold the same incidents as its row).
func (s *site) figures() (windows, types, govs, months []figure, err error) {
	fig := func(slug, label string, q stats.Query) figure {
		if err != nil {
			return figure{}
		}
		var res stats.Result
		res, err = s.count(q)
		return figure{slug: slug, label: label, sentence: res, q: res.Query}
	}
	windows = []figure{
		fig("last-12-months", "portal.fig.last12", stats.Query{Window: stats.LastMonths(s.opts.Now, 12)}),
		fig("since-"+Since2019, "portal.fig.since2019", stats.Query{Window: stats.Since(Since2019)}),
		fig("all", "portal.fig.all", stats.Query{}),
	}
	for _, code := range vocab.Get(vocab.IncidentType).Codes() {
		types = append(types, fig("type-"+code, "", stats.Query{Types: []string{code}}))
	}
	for _, g := range vocab.GazetteerFor("IQ").Governorates() {
		f := fig("governorate-"+g.Code, "", stats.Query{Governorates: []string{g.Code}})
		f.gov = true
		govs = append(govs, f)
	}
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for _, by := range []string{stats.ByGovernorate, stats.ByMonth} {
		res, err := s.count(stats.Query{By: by})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if by == stats.ByGovernorate && res.Unplaced.Incidents > 0 {
			govs = append(govs, fig("governorate-unplaced", "portal.fig.unplaced_governorate", res.Query.InGroup("")))
		}
		if by != stats.ByMonth {
			continue
		}
		for _, g := range res.Groups {
			first, perr := time.Parse("2006-01", g.Key)
			if perr != nil {
				continue
			}
			w := stats.Between(first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly))
			months = append(months, fig("month-"+g.Key, "", stats.Query{Window: w}))
		}
		if res.Unplaced.Incidents > 0 {
			months = append(months, fig("month-unplaced", "portal.fig.unplaced_month", res.Query.InGroup("")))
		}
	}
	return windows, types, govs, months, err
}

// headline is one figure as the home page shows it.
type headline struct {
	ID, Name, Sentence, Link string
	N                        int
}

// homeData is the home page of one language.
type homeData struct {
	Windows, Types             []headline
	Counted                    string // which statuses count
	Months, ByType, ByGov      template.HTML
	MonthsT, ByTypeT, ByGovT   template.HTML
	Map, MapT                  template.HTML
	UnplacedGov, UnplacedMonth []headline
	Attribution                string
}

// writeFigures writes the home page of each language and every receipt.
func (s *site) writeFigures() error {
	windows, types, govs, months, err := s.figures()
	if err != nil {
		return err
	}
	for _, l := range Langs {
		if err := s.render(l, "index.html", "home", s.t(l, "portal.home.title"), s.home(l, windows, types, govs, months)); err != nil {
			return err
		}
	}
	for _, group := range [][]figure{windows, types, govs, months} {
		for _, f := range group {
			if err := s.receipt(f); err != nil {
				return err
			}
		}
	}
	s.rep.Counted = windows[2].sentence.Total.Incidents
	return nil
}

func (s *site) home(l string, windows, types, govs, months []figure) homeData {
	p := s.page(l, "index.html")
	link := func(f figure) string { return p.L(figureDir(f.slug) + "/index.html") }
	hl := func(f figure, name string) headline {
		return headline{ID: "fig-" + f.slug, Name: name, N: f.sentence.Total.Incidents,
			Sentence: s.digits(l, stats.Sentence(f.sentence, l)), Link: link(f)}
	}
	d := homeData{Counted: s.digits(l, stats.CountedPhrase(windows[0].sentence, l)), Attribution: geomap.Attribution}
	for _, f := range windows {
		d.Windows = append(d.Windows, hl(f, s.t(l, f.label)))
	}
	co := func(title, cat string) chart.Options {
		return chart.Options{Lang: l, ArabicDigits: s.opts.ArabicDigits, Title: s.t(l, title), CategoryName: s.t(l, cat), ValueName: s.t(l, "portal.fig.value")}
	}
	var pts []chart.Point
	for _, f := range types {
		h := hl(f, p.Label(vocab.IncidentType, f.sentence.Query.Types[0]))
		d.Types = append(d.Types, h)
		pts = append(pts, chart.Point{Label: h.Name, Value: h.N, Href: h.Link})
	}
	c := chart.Bars(pts, co("portal.chart.by_type", "portal.col.type"))
	d.ByType, d.ByTypeT = c.SVG(), c.Table()

	pts, values := nil, map[string]int{}
	for _, f := range govs {
		if !f.gov {
			d.UnplacedGov = append(d.UnplacedGov, hl(f, s.t(l, f.label)))
			continue
		}
		code := f.sentence.Query.Governorates[0]
		values[code] = f.sentence.Total.Incidents
		pts = append(pts, chart.Point{Label: p.Admin1(code), Value: values[code], Href: link(f)})
	}
	slices.SortStableFunc(pts, func(a, b chart.Point) int { return cmp.Compare(b.Value, a.Value) })
	c = chart.Bars(pts, co("portal.chart.by_governorate", "portal.col.governorate"))
	d.ByGov, d.ByGovT = c.SVG(), c.Table()
	mo := geomap.Options{Lang: l, ArabicDigits: s.opts.ArabicDigits, Labels: true, Title: s.t(l, "portal.map.title"), ValueName: s.t(l, "portal.fig.value"),
		Link: func(code string) string { return p.L(figureDir("governorate-"+code) + "/index.html") }}
	d.Map, d.MapT = geomap.Render(values, mo), geomap.Table(values, mo)

	pts = nil
	for _, f := range months {
		if f.label != "" {
			d.UnplacedMonth = append(d.UnplacedMonth, hl(f, s.t(l, f.label)))
			continue
		}
		pts = append(pts, chart.Point{Key: f.slug[len("month-"):], Value: f.sentence.Total.Incidents, Href: link(f)})
	}
	c = chart.TimeSeries(pts, co("portal.chart.by_month", "portal.col.month"))
	d.Months, d.MonthsT = c.SVG(), c.Table()
	return d
}
