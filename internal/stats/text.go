package stats

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The wording of figures, in English and Arabic, for every surface that
// states one. (To move into the i18n catalogues with the web interface's
// statistics.)

// Sentence states a figure as it may be quoted: "At least 39 incidents (52
// victims, 41 fatalities) of type Killing since 1 October 2019; 3 of them
// have approximate dates."
func Sentence(res Result, lang string) string {
	lang = locale.Wording(lang) // composed here, so never half in one language
	ar := locale.Arabic(lang)
	q, f := res.Query, res.Total
	var b strings.Builder
	switch {
	case f.Incidents == 0 && ar:
		b.WriteString("لا حوادث محسوبة (0 ضحية، 0 قتيل)")
	case f.Incidents == 0:
		b.WriteString("No incidents counted (0 victims, 0 fatalities)")
	case ar:
		fmt.Fprintf(&b, "ما لا يقل عن %s (%s، %s)", arCount(f.Incidents, arIncidents), arCount(f.Victims, arVictims), arCount(f.Fatalities, arFatalities))
	default:
		fmt.Fprintf(&b, "At least %s (%s, %s)", enCount(f.Incidents, "incident", "incidents"),
			enCount(f.Victims, "victim", "victims"), enCount(f.Fatalities, "fatality", "fatalities"))
	}
	or := pick(ar, " or ", " أو ")
	if len(q.Types) > 0 {
		b.WriteString(pick(ar, " of type ", " من نوع ") + labels(vocab.IncidentType, q.Types, lang, or, false))
	}
	if len(q.Governorates) > 0 {
		names := make([]string, len(q.Governorates))
		for i, g := range q.Governorates {
			names[i] = GroupLabel(ByGovernorate, g, lang)
		}
		b.WriteString(pick(ar, " in ", " في ") + strings.Join(names, or))
	}
	if w := WindowPhrase(q.Window, lang); w != "" {
		b.WriteString(" " + w)
	}
	if len(q.Perpetrators) > 0 {
		b.WriteString(pick(ar, ", attributed to ", "، منسوبة إلى ") + labels(vocab.PerpetratorType, q.Perpetrators, lang, or, true))
	}
	switch {
	case len(q.Roles) > 0 && ar:
		b.WriteString("، باحتساب الضحايا من فئة " + labels(vocab.VictimRole, q.Roles, lang, or, false) + " فقط")
		if len(q.Outcomes) > 0 {
			b.WriteString(" وحالتهم: " + labels(vocab.Outcome, q.Outcomes, lang, or, false))
		}
	case len(q.Roles) > 0:
		b.WriteString(", counting only victims with role " + labels(vocab.VictimRole, q.Roles, lang, or, true))
		if len(q.Outcomes) > 0 {
			b.WriteString(" and outcome " + labels(vocab.Outcome, q.Outcomes, lang, or, true))
		}
	case len(q.Outcomes) > 0 && ar:
		b.WriteString("، باحتساب الضحايا الذين حالتهم: " + labels(vocab.Outcome, q.Outcomes, lang, or, false) + " فقط")
	case len(q.Outcomes) > 0:
		b.WriteString(", counting only victims with outcome " + labels(vocab.Outcome, q.Outcomes, lang, or, true))
	}
	if a := f.Approximate; a > 0 {
		switch {
		case ar && a == 1:
			b.WriteString("؛ واحدة منها بتاريخ تقريبي")
		case ar:
			fmt.Fprintf(&b, "؛ %d منها بتواريخ تقريبية", a)
		case a == 1:
			b.WriteString("; 1 of them has an approximate date")
		default:
			fmt.Fprintf(&b, "; %d of them have approximate dates", a)
		}
	}
	b.WriteString(".")
	return b.String()
}

// CountedPhrase says which incidents a figure counts, for a note under it.
func CountedPhrase(res Result, lang string) string {
	lang = locale.Wording(lang)
	if locale.Arabic(lang) {
		return "المحسوب: الحوادث بحالة تحقق " + labels(vocab.VerificationStatus, res.Counted, lang, " أو ", false) +
			"؛ لا تُحسب الحوادث المتنازع عليها أو المرفوضة، ويُحسب المكرَّر المدمج مرة واحدة."
	}
	return "Counted: incidents whose verification is " + labels(vocab.VerificationStatus, res.Counted, lang, " or ", true) +
		"; disputed and rejected incidents never count, and a merged duplicate counts once."
}

