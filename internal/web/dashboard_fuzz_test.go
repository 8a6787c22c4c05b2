package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/stats"
)

// dashSeeds name every parameter of the dashboard and its receipts
// (stats.Params), well and badly.
var dashSeeds = []string{
	"", "by=type&group='", "by=type", "by=month&group=2020-13", "by=governorate&group=Baghdad", "by=month&group=unplaced",
	"by=type&group=unplaced", "group=killing", "by=x", "last=12m", "last=0m", "last=99999999999y", "last=-3d", "last=all&today=2020-01-01",
	"since=2019-10&until=2019", "since=2019-10-01&until=2019-09-01", "since=٢٠١٩", "until=0000-00-00", "today=2020-02-30&last=1m",
	"type=killing&type=x", "type=killing,assault", "governorate=IQ-BG&governorate=بغداد&governorate=nowhere", "role=activist&role=",
	"perpetrator=militia", "outcome=killed", "min-verification=reported", "min-verification=rejected", "min-verification=zzz",
	"page=0", "page=-1", "page=184467440737095516", "page=99999999999999999999", "page=200000000000000000", "page=2&by=type&group=killing",
	"%zz", "by=type&by=month&group=a&group=b", "last=12m&since=2020",
}

// FuzzDashboardQuery sends arbitrary query strings to the dashboard and
// to its receipts: a parameter that cannot be read is a 400 naming it,
// never a 500 (by=type&group=' was).
func FuzzDashboardQuery(f *testing.F) {
	fs := newFuzzServer(f)
	for _, s := range dashSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, path := range []string{"/dashboard", "/dashboard/receipt"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = raw
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: fs.tokens["coord"]})
			fs.log.Reset()
			w := httptest.NewRecorder()
			fs.h.ServeHTTP(w, req)
			if w.Code >= 500 || fs.log.Len() > 0 {
				t.Fatalf("GET %s?%s: %d\n%s", path, raw, w.Code, fs.log.String())
			}
		}
	})
}

// TestDashboardBadGroup: a group that is not a row of its breakdown is
// refused on the dashboard and on receipts, as the group parameter; by
// and group on the dashboard itself, once valid, change nothing.
func TestDashboardBadGroup(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("ana", "analyst"))
	for raw, want := range map[string]int{
		"by=type&group='":                 http.StatusBadRequest,
		"by=type&group=unplaced":          http.StatusBadRequest,
		"by=month&group=2020-13":          http.StatusBadRequest,
		"by=month&group=2020":             http.StatusBadRequest,
		"by=governorate&group=nowhere":    http.StatusBadRequest,
		"by=governorate&group=Baghdad":    http.StatusOK,
		"by=governorate&group=unplaced":   http.StatusOK,
		"by=month&group=2020-02":          http.StatusOK,
		"by=type&group=killing":           http.StatusOK,
		"by=type":                         http.StatusOK,
		"page=184467440737095516&by=type": http.StatusOK,
	} {
		for _, path := range []string{"/dashboard", "/dashboard/receipt"} {
			resp, body := c.get(path + "?" + raw)
			if resp.StatusCode != want {
				t.Errorf("%s?%s: %d, want %d", path, raw, resp.StatusCode, want)
				continue
			}
			if want == http.StatusBadRequest && !strings.Contains(body, "Row of the breakdown") {
				t.Errorf("%s?%s: the message does not name the %s parameter", path, raw, stats.ParamGroup)
			}
		}
	}
}

// TestPageNumbersBounded: a page number from a URL never makes an offset
// overflow (a negative OFFSET is an error on PostgreSQL).
func TestPageNumbersBounded(t *testing.T) {
	for _, raw := range []string{"200000000000000000", "9223372036854775807", "-5", "0", "x", "1000001"} {
		v := url.Values{"page": {raw}}
		if q := parseDashQuery(v); q.Page != 1 || (q.Page-1)*receiptPageSize < 0 {
			t.Errorf("dashboard page=%s: %d", raw, q.Page)
		}
		if q := parseListQuery(v); q.Page != 1 {
			t.Errorf("incident list page=%s: %d", raw, q.Page)
		}
	}
	if q := parseListQuery(url.Values{"page": {"7"}}); q.Page != 7 {
		t.Errorf("page 7 read as %d", q.Page)
	}
}
