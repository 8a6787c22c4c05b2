package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// maxPageBytes is the most any page may weigh, uncompressed (docs/web.md).
const maxPageBytes = 150 << 10

// TestPageWeight fills a store with the worst case for the size of a
// page: an incident of every type in every governorate in every month of
// RASD_WEIGHT_MONTHS months (30 by default; 120, the chart's limit, for
// BENCHMARKS.md), so that every cell of every table and chart holds a
// figure and a link. A page's size follows from how many cells it has, not
// how many incidents are counted in them: a million incidents fill no more
// cells (their numbers are a few digits longer, which the margin below
// the limit holds). Every page is read in English and in Arabic with
// Arabic-Indic digits, and must stay under maxPageBytes.
func TestPageWeight(t *testing.T) {
	months := 30
	if v, err := strconv.Atoi(os.Getenv("RASD_WEIGHT_MONTHS")); err == nil && v > 0 {
		months = v
	}
	h := newHarness(t)
	h.now = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)
	types := vocab.Get(vocab.IncidentType).Codes()
	perps := vocab.Get(vocab.PerpetratorType).Codes()
	govs := vocab.GazetteerFor("IQ").Governorates()
	var batch []model.Incident
	flush := func() {
		if _, err := h.st.ImportIncidents(context.Background(), "weight", batch, nil); err != nil {
			t.Fatal(err)
		}
		batch = batch[:0]
	}
	n := 0
	for m := range months {
		day := h.now.AddDate(0, -m, -1).Format("2006-01-02")
		for i, typ := range types {
			for j, g := range govs {
				n++
				batch = append(batch, model.Incident{Type: typ, Date: model.Date{Start: day, End: day, Precision: "day"},
					Place: model.Place{Country: "IQ", Admin1: g.Code}, Verification: "verified", Visibility: "internal",
					Fatalities: (i + j) % 3, SummaryEN: fmt.Sprintf("Weight case %d", n),
					Perpetrators: []model.Perpetrator{{Type: perps[(i+j+m)%len(perps)]}}})
				if len(batch) == 5000 {
					flush()
				}
			}
		}
	}
	flush()
	readers := map[string]*client{"en": h.as(h.userLang("weight-en", model.RoleCoordinator, "en")),
		"ar": h.as(h.userLang("weight-ar", model.RoleCoordinator, "ar"))}
	pages := []string{"/", "/dashboard", "/dashboard?last=all", "/dashboard?last=all&cube=2", "/dashboard?last=all&type=killing",
		"/dashboard?since=2019-10-01", "/dashboard/receipt?last=all", "/incidents", "/incidents?type=killing&type=torture",
		"/search?q=Weight", "/persons", "/organisations"}
	for _, lang := range []string{"en", "ar"} {
		c := readers[lang]
		for _, p := range pages {
			resp, body := c.get(p)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", p, resp.StatusCode)
			}
			if dir := os.Getenv("RASD_WEIGHT_DUMP"); dir != "" { // to see what weighs
				os.WriteFile(filepath.Join(dir, lang+strings.NewReplacer("/", "_", "?", "_", "&", "_").Replace(p)+".html"), []byte(body), 0o644)
			}
			var gz bytes.Buffer
			w := gzip.NewWriter(&gz)
			w.Write([]byte(body))
			w.Close()
			t.Logf("%s %-40s %7d bytes, %6d gzipped", lang, p, len(body), gz.Len())
			if len(body) > maxPageBytes {
				t.Errorf("%s GET %s (%d incidents over %d months): %d bytes, more than %d", lang, p, n, months, len(body), maxPageBytes)
			}
		}
	}
}

// userLang is user with a language.
func (h *harness) userLang(name, role, lang string) *model.User {
	h.t.Helper()
	u := h.user(name, role)
	u.Lang = lang
	if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
		h.t.Fatal(err)
	}
	return u
}