// WindowPhrase names a window: "since 1 October 2019", "in March 2020",
// "between 1 January 2020 and 15 March 2020"; "" for all time.
func WindowPhrase(w Window, lang string) string {
	lang = locale.Wording(lang)
	ar := locale.Arabic(lang)
	d := func(s string) string { return i18n.Date(lang, s, "day") }
	from, err1 := parse(w.From)
	to, err2 := parse(w.To)
	switch {
	case w.From == "" && w.To == "":
		return ""
	case w.To == "":
		return pick(ar, "since ", "منذ ") + d(w.From)
	case w.From == "":
		return pick(ar, "until ", "حتى ") + d(w.To)
	case err1 != nil || err2 != nil:
		return pick(ar, "between ", "بين ") + w.From + pick(ar, " and ", " و") + w.To
	case w.From == w.To:
		return pick(ar, "on ", "في ") + d(w.From)
	case from.Day() == 1 && from.Month() == 1 && to.Month() == 12 && to.Day() == 31 && from.Year() == to.Year():
		return pick(ar, "in ", "في عام ") + strconv.Itoa(from.Year())
	case from.Day() == 1 && to.Day() == daysIn(to) && from.Year() == to.Year() && from.Month() == to.Month():
		return pick(ar, "in ", "في ") + i18n.Date(lang, w.From, "month")
	}
	return pick(ar, "between ", "بين ") + d(w.From) + pick(ar, " and ", " و") + d(w.To)
}

// GroupLabel names a row of a breakdown by by: a type's or governorate's
// name, a month ("March 2020"); key "" is the unplaced.
func GroupLabel(by, key, lang string) string {
	ar := locale.Arabic(locale.Wording(lang)) // for the two labels composed here
	switch {
	case key == "" && by == ByMonth:
		return pick(ar, "Not in a single month (dates spanning months)", "خارج أي شهر واحد (تواريخ تمتد على أكثر من شهر)")
	case key == "":
		return pick(ar, "Unplaced", "غير مصنّف")
	case by == ByType:
		return labels(vocab.IncidentType, []string{key}, lang, "", false)
	case by == ByGovernorate:
		if p, ok := vocab.Admin1(key); ok {
			return p.Label(lang)
		}
	case by == ByMonth:
		return i18n.Date(lang, key+"-01", "month")
	}
	return key
}

func labels(vocabulary string, codes []string, lang, sep string, lower bool) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c
		if t, ok := vocab.Get(vocabulary).Lookup(c); ok {
			out[i] = t.Label(lang)
		}
		if lower && !locale.ArabicScript(lang) {
			out[i] = lowerFirst(out[i])
		}
	}
	return strings.Join(out, sep)
}

// lowerFirst lowers a label's first letter for the middle of a sentence,
// unless it begins an acronym ("NGO staff").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func pick(ar bool, en, arabic string) string {
	if ar {
		return arabic
	}
	return en
}

func enCount(n int, one, other string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + other
}

// Arabic counted nouns, by CLDR plural category: the forms after "ما لا
// يقل عن" and in the parenthesis.
var (
	arIncidents  = map[string]string{"one": "حادثة واحدة", "two": "حادثتين", "few": "%d حوادث", "other": "%d حادثة"}
	arVictims    = map[string]string{"one": "ضحية واحدة", "two": "ضحيتان", "few": "%d ضحايا", "other": "%d ضحية"}
	arFatalities = map[string]string{"one": "قتيل واحد", "two": "قتيلان", "few": "%d قتلى", "many": "%d قتيلاً", "other": "%d قتيل"}
)

func arCount(n int, forms map[string]string) string {
	f, ok := forms[locale.Plural("ar", n)]
	if !ok {
		f = forms["other"]
	}
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(f, n)
	}
	return f
}
