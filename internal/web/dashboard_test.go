package web

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// The dashboard's figures, worked out by hand from dashIncidents below,
// with the clock at 15 June 2025 (so the last 12 months are 16 June 2024
// – 15 June 2025). Counted at the default threshold (corroborated): A, B,
// C, E, G, H; never D (only reported) or F (disputed).
//
//	last 12 months:     A B C G    4 incidents, 5 victims, 2 fatalities, 1 approximate (B)
//	since 1 Oct 2019:   A B C G H  5
//	all time:           A B C E G H  6
var dashNow = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

// dashIncident is one incident of the dashboard's dataset: victims are
// "role outcome".
type dashIncident struct {
	label, typ, gov, start, end, prec, verification, visibility, by string
	victims                                                         []string
	fatalities                                                      int
	perps                                                           []string
}

// The restricted C is recorded by a documenter other than the one who
// reads the receipts.
var dashIncidents = []dashIncident{
	{"A", "killing", "IQ-BG", "2025-03-10", "", "day", "verified", "internal", "dash-analyst", []string{"journalist killed"}, 1, []string{"militia"}},
	{"B", "killing", "IQ-BA", "2025-01-01", "2025-01-31", "month", "corroborated", "internal", "dash-analyst",
		[]string{"activist killed", "activist injured"}, 1, []string{"unidentified_gunmen"}},
	{"C", "kidnapping", "IQ-BG", "2024-11-20", "", "day", "corroborated", "restricted", "dash-other", []string{"activist abducted"}, 0, []string{"militia"}},
	{"D", "death_threat", "IQ-NA", "2025-05-02", "", "day", "reported", "internal", "dash-analyst", []string{"journalist unharmed"}, 0, nil},
	{"E", "assault", "IQ-BG", "2019-06-05", "", "day", "verified", "internal", "dash-analyst", []string{"lawyer injured"}, 0, nil},
	{"F", "killing", "IQ-BG", "2025-02-01", "", "day", "disputed", "internal", "dash-analyst", []string{"activist killed"}, 1, nil},
	{"G", "arbitrary_detention", "IQ-BA", "2025-04-25", "2025-05-05", "day", "verified", "internal", "dash-analyst",
		[]string{"journalist released"}, 0, []string{"security_forces"}},
	{"H", "killing", "IQ-BG", "2020-02-10", "", "day", "verified", "internal", "dash-analyst", []string{"activist killed"}, 1, []string{"militia"}},
}

// dashFixture stores the dataset and returns the incidents by label, a
// coordinator (who sees every record) and a documenter to read them.
func dashFixture(t *testing.T) (h *harness, incs map[string]*model.Incident, coordinator, documenter *model.User) {
	t.Helper()
	h = newHarness(t)
	h.now = dashNow
	h.user("dash-analyst", model.RoleAnalyst)
	coordinator = h.user("dash-coordinator", model.RoleCoordinator)
	documenter = h.user("dash-documenter", model.RoleDocumenter)
	h.user("dash-other", model.RoleDocumenter)
	incs = map[string]*model.Incident{}
	for _, d := range dashIncidents {
		inc := &model.Incident{Type: d.typ, Date: model.Date{Start: d.start, End: d.end, Precision: d.prec},
			Place: model.Place{Country: "IQ", Admin1: d.gov}, Verification: d.verification, Visibility: d.visibility,
			Fatalities: d.fatalities, SummaryEN: "Dashboard case " + d.label}
		if inc.Date.End == "" {
			inc.Date.End = inc.Date.Start
		}
		for _, p := range d.perps {
			inc.Perpetrators = append(inc.Perpetrators, model.Perpetrator{Type: p})
		}
		for i, v := range d.victims {
			role, outcome, _ := strings.Cut(v, " ")
			inc.Victims = append(inc.Victims, model.Victim{Role: role, Outcome: outcome,
				Person: &model.Person{NameLatin: "Victim " + d.label + string(rune('1'+i)), Visibility: model.VisibilityInternal}})
		}
		if err := h.st.CreateIncident(context.Background(), d.by, inc); err != nil {
			t.Fatalf("incident %s: %v", d.label, err)
		}
		incs[d.label] = inc
	}
	return h, incs, coordinator, documenter
}

