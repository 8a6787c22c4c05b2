package web

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The reports of TestE2EFromReport, one per language: a killing, a flight
// abroad, a count attributed to an organisation, a promise.
var e2eReports = map[string]struct{ text, victim, governorate, claim string }{
	"en": {`BASRA, 20 August 2020 - Unidentified gunmen shot dead the activist Rihab Salman in central Basra yesterday, police sources said.
Five days later her colleague Noor Kareem fled to Istanbul.
According to the Al-Amal Association, at least 44 kidnappings were recorded last year.
The governor promised results within three months.`, "Rihab Salman", "IQ-BA", "44"},
	"ar": {`البصرة، ٢٠ آب ٢٠٢٠ - اغتال مسلحون مجهولون الناشطة رهاب سلمان وسط البصرة أمس، بحسب مصادر في الشرطة.
وبعد خمسة أيام فرت زميلتها نور كريم إلى إسطنبول.
وبحسب جمعية الأمل، شهد العام الماضي ما لا يقل عن 44 حالة اختطاف.
ووعد المحافظ بالكشف عن النتائج خلال ثلاثة أشهر.`, "رهاب سلمان", "IQ-BA", "44"},
}

// TestE2EFromReport: with JavaScript off, in Arabic and in English, a
// documenter pastes a report, reviews the proposals with their sentences
// highlighted, ticks the promise to save it as a commitment, accepts the
// proposed incident, and finds it, reported, with the report as its media
// source and the sentences as its information, and the commitment linked
// to it.
func TestE2EFromReport(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang+"/js-off", func(t *testing.T) {
			r := e2eReports[lang]
			u := e2eUser(h, "e2e-report-"+lang, model.RoleDocumenter, lang)
			tb := b.tab(t, h.ts.URL, lang, false)
			tb.signIn(h, u)
			tb.open("/incidents")
			tb.click(`main a.button[href="/incidents/from-report"]`)
			tb.heading("extract.title")
			tb.typeIn("#report-text", r.text)
			tb.shot("extract-paste")
			tb.click(`form[action="/incidents/from-report"] button[type=submit]`)
			if n := tb.count("ol.report li mark"); n != 4 {
				t.Errorf("%d sentences highlighted, want 4 (incident, relocation, claim, promise)", n)
			}
			if n := tb.count(`form[action="/incidents/from-report/accept"]`); n != 1 {
				t.Fatalf("%d drafts proposed, want 1: %s", n, tb.text("main"))
			}
			form := `form[action="/incidents/from-report/accept"] `
			if got := tb.run(chromedp.Value(chromedp.CSS(form + `select[name=type]`))); got != "killing" {
				t.Errorf("proposed type %q, want killing", got)
			}
			if got := tb.run(chromedp.Value(chromedp.CSS(form + `select[name=admin1]`))); got != r.governorate {
				t.Errorf("proposed governorate %q, want %s", got, r.governorate)
			}
			if got := tb.run(chromedp.Value(chromedp.CSS(form + `input[name=date_start]`))); got != "2020-08-19" {
				t.Errorf("proposed date %q, want 2020-08-19 (yesterday)", got)
			}
			if got := tb.run(chromedp.Value(chromedp.CSS(form + `input[name=victim_name]`))); got != r.victim {
				t.Errorf("proposed victim %q, want %q", got, r.victim)
			}
			main := tb.text("main")
			for _, want := range []string{r.claim, "Istanbul", "إسطنبول"} {
				if want == "Istanbul" && locale.Arabic(lang) || want == "إسطنبول" && !locale.Arabic(lang) {
					continue
				}
				if !strings.Contains(main, want) {
					t.Errorf("the review lacks %q", want)
				}
			}
			tb.do(chromedp.Click(chromedp.CSS(form + `input[name=promise_keep]`))) // a tick, no page load
			tb.shot("extract-review")
			tb.click(form + `button[type=submit]`)
			if !strings.HasPrefix(tb.path(), "/incidents/") {
				t.Fatalf("after accepting: at %s", tb.path())
			}
			tb.shot("extract-accepted")
			id := strings.TrimPrefix(strings.SplitN(tb.path(), "?", 2)[0], "/incidents/")
			svc := incidents.New(h.st, func() time.Time { return h.now })
			inc, err := svc.Get(context.Background(), incidents.As(u), id)
			if err != nil {
				t.Fatal(err)
			}
			if inc.Verification != "reported" || inc.Type != "killing" || inc.Place.Admin1 != r.governorate || len(inc.Victims) != 1 {
				t.Fatalf("stored %+v", inc)
			}
			infos, srcs, err := svc.Said(context.Background(), incidents.As(u), inc)
			if err != nil || len(infos) == 0 || srcs[infos[0].SourceID].Type != "media" {
				t.Fatalf("said %+v %v", infos, err)
			}
			if !strings.Contains(tb.text("main"), infos[0].Summary) {
				t.Errorf("the incident page lacks the sentence %q", infos[0].Summary)
			}
			all := store.ListFilter{Limit: 10, Visible: store.Visible{Levels: []string{model.VisibilityInternal}}}
			cs, _, err := store.Of[model.Commitment](h.st, kinds.Commitment).List(context.Background(), all)
			var linked int
			for _, c := range cs {
				if slices.Contains(c.Incidents, id) && c.DeadlineDate == "2020-11-20" {
					linked++
				}
			}
			if err != nil || linked != 1 {
				t.Errorf("%d commitments linked to the incident, due 2020-11-20, in %+v: %v", linked, cs, err)
			}
		})
	}
}
