package importer

import (
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"
)

// fieldWords are other names partners give a field's column, in English
// and Arabic, beside the field's own name and its labels in rasd's forms.
var fieldWords = map[string][]string{
	"date.start":        {"date", "event date", "start date", "التاريخ", "تاريخ الحادثة"},
	"type":              {"violation", "incident type", "event type", "category", "نوع الانتهاك", "النوع"},
	"place.admin1":      {"governorate", "province", "admin1", "المحافظة", "محافظة"},
	"place.district":    {"admin2", "القضاء"},
	"place.locality":    {"location", "town", "city", "place", "المكان", "المدينة"},
	"place.lat":         {"lat", "latitude", "خط العرض"},
	"place.lon":         {"lon", "lng", "long", "longitude", "خط الطول"},
	"fatalities":        {"killed", "dead", "deaths", "fatalities", "القتلى", "عدد القتلى"},
	"summary_en":        {"description", "summary", "notes"},
	"summary_ar":        {"الوصف", "الملخص"},
	"perpetrator.type":  {"perpetrator", "actor", "الجهة المنفذة", "الجاني"},
	"perpetrator.group": {"armed group", "actor1", "الجماعة"},
	"external.id":       {"id", "ref", "reference", "event id", "الرقم"},
	"tags":              {"tags", "keywords", "الوسوم"},
}

// fieldLabelKey is the message key of a field's label in rasd's forms.
func fieldLabelKey(field string) string {
	switch field {
	case "perpetrator.type", "perpetrator.group", "perpetrator.modus":
		return "incident.field.perpetrators"
	}
	return "incident.field." + field
}

// Suggest proposes a field for each column of a header row, from the
// field's name, its label in English and Arabic, and the usual other
// names; "" where nothing fits. No field is proposed twice: the first
// column that fits gets it. The web wizard starts from this.
func Suggest(header []string) []string {
	words := map[string]string{} // folded word → field
	for _, f := range MappableFields() {
		if f == "ignore" {
			continue
		}
		for _, w := range append([]string{f, strings.ReplaceAll(f, ".", " "), strings.ReplaceAll(f, "_", " ")}, fieldWords[f]...) {
			words[foldCell(w)] = f
		}
		for _, lang := range []string{"en", "ar"} {
			if l := i18n.T(lang, fieldLabelKey(f)); l != "" && l != fieldLabelKey(f) && f != "perpetrator.group" && f != "perpetrator.modus" {
				if _, taken := words[foldCell(l)]; !taken {
					words[foldCell(l)] = f
				}
			}
		}
	}
	out := make([]string, len(header))
	used := map[string]bool{}
	for i, h := range header {
		if f, ok := words[foldCell(h)]; ok && !used[f] {
			out[i], used[f] = f, true
		}
	}
	return out
}