// parseHTML parses a page, failing the test if it does not.
func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func hasClass(n *html.Node, class string) bool {
	c, _ := attr(n, "class")
	return slices.Contains(strings.Fields(c), class)
}

// find lists the elements under n with tag a and, if class is given, that
// class.
func find(n *html.Node, a atom.Atom, class string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == a && (class == "" || hasClass(d, class)) {
			out = append(out, d)
		}
	}
	return out
}

// textOf is an element's text, its spaces collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data + " ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// dashFigure is one headline figure as the page shows it.
type dashFigure struct{ name, incidents, receipt, text string }

func headlines(t *testing.T, body string) []dashFigure {
	t.Helper()
	var out []dashFigure
	for _, li := range find(parseHTML(t, body), atom.Li, "figure") {
		f := dashFigure{text: textOf(li)}
		if h3 := find(li, atom.H3, ""); len(h3) > 0 {
			f.name = textOf(h3[0])
		}
		if big := find(li, atom.A, "big"); len(big) > 0 {
			f.incidents = textOf(big[0])
			f.receipt, _ = attr(big[0], "href")
		}
		out = append(out, f)
	}
	return out
}

// receiptCodes lists the incident codes a receipt page lists, in order.
func receiptCodes(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, table := range find(parseHTML(t, body), atom.Table, "receipt") {
		for _, a := range find(table, atom.A, "") {
			if href, _ := attr(a, "href"); strings.HasPrefix(href, "/incidents/") {
				out = append(out, textOf(a))
			}
		}
	}
	return out
}

func codes(incs map[string]*model.Incident, labels string) []string {
	var out []string
	for _, l := range strings.Fields(labels) {
		out = append(out, incs[l].Code)
	}
	return out
}

