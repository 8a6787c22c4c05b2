package duplicates

import "fmt"

// A Reason is one part of a score, said as a key and its arguments, so
// that the web says it in the reader's language (the messages
// "duplicates.reason.KEY") and the command line in English (English).
// Arguments are codes (types, precisions), numbers and names, as stored.
type Reason struct {
	Key  string
	Args []string
}

// english are the reasons' English texts, with their arguments as %s.
var english = map[string]string{
	"date_missing":         "a date is missing",
	"same_day":             "same day",
	"day_apart":            "a day apart",
	"dates_overlap":        "dates overlap at their precision (%s, %s)",
	"dates_day_apart":      "dates a day apart at their precision",
	"dates_apart":          "dates %s days apart",
	"km_apart":             "%s km apart",
	"same_district":        "same district",
	"other_governorates":   "different governorates",
	"district_in_one":      "same governorate, a district known in one only",
	"other_districts":      "same governorate, other districts",
	"same_type":            "same type %s",
	"types_differ":         "types differ: %s, %s",
	"victims_unnamed":      "victims not named in both",
	"no_victim_alike":      "no victim in common by name",
	"victims_alike":        "%s of %s victims alike (%s)",
	"perpetrators_unknown": "perpetrators not given in both",
	"same_perpetrator":     "same perpetrator type %s",
	"perpetrators_differ":  "perpetrator types differ",
	"texts_alike":          "texts %s%% alike",
}

// Keys lists every reason's key (a test checks each has its messages).
func Keys() []string {
	out := make([]string, 0, len(english))
	for k := range english {
		out = append(out, k)
	}
	return out
}

// String is the reason in English.
func (r Reason) String() string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		args[i] = a
	}
	return fmt.Sprintf(english[r.Key], args...)
}

// English says reasons in English.
func English(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}
