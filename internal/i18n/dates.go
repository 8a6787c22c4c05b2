package i18n

import (
	"strconv"
	"strings"
)

// Iraq's Arabic month names (Syriac-derived, as used in Iraq and the
// Levant), and English ones.
var months = map[string][12]string{
	"ar": {"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Month returns the name of month m (1–12).
func Month(lang string, m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return months[Lang(lang)][m-1]
}

// Date writes a YYYY-MM-DD date at its precision: "8 December 2019",
// "December 2019", "2019", or "week of 8 December 2019". An unparsable
// value is returned as it is.
func Date(lang, ymd, precision string) string {
	parts := strings.Split(ymd, "-")
	if len(parts) != 3 {
		return ymd
	}
	m, err1 := strconv.Atoi(parts[1])
	d, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || m < 1 || m > 12 {
		return ymd
	}
	y := parts[0]
	switch precision {
	case "year":
		return y
	case "month":
		return Month(lang, m) + " " + y
	case "week":
		return T(lang, "date.week_of", strconv.Itoa(d)+" "+Month(lang, m)+" "+y)
	}
	return strconv.Itoa(d) + " " + Month(lang, m) + " " + y
}
