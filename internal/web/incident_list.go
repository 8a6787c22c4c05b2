package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// pageSize is how many incidents a list page shows.
const pageSize = 50

// listQuery is the list page's state, all in the URL so it can be shared.
type listQuery struct {
	Types, Statuses                   []string
	Gov, From, To, Perp, Role, Vis, Q string
	Sort                              string // date, code, type, governorate, updated
	Asc                               bool
	Page                              int
}

// sortColumns maps the URL's sort names to the store's.
var sortColumns = map[string]string{"date": "date", "code": "code", "type": "type", "governorate": "admin1", "updated": "updated"}

func parseListQuery(v url.Values) listQuery {
	keep := func(vocabulary string, codes []string) []string {
		var out []string
		for _, c := range codes {
			if vocab.Get(vocabulary).Has(c) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
		return out
	}
	one := func(vocabulary, code string) string {
		if vocab.Get(vocabulary).Has(code) {
			return code
		}
		return ""
	}
	q := listQuery{Types: keep(vocab.IncidentType, v["type"]), Statuses: keep(vocab.VerificationStatus, v["status"]),
		Perp: one(vocab.PerpetratorType, v.Get("perp")), Role: one(vocab.VictimRole, v.Get("role")),
		Vis: one(vocab.Visibility, v.Get("vis")), Q: strings.TrimSpace(v.Get("q")),
		From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to")), Sort: v.Get("sort"), Asc: v.Get("dir") == "asc"}
	if _, ok := vocab.Admin1(v.Get("gov")); ok {
		q.Gov = v.Get("gov")
	}
	if _, ok := sortColumns[q.Sort]; !ok {
		q.Sort, q.Asc = "date", false
	}
	q.Page = pageNum(v.Get("page"))
	return q
}

// More counts the choices folded under "More filters", which is open when
// any is made.
func (q listQuery) More() int {
	n := len(q.Types) + len(q.Statuses)
	for _, v := range []string{q.Perp, q.Role, q.Vis} {
		if v != "" {
			n++
		}
	}
	return n
}

// values writes the query back as URL parameters, leaving out defaults.
func (q listQuery) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	v["type"], v["status"] = q.Types, q.Statuses
	set("gov", q.Gov)
	set("from", q.From)
	set("to", q.To)
	set("perp", q.Perp)
	set("role", q.Role)
	set("vis", q.Vis)
	set("q", q.Q)
	if q.Sort != "date" || q.Asc {
		v.Set("sort", q.Sort)
		if q.Asc {
			v.Set("dir", "asc")
		} else {
			v.Set("dir", "desc")
		}
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	for k, val := range v {
		if len(val) == 0 {
			delete(v, k)
		}
	}
	return v
}

func (q listQuery) url() string {
	if e := q.values().Encode(); e != "" {
		return "/incidents?" + e
	}
	return "/incidents"
}

// dateWindow expands "2019", "2019-10" or "2019-10-05" to the first and
// last day it names, and the precision the writing implies.
func dateWindow(s string) (first, last, precision string, ok bool) {
	s = strings.TrimSpace(normDigits(s))
	var layout string
	switch len(s) {
	case 4:
		layout, precision = "2006", "year"
	case 7:
		layout, precision = "2006-01", "month"
	case 10:
		layout, precision = "2006-01-02", "day"
	default:
		return "", "", "", false
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1000 {
		return "", "", "", false
	}
	end := t
	switch precision {
	case "year":
		end = t.AddDate(1, 0, -1)
	case "month":
		end = t.AddDate(0, 1, -1)
	}
	return t.Format(time.DateOnly), end.Format(time.DateOnly), precision, true
}

// incidentListPage is what incidents.html shows.
type incidentListPage struct {
	Query            listQuery
	Rows             []store.IncidentHit
	Total            int
	Range, TotalText string
	Prev, Next       string
	FromBad, ToBad   bool
	CanCreate        bool
}

// SortURL is the link of a column header: the same filters, sorted by col,
// reversing the direction when col is already the sort.
func (p *incidentListPage) SortURL(col string) string {
	q := p.Query
	if q.Sort == col {
		q.Asc = !q.Asc
	} else {
		q.Sort, q.Asc = col, col == "code" || col == "type" || col == "governorate"
	}
	q.Page = 1
	return q.url()
}

// SortMark is the arrow of the sorted column.
func (p *incidentListPage) SortMark(col string) string {
	switch {
	case p.Query.Sort != col:
		return ""
	case p.Query.Asc:
		return "▲"
	}
	return "▼"
}

// AriaSort is the aria-sort value of a column.
func (p *incidentListPage) AriaSort(col string) string {
	switch {
	case p.Query.Sort != col:
		return "none"
	case p.Query.Asc:
		return "ascending"
	}
	return "descending"
}

func (s *Server) incidentList(req *request) error {
	q := parseListQuery(req.r.URL.Query())
	f := store.IncidentFilter{Query: q.Q, Types: q.Types, Admin1: q.Gov, Verification: q.Statuses, PerpetratorType: q.Perp,
		VictimRole: q.Role, Sort: sortColumns[q.Sort], Asc: q.Asc,
		Limit: pageSize, Offset: (q.Page - 1) * pageSize}
	data := &incidentListPage{Query: q, CanCreate: access.CanCreate(req.user)}
	if q.From != "" {
		first, _, _, ok := dateWindow(q.From)
		f.From, data.FromBad = first, !ok
	}
	if q.To != "" {
		_, last, _, ok := dateWindow(q.To)
		f.To, data.ToBad = last, !ok
	}
	rows, total, err := s.incidents.List(req.r.Context(), incidents.As(req.user), f, q.Vis)
	if err != nil {
		return err
	}
	data.Rows, data.Total, data.TotalText = rows, total, groupDigits(total)
	if len(rows) > 0 {
		first, last := f.Offset+1, f.Offset+len(rows)
		data.Range = "\u2066" + groupDigits(first) + "–" + groupDigits(last) + "\u2069" // isolated: LTR inside RTL
	}
	if locale.ArabicDigits(req.lang, digitsChoice(req.r)) { // as the page writes its numbers
		data.Range = i18n.Digits(strings.ReplaceAll(data.Range, ",", "٬"))
		data.TotalText = i18n.Digits(strings.ReplaceAll(data.TotalText, ",", "٬"))
	}
	if q.Page > 1 {
		prev := q
		prev.Page = min(q.Page-1, max(1, (total+pageSize-1)/pageSize))
		data.Prev = prev.url()
	}
	if f.Offset+len(rows) < total {
		next := q
		next.Page++
		data.Next = next.url()
	}
	s.render(req, http.StatusOK, "incidents", data)
	return nil
}

// groupDigits writes n with thousands separators: 1,234.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + groupDigits(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
