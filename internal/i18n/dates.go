package i18n

import (
	"strconv"
	"strings"
)

// Month returns the name of month m (1–12), from the catalogue: Iraq's
// Arabic and Sorani names are the Syriac-derived ones used in Iraq.
func Month(lang string, m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return T(lang, "date.month."+strconv.Itoa(m))
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
