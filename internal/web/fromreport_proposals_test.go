package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

const proposalsText = `BAGHDAD, 7 November 2019 - The activist Zainab Example was shot dead in Baghdad on Tuesday.
She had received death threats on Saturday.
A leaked memo named a list of nine activists.
The governor promised results within three months and formed an investigative committee.`

// The review shows the persons a victim's name possibly names, with
// reasons, and offers the report's protection facts to members of the
// compartment only and its accountability facts to all; accepting links
// the chosen person and saves the ticked proposals with the incident.
func TestFromReportProposalsSaved(t *testing.T) {
	f := newAtRiskFixture(t)
	ctx := context.Background()
	all := store.ListFilter{Limit: 10, Visible: store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}}
	_, persons, err := f.h.st.Persons().List(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	_, docPage := f.doc.post("/incidents/from-report", url.Values{"text": {proposalsText}, "published": {"2019-11-07"}})
	if strings.Contains(docPage, `name="threat_keep"`) || strings.Contains(docPage, `name="list_keep"`) || !strings.Contains(docPage, `name="promise_keep"`) {
		t.Errorf("a non-member is offered protection records, or no commitment")
	}
	_, page := f.member.post("/incidents/from-report", url.Values{"csrf": {f.member.csrf()}, "text": {proposalsText}, "published": {"2019-11-07"}})
	for _, want := range []string{`name="victim_link_0" value="` + f.person + `"`, "Existing persons possibly named", `name="threat_keep"`,
		`name="list_keep"`, `name="promise_keep"`, `name="committee_keep"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the member's review lacks %s", want)
		}
	}
	form := acceptForm(t, page)
	form.Set("csrf", f.member.csrf())
	form.Set("victim_link_0", f.person)
	for _, k := range []string{"threat_keep", "list_keep", "promise_keep", "committee_keep"} {
		form.Set(k, "0")
	}
	form.Set("list_names", "A. One\nB. Two")
	// A ticked proposal refused: nothing stored, the draft shown again as ticked.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = slices.Clone(v)
	}
	bad.Set("promise_date", "2019-13-45")
	resp, body := f.member.post("/incidents/from-report/accept", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, i18n.T("en", kinds.Commitment.Label("made_on"))) && !strings.Contains(body, i18n.T("ar", kinds.Commitment.Label("made_on"))) ||
		strings.Contains(body, "made_on:") ||
		!strings.Contains(body, `name="promise_keep" value="0" checked`) || !strings.Contains(body, `name="victim_link_0" value="`+f.person+`" checked`) {
		t.Fatalf("a refused commitment: %d", resp.StatusCode)
	}
	if n := storedIncidents(t, f.h); n != 0 {
		t.Fatalf("%d incidents stored with a refused commitment", n)
	}
	if threats, _, _ := store.Of[model.Threat](f.h.st, kinds.Threat).List(ctx, all); len(threats) != 0 {
		t.Fatalf("%d threats stored with a refused commitment", len(threats))
	}
	resp, body = f.member.post("/incidents/from-report/accept", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", resp.StatusCode, body)
	}
	incID := strings.TrimPrefix(strings.Split(loc, "?")[0], "/incidents/")
	inc, err := f.h.st.GetIncident(ctx, incID)
	if err != nil || len(inc.Victims) != 1 || inc.Victims[0].PersonID != f.person {
		t.Fatalf("incident %+v: %v", inc, err)
	}
	if _, n, _ := f.h.st.Persons().List(ctx, all); n != persons {
		t.Errorf("%d persons after linking the victim, %d before", n, persons)
	}
	threats, _, _ := store.Of[model.Threat](f.h.st, kinds.Threat).List(ctx, all)
	if len(threats) != 1 || len(threats[0].Persons) != 0 || !slices.Equal(threats[0].Incidents, []string{incID}) ||
		threats[0].Visibility != model.VisibilityRestricted {
		t.Fatalf("threats %+v", threats)
	}
	// The person threatened is sealed with the threat: its page opens it.
	if _, page := f.member.get("/threats/" + threats[0].ID); !strings.Contains(page, "/persons/"+f.person) {
		t.Errorf("the threat's page does not name the victim linked")
	}
	lists, _, _ := store.Of[model.HitList](f.h.st, kinds.HitList).List(ctx, all)
	entries, _, _ := store.Of[model.HitListEntry](f.h.st, kinds.HitListEntry).List(ctx, all)
	if len(lists) != 1 || len(entries) != 2 || entries[0].List != lists[0].ID {
		t.Errorf("lists %+v, entries %+v", lists, entries)
	}
	commitments, _, _ := store.Of[model.Commitment](f.h.st, kinds.Commitment).List(ctx, all)
	committees, _, _ := store.Of[model.Committee](f.h.st, kinds.Committee).List(ctx, all)
	if len(commitments) != 1 || !slices.Equal(commitments[0].Incidents, []string{incID}) || commitments[0].DeadlineDate != "2020-02-07" || commitments[0].AuthorityType != "governor" ||
		len(committees) != 1 || !slices.Equal(committees[0].Incidents, []string{incID}) {
		t.Errorf("commitments %+v, committees %+v", commitments, committees)
	}
	// A non-member posting a threat anyway: refused, nothing stored.
	form.Set("csrf", f.doc.csrf())
	if resp, _ := f.doc.post("/incidents/from-report/accept", form); resp.StatusCode == http.StatusSeeOther {
		t.Errorf("a non-member saved a threat: %d", resp.StatusCode)
	}
	if n := storedIncidents(t, f.h); n != 1 {
		t.Errorf("%d incidents", n)
	}
}