func TestDashboardFigures(t *testing.T) {
	h, incs, reader, _ := dashFixture(t)
	c := h.as(reader)
	resp, body := c.get("/dashboard")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /dashboard: %d\n%s", resp.StatusCode, body)
	}
	figs := headlines(t, body)
	want := []struct{ name, incidents, more string }{
		{"Last 12 months", "4", "5 victims · 2 fatalities 1 of them has an approximate date"},
		{"Since 1 October 2019", "5", "6 victims · 3 fatalities"},
		{"All time", "6", "7 victims · 3 fatalities"},
	}
	if len(figs) != len(want) {
		t.Fatalf("%d headline figures, want %d: %+v", len(figs), len(want), figs)
	}
	for i, w := range want {
		f := figs[i]
		if f.name != w.name || f.incidents != w.incidents || !strings.Contains(f.text, w.more) {
			t.Errorf("headline %d: %q: at least %q (%q); want %q: %q (%q)", i, f.name, f.incidents, f.text, w.name, w.incidents, w.more)
		}
	}
	// The same figures from stats.Count, for the same windows and reader.
	for i, w := range []stats.Window{stats.LastMonths(dashNow, 12), stats.Since("2019-10-01"), {}} {
		res, err := stats.Count(context.Background(), h.st, stats.Query{Window: w, Reader: access.Visible(reader)})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Total.Incidents; want[i].incidents != strconv.Itoa(got) {
			t.Errorf("stats.Count over %v = %d, the page says %s", w, got, want[i].incidents)
		}
	}
	if !strings.Contains(body, "At least 4 incidents (5 victims, 2 fatalities) between 16 June 2024 and 15 June 2025; 1 of them has an approximate date.") {
		t.Error("the page does not quote the chosen window's figure")
	}

	// Every receipt lists exactly the counted incidents, oldest first.
	for i, labels := range []string{"C B A G", "H C B A G", "E H C B A G"} {
		resp, rbody := c.get(figs[i].receipt)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", figs[i].receipt, resp.StatusCode)
		}
		if got, want := receiptCodes(t, rbody), codes(incs, labels); !slices.Equal(got, want) {
			t.Errorf("receipt of %q (%s) lists %v, want %v (%s)", figs[i].name, figs[i].receipt, got, want, labels)
		}
		n := len(strings.Fields(labels))
		if line := "— " + strconv.Itoa(n) + " listed</p>"; !strings.Contains(strings.Join(strings.Fields(rbody), " "), line) {
			t.Errorf("receipt of %q: no count line ending %q", figs[i].name, line)
		}
	}

	// The table: killing in January and March 2025, kidnapping in November
	// 2024, the detention spanning April and May in no single month.
	doc := parseHTML(t, body)
	cube := find(doc, atom.Table, "cube")
	if len(cube) != 1 {
		t.Fatal("no type × governorate × month table")
	}
	var rows []string
	for _, tr := range find(find(cube[0], atom.Tbody, "")[0], atom.Tr, "") {
		rows = append(rows, textOf(tr))
	}
	head := textOf(find(cube[0], atom.Thead, "")[0])
	if head != "Type / governorate Nov 2024 Jan 2025 Mar 2025 In no single month Total" {
		t.Errorf("table heading %q: want only the months with incidents, November 2024, January and March 2025", head)
	}
	// Types in the vocabulary's order; governorates by count, then code.
	//                           Nov Jan Mar none total
	wantRows := []string{
		"Killing                     0 1 1 0 2",
		"Basra                       0 1 0 0 1",
		"Baghdad                     0 0 1 0 1",
		"Arbitrary detention         0 0 0 1 1",
		"Basra                       0 0 0 1 1",
		"Kidnapping or abduction     1 0 0 0 1",
		"Baghdad                     1 0 0 0 1",
	}
	for i := range wantRows {
		wantRows[i] = strings.Join(strings.Fields(wantRows[i]), " ")
	}
	if !slices.Equal(rows, wantRows) {
		t.Errorf("table rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
	}
	if n := strings.Count(body, `<tr class="sub">`); n != 4 {
		t.Errorf("%d governorate rows in the table, want 4 (killing: Baghdad, Basra; kidnapping: Baghdad; detention: Basra)", n)
	}

	// The backlog counts what the reader can see, by status.
	backlog := find(doc, atom.Table, "backlog")
	if len(backlog) != 1 || !strings.Contains(textOf(backlog[0]), "Reported needs work 1 no") ||
		!strings.Contains(textOf(backlog[0]), "Disputed needs work 1 no") || !strings.Contains(textOf(backlog[0]), "Verified 4 yes") {
		t.Errorf("backlog: %q", textOf(backlog[0]))
	}
}

// A documenter is counted only what they may see (docs/counting.md, "What
// a figure may reveal"): another documenter's restricted C is in none of
// their figures, and their receipts list everything their figures count,
// with no "you may not see". The coordinator, who may see C, has it
// counted and listed.
func TestDashboardReceiptWithholds(t *testing.T) {
	h, incs, coordinator, documenter := dashFixture(t)
	c := h.as(documenter)
	_, body := c.get("/dashboard")
	figs := headlines(t, body)
	if len(figs) == 0 || figs[0].incidents != "3" {
		t.Fatalf("the documenter's dashboard: %+v, want at least 3 over the last 12 months (A B G, not the restricted C)", figs)
	}
	resp, rbody := c.get(figs[0].receipt)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", figs[0].receipt, resp.StatusCode)
	}
	if got, want := receiptCodes(t, rbody), codes(incs, "B A G"); !slices.Equal(got, want) {
		t.Errorf("the documenter's receipt lists %v, want %v", got, want)
	}
	flat := strings.Join(strings.Fields(rbody), " ")
	if !strings.Contains(flat, "At least 3 incidents") || !strings.Contains(flat, "— 3 listed</p>") || strings.Contains(flat, "may not see") {
		t.Errorf("the documenter's receipt does not say \"at least 3\", \"3 listed\" and nothing withheld:\n%s", flat)
	}
	if strings.Contains(rbody, incs["C"].Code) || strings.Contains(rbody, incs["C"].ID) {
		t.Errorf("the documenter's receipt shows the restricted incident %s", incs["C"].Code)
	}
	// The figure and the receipt are one query: the store agrees.
	q := stats.Query{Window: stats.LastMonths(dashNow, 12), Reader: access.Visible(documenter)}
	rc, err := stats.Receipt(context.Background(), h.st, q, q.Reader, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Total != 3 || rc.Withheld != 0 || len(rc.Incidents) != 3 {
		t.Errorf("stats.Receipt: total %d, withheld %d, listed %d; want 3, 0, 3", rc.Total, rc.Withheld, len(rc.Incidents))
	}
	// The dashboard itself names no incident.
	for _, l := range []string{"A", "B", "C", "G"} {
		if strings.Contains(body, incs[l].Code) {
			t.Errorf("the dashboard shows the code of %s", l)
		}
	}
	if figs := headlines(t, mustGet(t, h.as(coordinator), "/dashboard")); len(figs) == 0 || figs[0].incidents != "4" {
		t.Errorf("the coordinator's dashboard: %+v, want at least 4 (C counted)", figs)
	}
}

