package web

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// accountabilityFixture records an incident with two official responses,
// a committee and a judicial track, as of 12 August 2020.
func accountabilityFixture(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	inc := storetest.Incident()
	inc.Visibility, inc.MotiveLink, inc.Consent = model.VisibilityPublic, "confirmed", true
	if err := st.CreateIncident(ctx, "dina", &inc); err != nil {
		t.Fatal(err)
	}
	cs := store.Of[model.Commitment](st, kinds.Commitment)
	for _, c := range []model.Commitment{
		{AuthorityType: "prime_minister", Authority: "Office of the Prime Minister", MadeOn: "2020-01-12", Kind: "investigation",
			PromiseAR: "إعلان نتائج التحقيق خلال ثلاثة أشهر", PromiseEN: "Results of the investigation within three months",
			DeadlineDuration: "3m", StatusHistory: []string{"2020-02-01 pending a committee was formed"}},
		{AuthorityType: "governor", Authority: "Governor of Dhi Qar", MadeOn: "2019-12-10", Kind: "compensation",
			PromiseAR: "تعويض عائلة الضحية", PromiseEN: "Compensation for the family", DeadlineDate: "2020-03-01",
			StatusHistory: []string{"2020-03-15 partly_fulfilled half was paid"}},
		{AuthorityType: "minister", Authority: "Ministry of Interior", MadeOn: "2020-06-01", Kind: "protection",
			PromiseAR: "حماية الشهود", PromiseEN: "Protection for the witnesses", DeadlineDuration: "2w"},
	} {
		c.Incidents, c.Visibility = []string{inc.ID}, model.VisibilityPublic
		if err := cs.Create(ctx, "dina", &c); err != nil {
			t.Fatal(err)
		}
	}
	cm := &model.Committee{NameAR: "لجنة تقصي الحقائق", NameEN: "Fact-finding committee", FormedType: "prime_minister",
		FormedOn: "2020-01-15", Incidents: []string{inc.ID}, Visibility: model.VisibilityPublic}
	if err := store.Of[model.Committee](st, kinds.Committee).Create(ctx, "dina", cm); err != nil {
		t.Fatal(err)
	}
	for _, s := range []model.JudicialStep{
		{Step: "complaint_filed", Date: "2019-12-09"},
		{Step: "investigation_opened", Date: "2019-12-10"},
		{Step: "suspect_identified", Date: "2020-02-20", Who: "the gunman", Role: "perpetrator"},
	} {
		s.Incident, s.Visibility = inc.ID, model.VisibilityPublic
		if err := store.Of[model.JudicialStep](st, kinds.JudicialStep).Create(ctx, "dina", &s); err != nil {
			t.Fatal(err)
		}
	}
}

// TestE2ECommitments: the commitments list, a commitment's timeline and
// an incident's responses and judicial track, with JavaScript off, in
// Arabic and English (screenshots LANG-commitments, LANG-commitment).
func TestE2ECommitments(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	h.now = time.Date(2020, 8, 12, 9, 0, 0, 0, time.UTC)
	accountabilityFixture(t, h.st)
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := e2eUser(h, "acc-"+lang, model.RoleAnalyst, lang)
			tb := b.tab(t, h.ts.URL, lang, false)
			tb.signIn(h, u)
			tb.open("/commitments")
			tb.heading("commitments.title")
			if n := tb.count("main ul.commitments li"); n != 3 {
				t.Errorf("%d commitments listed, want 3", n)
			}
			if n := tb.count("main ul.commitments li.overdue"); n != 2 {
				t.Errorf("%d overdue, want 2", n)
			}
			tb.shot("commitments")
			tb.click(`main ul.commitments li.overdue a`)
			if n := tb.count("main ol.timeline li"); n < 3 {
				t.Errorf("the timeline has %d entries", n)
			}
			tb.shot("commitment")
			tb.open("/incidents")
			tb.click(`main table tbody tr:first-child a`)
			if !strings.Contains(tb.text("#judicial"), tb.text("#judicial strong")) || tb.count("#judicial ol li") != 3 || tb.count("#responses li") != 4 {
				t.Errorf("the incident's responses and track: %q", tb.text("#judicial"))
			}
			tb.shot("incident-accountability")
		})
	}
}

// TestE2EPromisesTracker: the portal's promises tracker, JavaScript off,
// in both languages (screenshot LANG-portal-promises).
func TestE2EPromisesTracker(t *testing.T) {
	b := newE2EBrowser(t)
	var site fs.FS
	h := newHarnessWith(t, func(o *Options) { o.Portal = func() fs.FS { return site } })
	h.now = time.Date(2020, 8, 12, 9, 0, 0, 0, time.UTC)
	accountabilityFixture(t, h.st)
	dir := t.TempDir()
	if _, err := portal.Generate(context.Background(), h.st, portal.NewDir(dir), portal.Options{Now: h.now, Threshold: "reported"}); err != nil {
		t.Fatal(err)
	}
	site = os.DirFS(dir)
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			tb := b.tab(t, h.ts.URL, lang, false)
			if resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+"/"+lang+"/promises/index.html")); err != nil || resp.Status != 200 {
				t.Fatalf("GET the tracker: %v %v", resp, err)
			}
			if n := tb.count("main ol.commitments li"); n != 3 {
				t.Errorf("%d commitments on the tracker, want 3", n)
			}
			if n := tb.count("#impunity tbody tr"); n < 3 {
				t.Errorf("the impunity table has %d rows", n)
			}
			tb.shot("portal-promises")
		})
	}
}
