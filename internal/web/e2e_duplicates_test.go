package web

import (
	"context"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestE2EDuplicates: with JavaScript off, in Arabic and in English, an
// analyst sees on an incident's page that it is probably the same event
// as another, opens the queue of probable duplicates, compares the pair
// side by side with the reasons, merges it, and finds the merged one
// counted once (merged into the other) with the merge listed; then the
// merge is undone and the pair marked as not the same event, and the
// queue is empty. Screenshots: docs/screenshots/LANG-duplicates-*.png.
func TestE2EDuplicates(t *testing.T) {
	b := newE2EBrowser(t)
	h := newE2EHarness(t)
	ctx := context.Background()
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang+"/js-off", func(t *testing.T) {
			u := e2eUser(h, "e2e-dup-"+lang, model.RoleAnalyst, lang)
			a, second, secret := dupIncidents(t, h)
			tb := b.tab(t, h.ts.URL, lang, false)
			tb.signIn(h, u)
			tb.open("/incidents/" + a.ID)
			if tb.count("#probable-duplicates a[href*='?with="+second.ID+"']") != 1 {
				t.Fatalf("the incident page does not name its probable duplicate: %s", tb.text("main"))
			}
			tb.shot("duplicates-notice")
			tb.open("/incidents")
			tb.click(`main a[href="/duplicates"]`)
			tb.heading("duplicates.title")
			if n := tb.count("#duplicate-queue tbody tr"); n != 1 {
				t.Fatalf("%d pairs in the queue, want 1: %s", n, tb.text("main"))
			}
			if tb.count("#duplicate-queue a[href='/incidents/"+secret.ID+"']") != 0 {
				t.Errorf("the queue shows a restricted incident")
			}
			tb.shot("duplicates-queue")
			tb.click("#duplicate-queue a.button")
			if n := tb.count("#comparison tbody tr"); n < 10 {
				t.Errorf("the comparison has %d rows", n)
			}
			if n := tb.count("#reasons li"); n != 6 {
				t.Errorf("%d reasons, want 6 (dates, place, type, victims, perpetrators, texts)", n)
			}
			tb.shot("duplicates-compare")
			tb.click("#merge-b-into-a")
			if tb.count("#merges li") != 1 {
				t.Errorf("the kept incident lists no merge: %s", tb.text("main"))
			}
			tb.shot("duplicates-merged")
			if got, err := h.st.GetIncident(ctx, second.ID); err != nil || got.MergedInto != a.ID {
				t.Fatalf("after merging: %+v %v", got, err)
			}
			tb.open("/incidents/" + second.ID + "/duplicates")
			tb.click("#merged-away button")
			if got, _ := h.st.GetIncident(ctx, second.ID); got.MergedInto != "" {
				t.Fatalf("the merge was not undone")
			}
			tb.open("/incidents/" + a.ID + "/duplicates?with=" + second.ID)
			tb.click("#mark-distinct")
			if tb.count("#no-duplicates") != 1 {
				t.Errorf("the queue still proposes the pair marked distinct: %s", tb.text("main"))
			}
		})
	}
}
