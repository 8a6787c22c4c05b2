package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The dashboard's state lives in its URL, under the names `rasd stats`
// takes as flags (stats.Params): /dashboard?type=killing&last=12m is
// `rasd stats --type killing --last 12m`, and a link can be shared.

// defaultLast is the window the dashboard breaks figures down over when
// the URL names none.
const defaultLast = "12m"

// sinceOctober2019 is the start of the protests every Iraqi report counts
// from: one of the standard headline windows.
const sinceOctober2019 = "2019-10-01"

// windowChoices are the "last N" windows offered as links and in the form.
var windowChoices = []string{"1m", "3m", "6m", "12m", "2y", "5y", stats.AllTime}

// dashQuery is the dashboard's (and its receipts') URL, read.
type dashQuery struct {
	stats.Params
	Page int // receipt page, from 1
	Cube int // the table's page of months, back from the latest (0)
}

// withCube is the dashboard at q with the table's page of months n.
func (q dashQuery) withCube(n int) string {
	q.Cube = n
	return q.url() + "#h-cube"
}

// parseDashQuery reads the URL. Dates may be written as on the incident
// list (2019, 2019-10, Arabic-Indic digits): since is the first day they
// name, until the last. Dates win over a "last" window; with neither, the
// window is the last 12 months.
func parseDashQuery(v url.Values) dashQuery {
	q := dashQuery{Params: stats.ParseValues(v)}
	if q.Since != "" {
		if first, _, _, ok := dateWindow(q.Since); ok {
			q.Since = first
		}
	}
	if q.Until != "" {
		if _, last, _, ok := dateWindow(q.Until); ok {
			q.Until = last
		}
	}
	for i, g := range q.Governorates { // names as codes, so the form's boxes show them
		if _, ok := vocab.Admin1(g); !ok {
			if p, ok := vocab.Admin1ByName("", g); ok {
				q.Governorates[i] = p.Code
			}
		}
	}
	switch {
	case q.Since != "" || q.Until != "":
		q.Last, q.Today = "", ""
	case q.Last == "":
		q.Last = defaultLast
	}
	q.Last = strings.ToLower(q.Last)
	q.Page = pageNum(v.Get("page"))
	q.Cube = min(pageNum(v.Get("cube")), 1000) - 1
	return q
}

// values writes q back, leaving out the defaults.
func (q dashQuery) values() url.Values {
	p := q.Params
	if p.Last == defaultLast && p.Today == "" {
		p.Last = ""
	}
	v := p.Values()
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.Cube > 0 {
		v.Set("cube", strconv.Itoa(q.Cube+1))
	}
	return v
}

// url is the dashboard at q.
func (q dashQuery) url() string { return withQuery("/dashboard", q.values()) }

// receiptURL is the receipt of exactly the figure q counts: its window as
// fixed days, so the list behind a number does not move as days pass.
func receiptURL(q stats.Query) string { return withQuery("/dashboard/receipt", q.Params().Values()) }

// dashboardURL is the dashboard over exactly q's filters and window.
func dashboardURL(q stats.Query) string {
	q.By, q.OnlyGroup, q.Group = "", false, ""
	return withQuery("/dashboard", q.Params().Values())
}

func withQuery(path string, v url.Values) string {
	if e := v.Encode(); e != "" {
		return path + "?" + e
	}
	return path
}

// list is the address of one of q's list filters.
func (q *dashQuery) list(param string) *[]string {
	switch param {
	case stats.ParamType:
		return &q.Types
	case stats.ParamGovernorate:
		return &q.Governorates
	case stats.ParamRole:
		return &q.Roles
	case stats.ParamPerpetrator:
		return &q.Perpetrators
	case stats.ParamOutcome:
		return &q.Outcomes
	}
	return nil
}

// Has reports whether the list filter param holds code (for checkboxes).
func (q dashQuery) Has(param, code string) bool {
	l := q.list(param)
	return l != nil && slices.Contains(*l, code)
}

// Without is the dashboard without one value of a list filter.
func (q dashQuery) Without(param, code string) string {
	q.Page = 1
	if l := q.list(param); l != nil {
		*l = slices.DeleteFunc(slices.Clone(*l), func(s string) bool { return s == code })
	}
	return q.url()
}

// Only is the dashboard narrowed to one value of a list filter, the other
// filters kept.
func (q dashQuery) Only(param, code string) string {
	q.Page = 1
	if l := q.list(param); l != nil {
		*l = []string{code}
	}
	return q.url()
}

// WithLast is the dashboard over another "last N" window.
func (q dashQuery) WithLast(last string) string {
	q.Since, q.Until, q.Today, q.Last, q.Page = "", "", "", last, 1
	return q.url()
}

// WithSince is the dashboard from a day on.
func (q dashQuery) WithSince(day string) string {
	q.Since, q.Until, q.Today, q.Last, q.Page = day, "", "", "", 1
	return q.url()
}

// WithMin is the dashboard at another verification threshold.
func (q dashQuery) WithMin(min string) string {
	q.MinVerification, q.Page = min, 1
	return q.url()
}

// WithoutWindow is the dashboard over the default window.
func (q dashQuery) WithoutWindow() string { return q.WithLast(defaultLast) }

// Threshold is the verification threshold in force.
func (q dashQuery) Threshold() string {
	if q.MinVerification == "" {
		return stats.DefaultThreshold
	}
	return q.MinVerification
}

// Custom reports whether the window is given by dates.
func (q dashQuery) Custom() bool { return q.Last == "" }

// windowName names a window for a heading: "Last 12 months", "All time",
// "Since 1 October 2019".
func windowName(lang, last string, w stats.Window) string {
	switch {
	case last == stats.AllTime || (last == "" && w == stats.Window{}):
		return i18n.T(lang, "dashboard.window.all")
	case last != "":
		if n, err := strconv.Atoi(last[:len(last)-1]); err == nil && n > 0 && strings.ContainsRune("dwmy", rune(last[len(last)-1])) {
			return i18n.N(lang, "dashboard.window.last_"+last[len(last)-1:], n)
		}
	}
	return upperFirst(stats.WindowPhrase(w, lang))
}

// windowDates is a window's days, "26 November 2024 – 25 November 2025",
// for under its name; "" when the name says it already.
func windowDates(lang, last string, w stats.Window) string {
	if last == "" || last == stats.AllTime || w.From == "" || w.To == "" {
		return ""
	}
	return i18n.Date(lang, w.From, "day") + " – " + i18n.Date(lang, w.To, "day")
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// resolve turns q into the counting query for reader; now is today.
// Every figure of the page is made from it, so every one counts a
// restricted incident only if reader may list it (docs/counting.md, "What
// a figure may reveal").
func (q dashQuery) resolve(now time.Time, reader store.Visible) (stats.Query, error) {
	sq, err := q.Params.Query(now)
	sq.Reader = reader
	return sq, err
}
