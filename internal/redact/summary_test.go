package redact

import (
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

func TestSummary(t *testing.T) {
	const ownEN, ownAR = "A protest organiser was shot dead.", "اغتيل منظم احتجاجات."
	const genEN, genAR = "Killing in Basra governorate, 8 December 2019.", "قتل في محافظة البصرة، 8 كانون الأول 2019."
	withheldName := func(i *model.Incident) { i.Victims[0].Person.Consent = false }
	tests := []struct {
		name         string
		edit         func(*model.Incident)
		en, ar       string
		genEN, genAR bool
	}{
		{"public with consent: own", func(*model.Incident) {}, ownEN, ownAR, false, false},
		{"no consent: generated", func(i *model.Incident) { i.Consent = false }, genEN, genAR, true, true},
		{"no Arabic summary", func(i *model.Incident) { i.SummaryAR = "  " }, ownEN, genAR, false, true},
		{"consented name may be mentioned", func(i *model.Incident) { i.SummaryEN = "Samer Hamid was shot dead." }, "Samer Hamid was shot dead.", ownAR, false, false},
		{"withheld name", func(i *model.Incident) { withheldName(i); i.SummaryEN = "Samer Hamid was shot dead." }, genEN, genAR, true, true},
		{"withheld name, two of its words", func(i *model.Incident) {
			withheldName(i)
			i.Victims[0].Person.NameLatin = "Samer Hamid al-Tamimi"
			i.SummaryEN = "Mr Hamid al-Tamimi was shot."
		}, genEN, genAR, true, true},
		{"withheld Arabic name after a conjunction", func(i *model.Incident) { withheldName(i); i.SummaryAR = "قُتل أحمد وسامر حميد." }, genEN, genAR, true, true},
		{"withheld name folded", func(i *model.Incident) { withheldName(i); i.SummaryEN = "SAMER  HAMID was shot." }, genEN, genAR, true, true},
		{"alias, even of a named victim", func(i *model.Incident) { i.SummaryEN = `Known as "Abu Zaid", he was shot.` }, genEN, genAR, true, true},
		{"perpetrator group", func(i *model.Incident) { i.SummaryAR = "نفذته Saraya Example." }, genEN, genAR, true, true},
		{"modus operandi", func(i *model.Incident) { i.SummaryEN = "Shot from a motorcycle, two men." }, genEN, genAR, true, true},
		{"withheld locality", func(i *model.Incident) { i.SummaryEN = "Shot on Al-Jazair Street." }, genEN, genAR, true, true},
		{"published locality", func(i *model.Incident) { tag("publish:precise")(i); i.SummaryEN = "Shot on Al-Jazair Street." }, "Shot on Al-Jazair Street.", ownAR, false, false},
		{"locality naming only the governorate", func(i *model.Incident) { i.Place.Locality = "Basrah"; i.SummaryEN = "Shot in Basrah." }, "Shot in Basrah.", ownAR, false, false},
		{"a word inside another is not a name", func(i *model.Incident) {
			withheldName(i)
			i.Victims[0].Person.NameLatin = "Sam"
			i.SummaryEN = "Samuel was there."
		}, "Samuel was there.", ownAR, false, false},
		{"withheld district", func(i *model.Incident) { i.Place.District = "IQG02Q06"; i.SummaryEN = "Shot in Al-Zubair." }, genEN, genAR, true, true},
		{"withheld district without its article", func(i *model.Incident) { i.Place.District = "IQG02Q06"; i.SummaryEN = "Shot in Zubair." }, genEN, genAR, true, true},
		{"withheld district in Arabic", func(i *model.Incident) { i.Place.District = "IQG02Q06"; i.SummaryAR = "اغتيل في زبير." }, genEN, genAR, true, true},
		{"withheld district by name", func(i *model.Incident) {
			i.Place.District = "Hay al-Jihad"
			i.SummaryAR = "اغتيل في Hay al-Jihad."
		}, genEN, genAR, true, true},
		{"published district", func(i *model.Incident) {
			tag("publish:district")(i)
			i.Place.District, i.Place.Locality = "IQG02Q06", ""
			i.SummaryEN = "Shot in Al-Zubair."
		}, "Shot in Al-Zubair.", ownAR, false, false},
		{"district named like its governorate", func(i *model.Incident) { i.SummaryEN = "Shot in Al-Basrah." }, "Shot in Al-Basrah.", ownAR, false, false},
		{"estimated date", func(i *model.Incident) { i.Consent = false; i.Date.Estimated = true },
			"Killing in Basra governorate, around 8 December 2019.", "قتل في محافظة البصرة، حوالي 8 كانون الأول 2019.", true, true},
		{"month", func(i *model.Incident) {
			i.Consent = false
			i.Date = model.Date{Start: "2019-10-01", End: "2019-10-31", Precision: "month"}
		}, "Killing in Basra governorate, October 2019.", "قتل في محافظة البصرة، تشرين الأول 2019.", true, true},
		{"year", func(i *model.Incident) {
			i.Consent = false
			i.Date = model.Date{Start: "2019-01-01", End: "2019-12-31", Precision: "year"}
		}, "Killing in Basra governorate, 2019.", "قتل في محافظة البصرة، 2019.", true, true},
		{"week", func(i *model.Incident) {
			i.Consent = false
			i.Date = model.Date{Start: "2019-10-21", End: "2019-10-27", Precision: "week"}
		}, "Killing in Basra governorate, week of 21 October 2019.", "قتل في محافظة البصرة، أسبوع 21 تشرين الأول 2019.", true, true},
		{"country only", func(i *model.Incident) { i.Consent = false; i.Tags = []string{"publish:country"} },
			"Killing in Iraq, 8 December 2019.", "قتل في العراق، 8 كانون الأول 2019.", true, true},
		{"nothing known of the place", func(i *model.Incident) { i.Consent = false; i.Place = model.Place{} },
			"Killing, 8 December 2019.", "قتل، 8 كانون الأول 2019.", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := base()
			tt.edit(inc)
			p, ok := Incident(inc, Options{})
			if !ok {
				t.Fatal("not published")
			}
			if p.SummaryEN != tt.en || p.SummaryAR != tt.ar || p.GeneratedEN != tt.genEN || p.GeneratedAR != tt.genAR {
				t.Errorf("got %q (%v) / %q (%v)\nwant %q (%v) / %q (%v)", p.SummaryEN, p.GeneratedEN, p.SummaryAR, p.GeneratedAR,
					tt.en, tt.genEN, tt.ar, tt.genAR)
			}
			// A language with no wording of its own gets the whole sentence
			// in English, never English words around Sorani labels.
			if tt.genEN && GeneratedSummary("ckb", &p) != tt.en {
				t.Errorf("Sorani: %q, want the English %q", GeneratedSummary("ckb", &p), tt.en)
			}
		})
	}
}
