package demo

import (
	"strconv"

	"github.com/rasd-project/rasd/internal/model"
)

// The summaries and narratives are built in g.buf and converted to one
// string per language pair, then sliced: two allocations, not dozens.

// roleWord is how victim j's role reads before their name.
func (g *Generator) roleWord(j int, p *model.Person, ar bool) string {
	w := roleWords[g.roles[j]]
	switch {
	case !ar:
		return w[0]
	case p.Gender == "female":
		return w[2]
	}
	return w[1]
}

// appendVictim writes "activist Mustafa Hussein al-Kufi and 2 others" or
// "الناشط مصطفى حسين الكوفي وشخصين آخرين" (genitive: it follows a masdar).
func (g *Generator) appendVictim(b []byte, vs []model.Victim, ar bool) []byte {
	p := vs[0].Person
	b = append(append(b, g.roleWord(0, p, ar)...), ' ')
	b = append(b, pick(ar, p.NameLatin, p.NameAR)...)
	switch len(vs) {
	case 2:
		b = append(b, pick(ar, " and 1 other", " وشخص آخر")...)
	case 3:
		b = append(b, pick(ar, " and 2 others", " وشخصين آخرين")...)
	}
	return b
}

func (g *Generator) summaries(k *kindT, vs []model.Victim, placeEN, placeAR string) (en, ar string) {
	b, cut := g.buf[:0], 0
	for _, isAR := range [2]bool{false, true} {
		if isAR {
			cut = len(b)
		}
		b = append(b, pick(isAR, k.en, k.ar)...)
		b = append(g.appendVictim(b, vs, isAR), pick(isAR, k.enTail, k.arTail)...)
		if k.from {
			b = append(b, pick(isAR, " from ", " من ")...)
		} else {
			b = append(b, pick(isAR, " in ", " في ")...)
		}
		b = append(b, pick(isAR, placeEN, placeAR)...)
	}
	g.buf = b
	s := string(b)
	return s[:cut], s[cut:]
}

// narratives write a short account in both languages: when and where, who,
// by whom and how, and who told us.
func (g *Generator) narratives(k *kindT, inc *model.Incident, gv *gov, start int, placeEN, placeAR string) (en, ar string) {
	src := sources[g.r.IntN(len(sources))]
	b, cut := g.buf[:0], 0
	for _, isAR := range [2]bool{false, true} {
		if isAR {
			cut = len(b)
		}
		b = appendDatePhrase(b, isAR, inc.Date.Precision, start)
		if inc.Date.Estimated {
			b = append(b, pick(isAR, " (estimated)", " (تاريخ تقديري)")...)
		}
		b = append(b, pick(isAR, ", ", "، وقعت حادثة ")...)
		b = append(b, pick(isAR, k.nounEN, k.nounAR)...)
		b = append(b, pick(isAR, " took place in ", " في ")...)
		b = append(b, pick(isAR, placeEN, placeAR)...)
		if inc.Place.District != "" {
			b = append(append(b, pick(isAR, ", ", "، محافظة ")...), pick(isAR, gv.EN, gv.AR)...)
		}
		b = append(b, pick(isAR, ". Victims: ", ". الضحايا: ")...)
		for j, v := range inc.Victims {
			if j > 0 {
				b = append(b, pick(isAR, "; ", "؛ ")...)
			}
			b = append(append(b, g.roleWord(j, v.Person, isAR)...), ' ')
			b = append(b, pick(isAR, v.Person.NameLatin, v.Person.NameAR)...)
			if y := v.Person.BirthYear; y != 0 {
				b = append(b, pick(isAR, " (born ", " (مواليد ")...)
				b = append(strconv.AppendInt(b, int64(y), 10), ')')
			}
			o := outcomeNouns[v.Outcome]
			b = append(append(b, pick(isAR, ", ", "، المصير: ")...), pick(isAR, o[0], o[1])...)
		}
		b = append(b, pick(isAR, ". Perpetrator: ", ". الجهة المنفذة: ")...)
		for j, pp := range inc.Perpetrators {
			if j > 0 {
				b = append(b, pick(isAR, "; ", "؛ ")...)
			}
			b = append(b, pick(isAR, tab.perpEN[pp.Type], tab.perpAR[pp.Type])...)
			if n := g.group[j]; n > 0 {
				b = append(append(b, " ("...), pick(isAR, groupKinds[pp.Type][0], groupKinds[pp.Type][1])...)
				b = append(strconv.AppendInt(b, int64(n), 10), ')')
			}
		}
		if g.modus >= 0 {
			b = append(b, pick(isAR, ". Witnesses described: ", ". وصف الشهود: ")...)
			b = append(b, pick(isAR, modi[g.modus].en, modi[g.modus].ar)...)
		}
		b = append(b, pick(isAR, ". Source: ", ". المصدر: ")...)
		b = append(b, pick(isAR, src[0], src[1])...)
		b = append(b, pick(isAR, ". All names in this record are fictional.",
			". جميع الأسماء الواردة في هذا السجل خيالية.")...)
	}
	g.buf = b
	s := string(b)
	return s[:cut], s[cut:]
}

func pick(ar bool, en, arabic string) string {
	if ar {
		return arabic
	}
	return en
}
