package portal_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// Canaries: words planted in every field that must never reach the
// public site. Arabic ones carry hamza forms, taa marbuta and diacritics,
// so that the normalised search also has work to do.
var canaries = []string{
	"QXnarrativeEN", "سردٌسرّيةكناري", // narratives
	"QXlocality", "QXdistrictfree", // locality, a district not in the gazetteer
	"3456789", "7654321", "33.3457", "44.7654", // precise coordinates, raw and rounded
	"QXgroupname", "QXmodusoperandi", // perpetrator group and modus operandi
	"QXhiddenLatin", "أسامةكناريالمخفي", // a victim who did not consent
	"QXaliasLatin", "أبوكناريلقب", // aliases, of a consenting victim too
	"QXrestrictedSummary", "ملخصمقيّدكناري", // restricted incident
	"QXinternalSummary", "ملخصداخليكناري", // internal incident
	"QXnoConsentSummary",                                                    // public incident without publication consent
	"QXrejectedSummary", "QXmergedSummary", "QXbadtype", "QXbadTypeSummary", // public incidents redaction withholds
	"QXaffiliation", "QXpersonInternalName", "QXrestrictedVictim", // person fields, persons not public
	"QXnoIncidentConsent",            // consenting person, incident without consent
	"QXsourceLabel", "QXinfoSummary", // sources and information
	"QXextSystem", "QXextID", "QXextOriginal", // external record
	"QXinternaltag",                // internal tag
	"QXactoruser", "qxusernamecnr", // users
	"QXorgName", "QXorgNotes", // organisations
}

// Published with consent: must be on the memorial (the test fails in both
// directions).
const (
	consentedLatin = "Zainab Qasim Haddad"
	consentedAR    = "زينب قاسم الحداد"
	consentedSumm  = "A journalist was shot dead outside her home."
)

func person(latin, ar, vis string, consent bool) *model.Person {
	return &model.Person{NameLatin: latin, NameAR: ar, Visibility: vis, Consent: consent,
		Aliases: []string{"QXaliasLatin", "أبوكناريلقب"}, Affiliations: []string{"QXaffiliation"}}
}

func leakIncident(typ, vis, verif string, consent bool, en, ar string, victims ...model.Victim) model.Incident {
	lat, lon := 33.3456789, 44.7654321
	return model.Incident{
		Type: typ, Date: model.Date{Start: "2020-02-03", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BG", District: "QXdistrictfree", Locality: "QXlocality",
			Lat: &lat, Lon: &lon, GeoPrecision: "exact"},
		Perpetrators: []model.Perpetrator{{Type: "militia", Group: "QXgroupname", ModusOperandi: "QXmodusoperandi"}},
		Victims:      victims, Fatalities: 1, SummaryEN: en, SummaryAR: ar,
		NarrativeEN: "QXnarrativeEN", NarrativeAR: "سردٌسرّيةكناري",
		Verification: verif, MotiveLink: "confirmed", Visibility: vis, Consent: consent,
		Tags:     []string{"QXinternaltag", "public:ok"},
		External: &model.External{System: "QXextSystem", ID: "QXextID" + en, Original: map[string]string{"notes": "QXextOriginal"}},
	}
}

func killed(p *model.Person, role string) model.Victim {
	return model.Victim{Person: p, Role: role, Outcome: "killed"}
}

