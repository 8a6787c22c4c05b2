package web

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/chart"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The dashboard: statistics for every signed-in role. Every number on it
// is a stats.Count, and links to its receipt (dashboard_receipt.go), the
// same query listing the incidents behind it, so the two cannot disagree.
// Every figure is counted for the reader: a restricted incident only if
// they may list it, public and internal ones always (docs/counting.md,
// "What a figure may reveal"), so that no figure, nor the difference of
// two under narrower filters, shows a restricted incident to someone who
// may not see it. A receipt lists what its figure counts.

// dashPage is what dashboard.html shows.
type dashPage struct {
	// Promises is the tile of official commitments (accountability.go).
	Promises *promisesTile
	Q        dashQuery
	Query    stats.Query // the filters and the chosen window, resolved
	// Err explains filters that could not be read; the page then shows
	// the form alone.
	Err, ErrParam string

	Window, Dates string // the chosen window's name and days
	Sentence      string // the chosen window's figure, as it may be quoted
	Counted       string // which incidents count
	Total         stats.Figure
	Headlines     []headline

	Trend           chartBlock
	Unplaced        stats.Figure // counted, but in no single month
	UnplacedURL     string
	Places          chartBlock
	Map, MapTable   template.HTML
	NoPlace         stats.Figure // counted, without a governorate
	NoPlaceURL      string
	Cube            cubeTable
	Perps, Outcomes chartBlock
	Backlog         []backlogRow
	Chips           []chip
	WindowLinks     []windowLink // the usual windows, as links
	ThresholdLinks  []windowLink // the thresholds, as links
	Thresholds      []string     // verification statuses that may be a threshold
	LastChoices     []windowLink // "last N" windows for the form
	Lang            string
	opts            chart.Options
	digits          func(string) string
	now             time.Time
}

// headline is one "at least N" figure over one window.
type headline struct {
	Name, Dates string
	Figure      stats.Figure
	Receipt     string // the incidents behind it
	View        string // the dashboard over this window
	Chosen      bool
}

// chartBlock is a chart and the same figures as a table.
type chartBlock struct {
	SVG, Table template.HTML
	Empty      bool
}

// chip is an active filter with the link that removes it.
type chip struct{ Name, Value, Remove string }

// windowLink is a choice offered as a plain link.
type windowLink struct {
	Value, Name, URL string
	Current          bool
}

// backlogRow is how many incidents the reader can see have one
// verification status.
type backlogRow struct {
	Status  string
	N       int
	URL     string
	Counted bool // at the threshold in force
	Work    bool // reported or disputed: needs work
}

// cubeTable is the counts by type × governorate × month.
type cubeTable struct {
	Months         []monthCol
	First, Last    string // the first and last month shown, written out
	Rows           []cubeRow
	Capped         bool   // the chart has only the last maxMonths months
	TypesOnly      bool   // too many rows: the governorates' are left out
	Earlier, Later string // the table's other pages of months
}

type monthCol struct{ Key, Label, Long string }

// cubeRow is a type (Sub false) or a governorate within the type above.
type cubeRow struct {
	Label, Focus string
	Sub          bool
	Cells        []cubeCell
	Unplaced     cubeCell
	Total        cubeCell
}

type cubeCell struct {
	N    int
	Href string
}

// maxMonths bounds the months of the trend chart and its table: five
// years, which keeps the dashboard under its weight (docs/web.md).
const maxMonths = 60

// Number writes n as the charts do: grouped, in the reader's digits.
func (d *dashPage) Number(n int) string { return d.opts.Number(n) }

// Plural is the plural message key for n, with n written as Number does.
func (d *dashPage) Plural(key string, n int) string {
	k := key + "." + i18n.Plural(d.Lang, n)
	if !i18n.Has(d.Lang, k) {
		k = key + ".other"
	}
	return i18n.T(d.Lang, k, d.Number(n))
}

// dashboard is GET /dashboard: the figures under the URL's filters, or
// the form and what is wrong with them.
func (s *Server) dashboard(req *request) error {
	ctx := req.r.Context()
	dq := parseDashQuery(req.r.URL.Query())
	if _, err := dq.resolve(s.now(), access.Visible(req.user)); err == nil {
		// by and group pick a row of a receipt; once they are known to be
		// right, the dashboard, which shows every breakdown, leaves them.
		dq.By, dq.Group = "", ""
	}
	d := s.newDashPage(req, dq)
	q, err := dq.resolve(d.now, access.Visible(req.user))
	if err != nil {
		var pe *stats.ParamError
		if !errors.As(err, &pe) {
			return err
		}
		d.Err, d.ErrParam = pe.Err.Error(), pe.Param
		s.render(req, http.StatusBadRequest, "dashboard", d)
		return nil
	}
	d.Query = q
	if err := s.fillDashboard(ctx, req, d); err != nil {
		return err
	}
	if d.Promises, err = s.promises(req); err != nil {
		return err
	}
	s.render(req, http.StatusOK, "dashboard", d)
	return nil
}