// Every number of a breakdown links to a receipt that lists exactly what
// it counts: the cells of the table, the bars, the months.
func TestDashboardEveryLinkAddsUp(t *testing.T) {
	h, _, reader, _ := dashFixture(t)
	c := h.as(reader)
	for _, path := range []string{"/dashboard", "/dashboard?last=all&min-verification=reported", "/dashboard?governorate=IQ-BG"} {
		_, body := c.get(path)
		doc := parseHTML(t, body)
		checked := 0
		for _, a := range find(doc, atom.A, "") {
			href, _ := attr(a, "href")
			n, err := strconv.Atoi(textOf(a))
			if !strings.HasPrefix(href, "/dashboard/receipt?") || err != nil {
				continue
			}
			u, _ := url.Parse(href)
			q, err := stats.ParseValues(u.Query()).Query(dashNow)
			if err != nil {
				t.Fatalf("%s: receipt link %s: %v", path, href, err)
			}
			q.Reader = access.Visible(reader)
			res, err := stats.Count(context.Background(), h.st, q)
			if err != nil {
				t.Fatal(err)
			}
			rc, err := stats.Receipt(context.Background(), h.st, q, access.Visible(reader), 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			// Outcome bars count victims, everything else incidents.
			if n != res.Total.Incidents && n != res.Total.Victims {
				t.Errorf("%s: a link reads %d, its query counts %d incidents (%d victims): %s", path, n, res.Total.Incidents, res.Total.Victims, href)
			}
			_, rbody := c.get(href)
			if got := len(receiptCodes(t, rbody)); got != rc.Total-rc.Withheld || rc.Total != res.Total.Incidents {
				t.Errorf("%s: receipt %s lists %d, counts %d, withholds %d; the figure is %d", path, href, got, rc.Total, rc.Withheld, res.Total.Incidents)
			}
			checked++
		}
		if checked < 10 {
			t.Errorf("%s: only %d numbers link to receipts", path, checked)
		}
	}
}

// svgs are the inline <svg> elements of a page.
var svgs = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)

// Every chart and the map are inline SVG that parses as XML, with a title
// and a description, in every language, those in Arabic script with Arabic-Indic digits.
func TestDashboardSVGIsXML(t *testing.T) {
	h, _, reader, _ := dashFixture(t)
	for _, lang := range locale.Codes() {
		c := h.as(reader)
		if locale.ArabicScript(lang) {
			c.post("/lang", url.Values{"lang": {lang}, "digits": {"arab"}})
		}
		resp, body := c.get("/dashboard")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", lang, resp.StatusCode)
		}
		found := svgs.FindAllString(body, -1)
		if len(found) < 5 {
			t.Fatalf("%s: %d SVGs on the dashboard, want the trend, map, places, perpetrators and outcomes", lang, len(found))
		}
		for i, s := range found {
			d := xml.NewDecoder(strings.NewReader(s))
			var root, title, desc bool
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: SVG %d does not parse as XML: %v\n%.300s", lang, i, err, s)
				}
				if se, ok := tok.(xml.StartElement); ok {
					switch se.Name.Local {
					case "svg":
						for _, a := range se.Attr {
							root = root || (a.Name.Local == "role" && a.Value == "img")
						}
					case "title":
						title = true
					case "desc":
						desc = true
					}
				}
			}
			if !root || !title || !desc {
				t.Errorf("%s: SVG %d: role=img %v, <title> %v, <desc> %v", lang, i, root, title, desc)
			}
		}
		if locale.ArabicScript(lang) {
			if !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, ">٤</a>") {
				t.Errorf("%s: the dashboard is not right to left with Arabic-Indic digits", lang)
			}
		}
		for _, p := range pageProblems(body, c.csrf()) {
			t.Errorf("%s: %s", lang, p)
		}
	}
}

