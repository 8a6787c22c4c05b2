package demo

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/vocab"
)

func TestSampleIsValid(t *testing.T) {
	incs := Incidents(Options{Incidents: 300, Seed: 1})
	if len(incs) != 300 {
		t.Fatalf("got %d incidents, want 300", len(incs))
	}
	from, to := day(t, "2019-10-01"), day(t, "2026-10-31")
	seen := map[string]int{}
	var arabic strings.Builder
	for _, inc := range incs {
		checkIncident(t, inc)
		checkDate(t, inc.Date, from, to)
		seen[inc.Type]++
		seen[inc.Place.Admin1]++
		seen[inc.Date.Precision]++
		seen[inc.Visibility]++
		seen[inc.Verification]++
		if inc.Date.Estimated {
			seen["estimated"]++
		}
		if inc.NarrativeAR != "" {
			seen["narrative"]++
		}
		arabic.WriteString(inc.SummaryAR)
	}
	want := vocab.Get(vocab.IncidentType).Codes()
	for _, g := range vocab.GazetteerFor("IQ").Governorates() {
		want = append(want, g.Code)
	}
	want = append(want, "day", "week", "month", "year", "estimated", "narrative",
		"public", "internal", "restricted", "reported", "corroborated", "verified", "disputed")
	for _, w := range want {
		if seen[w] == 0 {
			t.Errorf("no incident with %s", w)
		}
	}
	if seen["death_threat"] <= seen["killing"] || seen["kidnapping"] <= seen["killing"] {
		t.Errorf("killings (%d) should be rarer than death threats (%d) and kidnappings (%d)",
			seen["killing"], seen["death_threat"], seen["kidnapping"])
	}
	if seen["IQ-BG"] < seen["IQ-AN"]*3 {
		t.Errorf("Baghdad (%d) should dominate Anbar (%d)", seen["IQ-BG"], seen["IQ-AN"])
	}
	// Search normalisation needs hamza forms, taa marbuta and alef maqsura.
	for _, r := range "أإآةى" {
		if !strings.ContainsRune(arabic.String(), r) {
			t.Errorf("no Arabic summary contains %c", r)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := Incidents(Options{Incidents: 500, Seed: 7})
	if b := Incidents(Options{Incidents: 500, Seed: 7}); !reflect.DeepEqual(a, b) {
		t.Fatal("same options gave different samples")
	}
	if c := Incidents(Options{Incidents: 500, Seed: 8}); reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same sample")
	}
}

func TestRangeAndEdges(t *testing.T) {
	if got := Incidents(Options{Incidents: -1}); len(got) != 0 {
		t.Errorf("negative count gave %d incidents", len(got))
	}
	from, to := day(t, "2022-03-05"), day(t, "2022-03-20")
	for _, inc := range Incidents(Options{Incidents: 200, Seed: 3, From: from, To: to}) {
		checkDate(t, inc.Date, from, to) // month and year never fit: they fall back
		checkIncident(t, inc)
	}
}

// Every code the generator can draw must be in the vocabularies, even the
// rare ones a random sample may miss.
func TestTablesMatchVocabularies(t *testing.T) {
	for _, code := range vocab.Get(vocab.IncidentType).Codes() {
		if _, ok := typeSpecs[code]; !ok {
			t.Errorf("incident type %s has no template", code)
		}
	}
	for _, k := range tab.types {
		for _, c := range k.outs.codes {
			has(t, vocab.Outcome, c, k.code+" outcome")
		}
		for _, c := range k.perps.codes {
			has(t, vocab.PerpetratorType, c, k.code+" perpetrator")
		}
	}
	for _, c := range roleCodes {
		has(t, vocab.VictimRole, c, "role")
	}
	for c := range groupKinds {
		has(t, vocab.PerpetratorType, c, "group kind")
	}
	for voc, p := range map[string]picker{vocab.GeoPrecision: tab.geoP, vocab.DatePrecision: tab.precP,
		vocab.VerificationStatus: tab.verifP, vocab.Visibility: tab.visP, vocab.Gender: tab.genderP} {
		for _, c := range p.codes {
			has(t, voc, c, "drawn code")
		}
	}
	for _, c := range tab.motiveP.codes[:len(tab.motiveP.codes)-1] { // the last is "" (not stated)
		has(t, vocab.MotiveLink, c, "motive link")
	}
	for c := range outcomeNouns {
		has(t, vocab.Outcome, c, "outcome noun")
	}
}

func BenchmarkGenerate(b *testing.B) {
	g := New(Options{Incidents: math.MaxInt, Seed: 1})
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "incidents/s")
}

// 'rasd demo' imports its sample through incidents.Service, which refuses
// a whole import for one record the rules refuse: every record must pass
// them.
func TestSamplePassesTheRules(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		for i, inc := range Incidents(Options{Incidents: 1000, Seed: seed}) {
			incidents.ApplyDefaults(&inc)
			if err := incidents.Validate(&inc); err != nil {
				t.Fatalf("seed %d, incident %d: %v", seed, i+1, err)
			}
		}
	}
}
