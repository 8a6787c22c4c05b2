package redact

import (
	"slices"
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vocab"
)

// countryNames names the countries rasd has a gazetteer for, in generated
// summaries.
var countryNames = map[string][2]string{"IQ": {"Iraq", "العراق"}}

// summarise sets p's summaries: the incident's own, in each language it
// has one, when it has publication consent and neither summary mentions
// anything withheld; otherwise (and for a language without one) the
// generated summary.
func summarise(p *Public, inc *model.Incident) {
	var en, ar string
	if inc.Consent {
		en = strings.TrimSpace(strings.ToValidUTF8(inc.SummaryEN, ""))
		ar = strings.TrimSpace(strings.ToValidUTF8(inc.SummaryAR, ""))
		names, phrases := withheld(inc, p)
		if mentions(en+"\n"+ar, names, phrases) {
			en, ar = "", ""
		}
	}
	p.SummaryEN, p.SummaryAR = en, ar
	if en == "" {
		p.SummaryEN, p.GeneratedEN = GeneratedSummary("en", p), true
	}
	if ar == "" {
		p.SummaryAR, p.GeneratedAR = GeneratedSummary("ar", p), true
	}
}

// GeneratedSummary is the neutral summary published when an incident's
// own may not be: type, governorate and date, e.g. "Killing in Basra
// governorate, 8 December 2019." An estimated date says "around".
func GeneratedSummary(lang string, p *Public) string {
	lang = locale.Wording(lang) // the sentence is composed here, in Arabic or English
	typ := p.Type
	if t, ok := vocab.Get(vocab.IncidentType).Lookup(p.Type); ok {
		typ = t.Label(lang)
	}
	date := i18n.Date(lang, p.Date.Start, p.Date.Precision)
	country := countryNames[p.Place.Country]
	if locale.Arabic(lang) {
		if p.Date.Estimated {
			date = "حوالي " + date
		}
		switch {
		case p.Place.Admin1AR != "":
			return typ + " في محافظة " + p.Place.Admin1AR + "، " + date + "."
		case country[1] != "":
			return typ + " في " + country[1] + "، " + date + "."
		}
		return typ + "، " + date + "."
	}
	if p.Date.Estimated {
		date = "around " + date
	}
	switch {
	case p.Place.Admin1EN != "":
		return typ + " in " + p.Place.Admin1EN + " governorate, " + date + "."
	case country[0] != "":
		return typ + " in " + country[0] + ", " + date + "."
	}
	return typ + ", " + date + "."
}

// withheld lists what of inc is not published and would identify someone
// or somewhere if a summary mentioned it: names of victims not published
// and every alias (names); perpetrator groups and modi operandi, and a
// locality or district more precise than the published place, also
// without a leading article ("Risafa" for "Al-Risafa") (phrases).
func withheld(inc *model.Incident, p *Public) (names, phrases []string) {
	for _, v := range inc.Victims {
		if v.Person == nil {
			continue
		}
		if !NamePublished(inc, v.Person) {
			names = append(names, v.Person.NameAR, v.Person.NameLatin)
		}
		names = append(names, v.Person.Aliases...)
	}
	for _, pr := range inc.Perpetrators {
		phrases = append(phrases, pr.Group, pr.ModusOperandi)
	}
	var places []string
	if p.Place.Locality == "" {
		places = append(places, inc.Place.Locality)
	}
	if p.Place.District == "" && strings.TrimSpace(inc.Place.District) != "" {
		places = append(places, inc.Place.District)
		if gov, ok := vocab.Admin1(inc.Place.Admin1); ok {
			if d, ok := district(gov, inc.Place.District); ok {
				places = append(places, d.EN, d.AR)
			}
		}
	}
	for _, pl := range places {
		if !sameAsPublished(pl, p.Place) {
			phrases = append(phrases, pl, withoutArticle(pl))
		}
	}
	return names, phrases
}

// withoutArticle drops a leading Arabic article from a place name, written
// apart in Latin script ("Al-Risafa" → "risafa") or joined in Arabic
// ("الرصافة" → "رصافة"); "" when there is none.
func withoutArticle(s string) string {
	ws := tokens(s)
	switch {
	case len(ws) > 1 && slices.Contains([]string{"al", "el", "an", "ar", "as", "ad", "at", "az", "ash"}, ws[0]):
		return strings.Join(ws[1:], " ")
	case len(ws) == 1 && strings.HasPrefix(ws[0], "ال") && len([]rune(ws[0])) > 4:
		return strings.TrimPrefix(ws[0], "ال")
	}
	return ""
}

// sameAsPublished reports whether a locality names no more than the
// published governorate or district ("Basrah" in Basra governorate).
func sameAsPublished(loc string, pl Place) bool {
	if g, ok := vocab.Admin1ByName(pl.Country, loc); ok && g.Code == pl.Admin1 {
		return true
	}
	k := nameKey(loc)
	return k != "" && pl.District != "" && (k == nameKey(pl.DistrictEN) || k == nameKey(pl.DistrictAR))
}

// mentions reports whether text contains any of the names or phrases,
// compared after search normalisation on word boundaries. A name of
// several words also matches by any two consecutive words ("Hussein
// al-Kaabi" for "Ali Hussein al-Kaabi"); a phrase matches whole. One-word
// names and phrases need at least 3 letters. Arabic words are also tried
// without a leading conjunction or preposition (و ف ب ل ك). This is a
// safety net under the consent rules, not a substitute for reading a
// summary before publishing it.
func mentions(text string, names, phrases []string) bool {
	words := tokens(text)
	if len(words) == 0 {
		return false
	}
	hay := " " + strings.Join(words, " ") + " "
	for i, w := range words {
		if r := []rune(w); len(r) > 3 && strings.ContainsRune("وفبلك", r[0]) {
			words[i] = string(r[1:])
		}
	}
	hay += " " + strings.Join(words, " ") + " "
	has := func(ws []string) bool {
		if len(ws) == 0 || len(ws) == 1 && len([]rune(ws[0])) < 3 {
			return false
		}
		return strings.Contains(hay, " "+strings.Join(ws, " ")+" ")
	}
	for _, n := range names {
		nw := tokens(n)
		if len(nw) == 1 && has(nw) {
			return true
		}
		for i := 0; i+1 < len(nw); i++ {
			if has(nw[i : i+2]) {
				return true
			}
		}
	}
	for _, ph := range phrases {
		if has(tokens(ph)) {
			return true
		}
	}
	return false
}

// tokens splits normalised text into words of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(textnorm.Normalize(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