// formValues is what submitting a GET form sends: its named inputs,
// checked boxes and selected options.
func formValues(form *html.Node) url.Values {
	v := url.Values{}
	for n := range form.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		name, _ := attr(n, "name")
		if name == "" {
			continue
		}
		switch n.DataAtom {
		case atom.Input:
			typ, _ := attr(n, "type")
			val, _ := attr(n, "value")
			if _, checked := attr(n, "checked"); typ == "checkbox" && !checked {
				continue
			}
			v.Add(name, val)
		case atom.Select:
			opts := find(n, atom.Option, "")
			chosen := ""
			for i, o := range opts {
				val, _ := attr(o, "value")
				if _, sel := attr(o, "selected"); sel || i == 0 {
					chosen = val
				}
				if _, sel := attr(o, "selected"); sel {
					break
				}
			}
			v.Add(name, chosen)
		}
	}
	return v
}

// Filters live in the URL (a governorate by code or by name): a filtered
// dashboard's form, submitted as it is, and its links give the same
// query back; and the figures follow.
func TestDashboardFiltersRoundTrip(t *testing.T) {
	h, incs, reader, _ := dashFixture(t)
	c := h.as(reader)
	path := "/dashboard?type=killing&governorate=Baghdad&role=journalist&perpetrator=militia&outcome=killed" +
		"&since=2025-01&until=2025&min-verification=verified"
	want, err := parseDashQuery(mustQuery(path)).resolve(dashNow, store.Visible{})
	if err != nil {
		t.Fatal(err)
	}
	if want.Window != stats.Between("2025-01-01", "2025-12-31") {
		t.Fatalf("since 2025-01 until 2025 is %v", want.Window)
	}
	_, body := c.get(path)
	figs := headlines(t, body)
	if len(figs) == 0 || figs[0].name != "In 2025" || figs[0].incidents != "1" {
		t.Fatalf("filtered: %+v, want A alone between 1 January and 31 December 2025", figs)
	}
	_, rbody := c.get(figs[0].receipt)
	if got := receiptCodes(t, rbody); !slices.Equal(got, codes(incs, "A")) {
		t.Errorf("the filtered receipt lists %v, want A", got)
	}
	if !strings.Contains(rbody, "At least 1 incident (1 victim, 1 fatality) of type Killing in Baghdad in 2025, attributed to militia or armed group, counting only victims with role journalist and outcome killed.") {
		t.Errorf("the receipt's sentence does not state every filter:\n%s", rbody)
	}
	doc := parseHTML(t, body)
	var form *html.Node
	for _, f := range find(doc, atom.Form, "") {
		if a, _ := attr(f, "action"); a == "/dashboard" {
			form = f
		}
	}
	if form == nil {
		t.Fatal("no filter form")
	}
	sent := formValues(form)
	got, err := parseDashQuery(sent).resolve(dashNow, store.Visible{})
	if err != nil {
		t.Fatalf("the form as shown sends %v: %v", sent, err)
	}
	if !sameQuery(got, want) {
		t.Errorf("the form as shown sends %v: %+v, want %+v", sent, got, want)
	}
	// The receipt's own link back, and its URL, state the same query.
	u, _ := url.Parse(figs[0].receipt)
	if q, err := stats.ParseValues(u.Query()).Query(dashNow); err != nil || !sameQuery(q, want) {
		t.Errorf("the receipt link %s reads %+v (%v), want %+v", figs[0].receipt, q, err, want)
	}
	// Each active filter has a link that removes it and keeps the rest.
	chips := find(doc, atom.A, "chip")
	if len(chips) != 6 {
		t.Errorf("%d active-filter links, want 6 (type, governorate, role, perpetrator, outcome, threshold)", len(chips))
	}
	for _, a := range chips {
		href, _ := attr(a, "href")
		q, err := parseDashQuery(mustQuery(href)).resolve(dashNow, store.Visible{})
		if err != nil {
			t.Fatalf("%s: %v", href, err)
		}
		diff := 0
		for _, d := range []bool{!slices.Equal(q.Types, want.Types), !slices.Equal(q.Governorates, want.Governorates),
			!slices.Equal(q.Roles, want.Roles), !slices.Equal(q.Perpetrators, want.Perpetrators),
			!slices.Equal(q.Outcomes, want.Outcomes), q.MinVerification != want.MinVerification, q.Window != want.Window} {
			if d {
				diff++
			}
		}
		if diff != 1 {
			t.Errorf("removing %q (%s) changes %d filters, want 1", textOf(a), href, diff)
		}
	}
	// A page of the URL written back is the same page.
	dq := parseDashQuery(mustQuery(path))
	if again := parseDashQuery(mustQuery(dq.url())); !slices.Equal(again.Types, dq.Types) || again.Since != dq.Since ||
		again.Until != dq.Until || again.MinVerification != dq.MinVerification || dq.url() != again.url() {
		t.Errorf("%s written back as %s reads differently", path, dq.url())
	}
	// A filter that cannot be read is said so, with the form to fix it.
	resp, body := c.get("/dashboard?type=murder")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "This filter could not be read (Type of incident)") {
		t.Errorf("an unknown type: %d", resp.StatusCode)
	}
	resp, _ = c.get("/dashboard/receipt?since=2025-02-01&until=2025-01-01")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a window ending before it starts: %d", resp.StatusCode)
	}
}

