package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/vocab"
)

// wt is a code with a relative weight.
type wt struct {
	code string
	w    int
}

// picker draws codes by weight; built once so that drawing is a few
// integer comparisons and no allocation.
type picker struct {
	codes []string
	cum   []int
}

func newPicker(ws []wt) picker {
	p := picker{}
	total := 0
	for _, x := range ws {
		total += x.w
		p.codes = append(p.codes, x.code)
		p.cum = append(p.cum, total)
	}
	return p
}

func (p *picker) index(r *rand.Rand) int {
	n := r.IntN(p.cum[len(p.cum)-1])
	for i, c := range p.cum {
		if n < c {
			return i
		}
	}
	return len(p.cum) - 1
}

func (p *picker) pick(r *rand.Rand) string { return p.codes[p.index(r)] }

// typeSpec is how one incident type is generated and described.
type typeSpec struct {
	w              int    // relative frequency
	en, enTail     string // summary: en + victim + enTail + " in "/" from " + place
	ar, arTail     string
	from           bool   // the place is left ("from"), not where it happened
	nounEN, nounAR string // for narratives: "a killing took place"
	mo             uint8  // which modi fit
	outcomes       []wt
	perps          []wt // nil: defaultPerps
}

// Death threats and detentions are far more common than killings; the
// weights follow the shape of Iraqi monitors' counts, not their numbers.
var typeSpecs = map[string]typeSpec{
	"killing": {6, "Killing of ", "", "اغتيال ", "", false, "a killing", "اغتيال",
		kindViolent, []wt{{"killed", 1}}, nil},
	"attempted_killing": {8, "Attempted killing of ", "", "محاولة اغتيال ", "", false,
		"an attempted killing", "محاولة اغتيال", kindViolent, []wt{{"injured", 6}, {"unharmed", 4}}, nil},
	"torture": {3, "Torture of ", " in detention", "تعذيب ", " أثناء الاحتجاز", false,
		"torture", "تعذيب", kindCustody, []wt{{"injured", 7}, {"released", 3}},
		[]wt{{"security_forces", 70}, {"militia", 20}, {"unknown", 10}}},
	"enforced_disappearance": {4, "Enforced disappearance of ", "", "إخفاء ", " قسرًا", false,
		"an enforced disappearance", "إخفاء قسري", kindCustody, []wt{{"missing", 8}, {"released", 2}},
		[]wt{{"militia", 40}, {"security_forces", 30}, {"unidentified_gunmen", 20}, {"unknown", 10}}},
	"arbitrary_detention": {12, "Arbitrary detention of ", "", "احتجاز ", " تعسفيًا", false,
		"an arbitrary detention", "احتجاز تعسفي", kindCustody,
		[]wt{{"released", 13}, {"injured", 3}, {"unharmed", 4}},
		[]wt{{"security_forces", 80}, {"militia", 15}, {"unknown", 5}}},
	"kidnapping": {12, "Abduction of ", "", "اختطاف ", "", false, "an abduction", "اختطاف",
		kindCustody | kindViolent, []wt{{"abducted", 3}, {"released", 5}, {"missing", 2}}, nil},
	"death_threat": {22, "Death threats against ", "", "تهديد ", " بالقتل", false,
		"a death threat", "تهديد بالقتل", kindThreat, []wt{{"unharmed", 8}, {"fled", 2}}, nil},
	"assault": {10, "Assault on ", "", "الاعتداء بالضرب على ", "", false, "an assault", "اعتداء بالضرب",
		kindViolent, []wt{{"injured", 17}, {"unharmed", 3}}, nil},
	"attack_on_property": {6, "Attack on the home of ", "", "الهجوم على منزل ", "", false,
		"an attack on a home", "هجوم على منزل", kindProperty, []wt{{"unharmed", 8}, {"injured", 2}}, nil},
	"smear_incitement": {8, "Incitement campaign against ", "", "حملة تحريض ضد ", "", false,
		"an incitement campaign", "حملة تحريض", kindThreat, []wt{{"unharmed", 17}, {"fled", 3}},
		[]wt{{"political_party", 35}, {"militia", 35}, {"unknown", 30}}},
	"legal_harassment": {7, "Lawsuit against ", "", "رفع دعوى قضائية على ", "", false,
		"legal harassment", "ملاحقة قضائية", kindLegal, []wt{{"unharmed", 3}, {"fled", 1}},
		[]wt{{"security_forces", 50}, {"political_party", 40}, {"unknown", 10}}},
	"forced_displacement": {4, "Forced flight of ", "", "تهجير ", " قسرًا", true,
		"a forced displacement", "تهجير قسري", kindThreat, []wt{{"fled", 1}},
		[]wt{{"militia", 40}, {"unidentified_gunmen", 25}, {"tribal", 20}, {"unknown", 15}}},
}

