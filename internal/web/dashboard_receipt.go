package web

import (
	"errors"
	"net/http"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// receiptPageSize is how many incidents a receipt page lists.
const receiptPageSize = 50

// receiptPage is what dashboard_receipt.html shows: the figure, and the
// incidents behind it that the reader may see.
type receiptPage struct {
	*dashPage
	Group     string // the row of a breakdown, named
	Listed    int    // counted and visible to the reader
	Withheld  int    // counted, not visible to the reader
	Rows      []store.ReceiptIncident
	Range     string
	Prev      string
	Next      string
	Dashboard string // the dashboard over the same filters
}

// dashboardReceipt lists the incidents behind a figure: stats.Receipt
// over the very query stats.Count counted, paged, with the count on top.
func (s *Server) dashboardReceipt(req *request) error {
	ctx := req.r.Context()
	dq := parseDashQuery(req.r.URL.Query())
	d := &receiptPage{dashPage: s.newDashPage(req, dq)}
	q, err := dq.resolve(d.now, access.Visible(req.user))
	if err != nil {
		var pe *stats.ParamError
		if !errors.As(err, &pe) {
			return err
		}
		d.Err, d.ErrParam = pe.Err.Error(), pe.Param
		s.render(req, http.StatusBadRequest, "dashboard_receipt", d)
		return nil
	}
	d.Query = q
	res, err := stats.Count(ctx, s.st, q)
	if err != nil {
		return err
	}
	offset := (dq.Page - 1) * receiptPageSize
	rc, err := stats.Receipt(ctx, s.st, q, q.Reader, receiptPageSize, offset)
	if err != nil {
		return err
	}
	shown := res
	shown.Query, d.Group = groupAsFilter(q, d.Lang)
	d.Sentence = d.digits(stats.Sentence(shown, d.Lang))
	d.Counted = stats.CountedPhrase(res, d.Lang)
	d.Total = res.Total
	last := dq.Last
	if shown.Query.Window != q.Window {
		last = "" // a month of the window: named by its days
	}
	d.Window = d.digits(windowName(d.Lang, last, shown.Query.Window))
	d.Listed, d.Withheld, d.Rows = rc.Total-rc.Withheld, rc.Withheld, rc.Incidents
	if len(rc.Incidents) > 0 {
		d.Range = "\u2066" + d.Number(offset+1) + "–" + d.Number(offset+len(rc.Incidents)) + "\u2069"
	}
	if dq.Page > 1 {
		prev := dq
		prev.Page = min(dq.Page-1, max(1, (d.Listed+receiptPageSize-1)/receiptPageSize))
		d.Prev = withQuery("/dashboard/receipt", prev.values())
	}
	if offset+len(rc.Incidents) < d.Listed {
		next := dq
		next.Page++
		d.Next = withQuery("/dashboard/receipt", next.values())
	}
	d.Dashboard = dashboardURL(q)
	s.render(req, http.StatusOK, "dashboard_receipt", d)
	return nil
}

// When writes an incident's date at its precision, the range where it
// has no usual precision, and marks an estimate.
func (d *receiptPage) When(dt model.Date) string {
	s := i18n.Date(d.Lang, dt.Start, dt.Precision)
	switch dt.Precision {
	case "day", "week", "month", "year":
	default:
		if dt.End != "" && dt.End != dt.Start {
			s += " – " + i18n.Date(d.Lang, dt.End, "day")
		}
	}
	if dt.Estimated {
		s += " " + i18n.T(d.Lang, "dashboard.receipt.estimated")
	}
	return d.digits(s)
}

// groupAsFilter states one row of a breakdown as the filter it amounts
// to, for the sentence above its receipt: the row of a type is that type,
// of a governorate that governorate, of a month the month (within the
// window). The unplaced rows have no such filter: they are named apart.
func groupAsFilter(q stats.Query, lang string) (stats.Query, string) {
	if !q.OnlyGroup {
		return q, ""
	}
	by, key := q.By, q.Group
	q.By, q.OnlyGroup, q.Group = "", false, ""
	switch {
	case key == "" && by == stats.ByMonth:
		return q, i18n.T(lang, "dashboard.receipt.unplaced_month")
	case key == "":
		return q, i18n.T(lang, "dashboard.receipt.unplaced_governorate")
	case by == stats.ByType:
		q.Types = []string{key}
	case by == stats.ByGovernorate:
		q.Governorates = []string{key}
	case by == stats.ByMonth:
		first := key + "-01"
		last := monthEnd(first)
		if q.Window.From < first {
			q.Window.From = first
		}
		if q.Window.To == "" || q.Window.To > last {
			q.Window.To = last
		}
	}
	return q, ""
}

// monthEnd is the last day of the month starting on first (YYYY-MM-01).
func monthEnd(first string) string {
	_, last, _, ok := dateWindow(first[:7])
	if !ok {
		return first
	}
	return last
}