func mustQuery(path string) url.Values {
	u, err := url.Parse(path)
	if err != nil {
		panic(err)
	}
	return u.Query()
}

// sameQuery compares the parts of two queries a URL carries.
func sameQuery(a, b stats.Query) bool {
	norm := func(q stats.Query) stats.Query {
		if q.MinVerification == "" {
			q.MinVerification = stats.DefaultThreshold
		}
		return q
	}
	a, b = norm(a), norm(b)
	return a.Window == b.Window && a.MinVerification == b.MinVerification && slices.Equal(a.Types, b.Types) &&
		slices.Equal(a.Governorates, b.Governorates) && slices.Equal(a.Roles, b.Roles) &&
		slices.Equal(a.Perpetrators, b.Perpetrators) && slices.Equal(a.Outcomes, b.Outcomes) &&
		a.By == b.By && a.OnlyGroup == b.OnlyGroup && a.Group == b.Group
}

// The receipt of a month of the table states the month, and a receipt
// longer than a page is paged.
func TestDashboardReceiptPages(t *testing.T) {
	h, _, reader, _ := dashFixture(t)
	for i := range receiptPageSize + 3 {
		inc := &model.Incident{Type: "death_threat", Date: model.Date{Start: "2025-04-01", End: "2025-04-01", Precision: "day"},
			Place: model.Place{Country: "IQ", Admin1: "IQ-NI"}, Verification: "corroborated", Visibility: model.VisibilityInternal,
			SummaryEN: "threat " + strconv.Itoa(i)}
		if err := h.st.CreateIncident(context.Background(), "dash-analyst", inc); err != nil {
			t.Fatal(err)
		}
	}
	c := h.as(reader)
	q := stats.Query{Window: stats.LastMonths(dashNow, 12), By: stats.ByMonth}.InGroup("2025-04")
	_, body := c.get(receiptURL(q))
	flat := strings.Join(strings.Fields(body), " ")
	if !strings.Contains(flat, "At least 53 incidents (0 victims, 0 fatalities) in April 2025") {
		t.Errorf("the receipt of April 2025 does not say so:\n%s", flat)
	}
	if n := len(receiptCodes(t, body)); n != receiptPageSize {
		t.Errorf("first page lists %d, want %d", n, receiptPageSize)
	}
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no next page")
	}
	_, body = c.get(html.UnescapeString(next[1]))
	if n := len(receiptCodes(t, body)); n != 3 {
		t.Errorf("second page lists %d, want 3", n)
	}
}
