package portal_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// The promises tracker lists public commitments only, counts internal
// ones as every figure does, and never a restricted one; its impunity
// figures list published murders only.
func TestPromisesTracker(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	inc := storetest.Incident()
	inc.Visibility, inc.MotiveLink, inc.Consent = model.VisibilityPublic, "confirmed", true
	if err := st.CreateIncident(ctx, "dina", &inc); err != nil {
		t.Fatal(err)
	}
	cs := store.Of[model.Commitment](st, kinds.Commitment)
	for _, c := range []model.Commitment{
		{PromiseEN: "Public promise of results", Visibility: "public", DeadlineDuration: "3m"},
		{PromiseEN: "Internal promise", Visibility: "internal", DeadlineDuration: "3m"},
		{PromiseEN: "Restricted promise", Visibility: "restricted", DeadlineDuration: "3m"},
	} {
		c.AuthorityType, c.MadeOn, c.Kind = "prime_minister", "2020-01-12", "investigation"
		if err := cs.Create(ctx, "dina", &c); err != nil {
			t.Fatal(err)
		}
	}
	dir, _ := publish(t, st, portal.Options{Threshold: "reported"})
	site := files(t, dir)
	en, ar := site["en/promises/index.html"], site["ar/promises/index.html"]
	for _, want := range []string{
		"Public promise of results",
		"promised results within <bdi>3 months</bdi> on <bdi>12 January 2020</bdi>; <bdi>71 months</bdi> overdue",
		"At least 2 official commitments: 2 open, 2 past their deadline",
		"1 more commitments are counted but not published",
		"At least 1 murders",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("en: no %q", want)
		}
	}
	for _, leak := range []string{"Internal promise", "Restricted promise"} {
		if strings.Contains(en, leak) || strings.Contains(ar, leak) {
			t.Errorf("the tracker shows %q", leak)
		}
	}
	if !strings.Contains(ar, "متأخر <bdi>71 شهراً</bdi>") {
		t.Errorf("ar: no sentence with its plural form in\n%s", ar)
	}
	if !strings.Contains(en, inc.Code) {
		t.Errorf("the published murder %s is not in the receipt", inc.Code)
	}
}