// newDashPage sets up what the page needs before any figure: the reader's
// language and digits, and the links that change the window and threshold.
func (s *Server) newDashPage(req *request, dq dashQuery) *dashPage {
	lang := i18n.Lang(req.lang)
	arabic := locale.ArabicDigits(lang, digitsChoice(req.r))
	now := s.now()
	d := &dashPage{Q: dq, Lang: lang, opts: chart.Options{Lang: lang, ArabicDigits: arabic}, now: now}
	d.digits = func(s string) string { return s }
	if arabic {
		d.digits = i18n.Digits
	}
	for _, last := range windowChoices {
		w, _ := stats.Params{Last: last}.Query(now)
		l := windowLink{Value: last, Name: d.digits(windowName(lang, last, w.Window)), URL: dq.WithLast(last),
			Current: dq.Last == last}
		d.LastChoices = append(d.LastChoices, l)
		if last == "12m" || last == "3m" || last == stats.AllTime {
			d.WindowLinks = append(d.WindowLinks, l)
		}
	}
	since := windowLink{Value: sinceOctober2019, URL: dq.WithSince(sinceOctober2019),
		Name:    d.digits(windowName(lang, "", stats.Since(sinceOctober2019))),
		Current: dq.Since == sinceOctober2019 && dq.Until == ""}
	d.WindowLinks = append(d.WindowLinks, since)
	for _, t := range vocab.Get(vocab.VerificationStatus).Terms {
		if t.Rank > 0 {
			d.Thresholds = append(d.Thresholds, t.Code)
			d.ThresholdLinks = append(d.ThresholdLinks, windowLink{Value: t.Code, Name: t.Label(lang),
				URL: dq.WithMin(t.Code), Current: dq.Threshold() == t.Code})
		}
	}
	d.Chips = dashChips(lang, dq)
	return d
}

// dashChips lists the active filters, each with its removal link.
func dashChips(lang string, dq dashQuery) []chip {
	var out []chip
	p := &page{Lang: lang}
	for _, f := range []struct {
		param, vocabulary string
		codes             []string
	}{
		{stats.ParamType, vocab.IncidentType, dq.Types},
		{stats.ParamGovernorate, "", dq.Governorates},
		{stats.ParamRole, vocab.VictimRole, dq.Roles},
		{stats.ParamPerpetrator, vocab.PerpetratorType, dq.Perpetrators},
		{stats.ParamOutcome, vocab.Outcome, dq.Outcomes},
	} {
		for _, c := range f.codes {
			label := p.Admin1(c)
			if f.vocabulary != "" {
				label = p.Label(f.vocabulary, c)
			}
			out = append(out, chip{Name: i18n.T(lang, "dashboard.param."+f.param), Value: label, Remove: dq.Without(f.param, c)})
		}
	}
	if t := dq.Threshold(); t != stats.DefaultThreshold {
		out = append(out, chip{Name: i18n.T(lang, "dashboard.param.min-verification"), Value: p.Label(vocab.VerificationStatus, t),
			Remove: dq.WithMin("")})
	}
	return out
}

// monthsOf lists the months (YYYY-MM) of window w: from its first month,
// or the first with counts, to its last, or the later of the last with
// counts and end's month. At most maxMonths, the latest.
func monthsOf(w stats.Window, groups []stats.Group, end time.Time) ([]string, bool) {
	first, last := "", end.Format("2006-01")
	if w.From != "" {
		first = w.From[:7]
	}
	if w.To != "" {
		last = w.To[:7]
	}
	for _, g := range groups {
		if first == "" || g.Key < first {
			first = g.Key
		}
		if w.To == "" && g.Key > last {
			last = g.Key
		}
	}
	if first == "" {
		return nil, false
	}
	start, err1 := time.Parse("2006-01", first)
	stop, err2 := time.Parse("2006-01", last)
	if err1 != nil || err2 != nil || stop.Before(start) {
		return nil, false
	}
	capped := false
	if n := (stop.Year()-start.Year())*12 + int(stop.Month()-start.Month()) + 1; n > maxMonths {
		start, capped = stop.AddDate(0, 1-maxMonths, 0), true
	}
	var out []string
	for m := start; !m.After(stop); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out, capped
}

// shortMonthLabel is a month's column heading: "Mar 2020"; month names in
// Arabic script are short enough whole.
func shortMonthLabel(lang, ym string) string {
	t, err := time.Parse("2006-01", ym)
	if err != nil {
		return ym
	}
	name := i18n.Month(lang, int(t.Month()))
	if !locale.ArabicScript(lang) {
		name = string([]rune(name)[:3])
	}
	return name + " " + t.Format("2006")
}

func block(c *chart.Chart, empty bool) chartBlock {
	return chartBlock{SVG: c.SVG(), Table: c.Table(), Empty: empty}
}