// Unidentified gunmen are named in most attacks on Iraqi activists.
var defaultPerps = []wt{{"unidentified_gunmen", 45}, {"militia", 20}, {"security_forces", 12},
	{"tribal", 5}, {"political_party", 6}, {"unknown", 12}}

// Protest hubs carry most incidents; the rest of the country a few each.
var govWeights = map[string]int{"IQ-BG": 22, "IQ-BA": 12, "IQ-DQ": 12, "IQ-NA": 7, "IQ-KA": 7,
	"IQ-QA": 4, "IQ-BB": 4, "IQ-MA": 4, "IQ-WA": 3, "IQ-SU": 3}

// kindT is an incident type with everything drawn per incident resolved.
type kindT struct {
	code string
	typeSpec
	outs, perps picker
	modi        []int
}

type gov struct {
	vocab.Place
	districts []vocab.Place
}

// tables are built once from the vocabularies and the gazetteer.
type tables struct {
	types    []kindT
	typeP    picker
	govs     []gov
	govP     picker
	groups   map[string][]string // perpetrator type → fictional names, EN
	perpEN   map[string]string
	perpAR   map[string]string
	geoP     picker
	precP    picker
	verifP   picker
	motiveP  picker
	visP     picker
	roleP    picker
	genderP  picker
	victimsP picker
}

var tab = buildTables()

func buildTables() *tables {
	t := &tables{groups: map[string][]string{}, perpEN: map[string]string{}, perpAR: map[string]string{}}
	var tw []wt
	for _, code := range vocab.Get(vocab.IncidentType).Codes() {
		s, ok := typeSpecs[code]
		if !ok { // a type added to the vocabulary later still appears
			s = typeSpec{w: 2, en: "Incident affecting ", ar: "حادثة بحق ", nounEN: "an incident",
				nounAR: "حادثة", mo: kindThreat, outcomes: []wt{{"unharmed", 1}}}
		}
		k := kindT{code: code, typeSpec: s, outs: newPicker(s.outcomes)}
		if s.perps == nil {
			s.perps = defaultPerps
		}
		k.perps = newPicker(s.perps)
		for i, m := range modi {
			if m.kinds&s.mo != 0 {
				k.modi = append(k.modi, i)
			}
		}
		t.types = append(t.types, k)
		tw = append(tw, wt{code, s.w})
	}
	t.typeP = newPicker(tw)

	var gw []wt
	g := vocab.GazetteerFor("IQ")
	for _, p := range g.Governorates() {
		t.govs = append(t.govs, gov{p, g.Districts(p.Code)})
		w := govWeights[p.Code]
		if w == 0 {
			w = 2
		}
		gw = append(gw, wt{p.Code, w})
	}
	t.govP = newPicker(gw)

	for _, term := range vocab.Get(vocab.PerpetratorType).Terms {
		t.perpEN[term.Code] = strings.ToLower(term.EN)
		t.perpAR[term.Code] = term.AR
	}
	for code, k := range groupKinds {
		for i := 1; i <= groupsPerKind; i++ {
			t.groups[code] = append(t.groups[code], k[0]+strconv.Itoa(i))
		}
	}
	t.geoP = newPicker([]wt{{"exact", 35}, {"near", 25}, {"district", 25}, {"governorate", 15}})
	var pw []wt
	for i, w := range []int{75, 10, 10, 5} { // aligned with precisions: date() uses the index
		pw = append(pw, wt{precisions[i], w})
	}
	t.precP = newPicker(pw)
	t.verifP = newPicker([]wt{{"reported", 50}, {"corroborated", 25}, {"verified", 15},
		{"disputed", 6}, {"rejected", 4}})
	t.motiveP = newPicker([]wt{{"confirmed", 30}, {"unconfirmed", 55}, {"unrelated", 5}, {"", 10}})
	t.visP = newPicker([]wt{{"public", 40}, {"internal", 50}, {"restricted", 10}})
	var rw []wt
	for i, w := range []int{35, 15, 5, 8, 8, 5, 12, 5, 2, 3, 2} { // aligned with roleCodes
		rw = append(rw, wt{roleCodes[i], w})
	}
	t.roleP = newPicker(rw)
	t.genderP = newPicker([]wt{{"male", 75}, {"female", 22}, {"unknown", 3}})
	t.victimsP = newPicker([]wt{{"1", 75}, {"2", 18}, {"3", 7}}) // index+1 victims
	return t
}