// leakStore fills a store with canaries and returns it, the codes that
// must not appear, and the stored IDs.
func leakStore(t *testing.T) (store.Store, []string, []string) {
	ctx := context.Background()
	st := openStore(t)
	const actor = "QXactoruser"
	if err := st.CreateUser(ctx, actor, &model.User{Username: "qxusernamecnr", Role: model.RoleAdmin, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	pub := model.VisibilityPublic
	incs := []model.Incident{
		// Public, consented: the consented victim is named; the one who
		// did not consent is not, and the summary naming them is replaced.
		leakIncident("killing", pub, "verified", true, consentedSumm, "قُتلت صحفية أمام منزلها.",
			killed(person(consentedLatin, consentedAR, pub, true), "journalist"),
			killed(person("QXhiddenLatin", "أسامةكناريالمخفي", pub, false), "activist"),
			killed(person("QXpersonInternalName", "", model.VisibilityInternal, true), "lawyer")),
		leakIncident("assault", pub, "corroborated", true, "Assault on QXhiddenLatin in Baghdad.", "اعتداء.",
			killed(person("QXhiddenLatin", "أسامةكناريالمخفي", pub, false), "activist")),
		// Public without publication consent: no name, no summary.
		leakIncident("killing", pub, "verified", false, "QXnoConsentSummary", "QXnoConsentSummary",
			killed(person("QXnoIncidentConsent", "", pub, true), "journalist")),
		// Not published at all.
		leakIncident("killing", model.VisibilityRestricted, "verified", true, "QXrestrictedSummary", "ملخصمقيّدكناري",
			killed(person("QXrestrictedVictim", "", model.VisibilityRestricted, true), "journalist")),
		leakIncident("torture", model.VisibilityInternal, "verified", true, "QXinternalSummary", "ملخصداخليكناري",
			killed(person("QXrestrictedVictim", "", model.VisibilityInternal, true), "journalist")),
		// Public but withheld by redaction (unknown type): counted, so its
		// receipt meets it, but it has no page and must not be listed.
		leakIncident("QXbadtype", pub, "verified", true, "QXbadTypeSummary", "QXbadTypeSummary"),
		leakIncident("kidnapping", pub, "rejected", true, "QXrejectedSummary", "QXrejectedSummary"),
		leakIncident("kidnapping", pub, "verified", true, "QXmergedSummary", "QXmergedSummary"),
	}
	for i := range incs {
		if err := st.CreateIncident(ctx, actor, &incs[i]); err != nil {
			t.Fatal(err)
		}
	}
	merged := &incs[len(incs)-1]
	merged.MergedInto = incs[0].ID
	if err := st.UpdateIncident(ctx, actor, merged); err != nil {
		t.Fatal(err)
	}
	src := &model.Source{Type: "eyewitness", Reliability: "B", Label: "QXsourceLabel"}
	if err := st.CreateSource(ctx, actor, src); err != nil {
		t.Fatal(err)
	}
	if err := st.AddInformation(ctx, actor, &model.Information{IncidentID: incs[0].ID, SourceID: src.ID, Credibility: 2, Summary: "QXinfoSummary"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Organisations().Create(ctx, actor, &model.Organisation{NameEN: "QXorgName", Notes: "QXorgNotes", Kind: "ngo", Status: "active", Visibility: pub}); err != nil {
		t.Fatal(err)
	}
	var hidden, ids []string
	for i, inc := range incs {
		if i >= 3 {
			hidden = append(hidden, inc.Code) // not public, rejected, merged
		}
		ids = append(ids, inc.ID)
		for _, v := range inc.Victims {
			ids = append(ids, v.Person.ID)
		}
	}
	return st, hidden, append(ids, src.ID)
}

// TestNoLeak publishes the canary store and searches every file of the
// site for every canary: as written, lower-cased, after Arabic search
// normalisation, and percent-encoded as in a link.
func TestNoLeak(t *testing.T) {
	st, hidden, ids := leakStore(t)
	dir, rep := publish(t, st, portal.Options{BaseURL: "https://example.org/"})
	site := files(t, dir)
	checkSite(t, site)
	if rep.Incidents != 3 {
		t.Fatalf("published %d incidents, want 3", rep.Incidents)
	}
	for name, body := range site {
		low, norm := strings.ToLower(body), textnorm.Normalize(body)
		for _, c := range canaries {
			if strings.Contains(body, c) || strings.Contains(low, strings.ToLower(c)) ||
				strings.Contains(norm, textnorm.Normalize(c)) || strings.Contains(body, url.PathEscape(c)) {
				t.Errorf("%s leaks canary %q", name, c)
			}
		}
		for _, s := range append(hidden, ids...) {
			if s != "" && strings.Contains(body, s) {
				t.Errorf("%s names %q, an unpublished incident or an internal ID", name, s)
			}
		}
	}
	// The other direction: what may be published is.
	for _, l := range portal.Langs {
		mem := site[l+"/memorial/index.html"]
		if !strings.Contains(mem, consentedLatin) || !strings.Contains(mem, consentedAR) {
			t.Errorf("%s memorial lacks the consented name", l)
		}
		if n := strings.Count(mem, "<li>"); n != 5 { // 3 + 1 + 1 killed in the 3 published incidents
			t.Errorf("%s memorial has %d entries, want 5", l, n)
		}
	}
	for _, f := range []string{"data/incidents.csv", "data/incidents.json", "en/feed.atom"} {
		if !strings.Contains(site[f], consentedSumm) {
			t.Errorf("%s lacks the consented summary", f)
		}
	}
	if !strings.Contains(site["data/incidents.csv"], consentedAR) {
		t.Error("the CSV lacks the consented name")
	}
}

// TestCountryLevelNotUnderGovernorate: an incident published at country
// level (publish:country) is counted under its governorate but never
// listed there, nor named with it anywhere.
func TestCountryLevelNotUnderGovernorate(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	var codes []string
	for _, tags := range [][]string{{"publish:country"}, nil} {
		inc := model.Incident{Type: "assault", Date: model.Date{Start: "2021-05-06", Precision: "day"},
			Place:        model.Place{Country: "IQ", Admin1: "IQ-BA"},
			Verification: "verified", Visibility: model.VisibilityPublic, Consent: true, Tags: tags}
		if err := st.CreateIncident(ctx, "test", &inc); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, inc.Code)
	}
	dir, _ := publish(t, st, portal.Options{})
	site := files(t, dir)
	checkSite(t, site)
	hiddenPlace, shown := codes[0], codes[1]
	for _, l := range portal.Langs {
		basra := site[l+"/figures/governorate-IQ-BA/index.html"]
		if strings.Contains(basra, hiddenPlace) || !strings.Contains(basra, shown) {
			t.Errorf("%s Basra receipt lists %s or omits %s", l, hiddenPlace, shown)
		}
		page := site[l+"/incidents/"+hiddenPlace+".html"]
		if page == "" || strings.Contains(page, "Basra") || strings.Contains(page, "البصرة") || strings.Contains(page, "IQ-BA") {
			t.Errorf("%s: the country-level incident's page names its governorate or is missing", l)
		}
		if all := site[l+"/figures/all/index.html"]; !strings.Contains(all, hiddenPlace) {
			t.Errorf("%s: the all-time receipt omits the country-level incident", l)
		}
	}
	if !strings.Contains(site["en/figures/governorate-IQ-BA/index.html"], "1 more incident is counted but not published.") {
		t.Error("the Basra receipt does not count the incident it withholds")
	}
	for _, line := range strings.Split(site["data/incidents.csv"], "\n") {
		if strings.HasPrefix(line, hiddenPlace+",") && (strings.Contains(line, "IQ-BA") || strings.Contains(line, "Basra")) {
			t.Errorf("the CSV places the country-level incident: %s", line)
		}
	}
}
