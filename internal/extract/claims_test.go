package extract

import (
	"fmt"
	"slices"
	"testing"
)

// Numbers are read whole: digits with thousands separators, number words
// combined, and digits never joined to the next number.
func TestNumberAt(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		want       int
		words      int // tokens read
	}{
		{"en", "1,230 demonstrators", 1230, 3},
		{"en", "1, 230", 1, 1},
		{"en", "twenty-five students", 25, 1},
		{"en", "Forty two", 42, 2},
		{"en", "three hundred and twelve people", 312, 4},
		{"en", "two hundred protesters", 200, 2},
		{"en", "2019 and 2021", 2019, 1},
		{"en", "five twenty", 5, 1},
		{"ar", "خمسة وعشرين طالبا", 25, 2},
		{"ar", "اثنان وأربعون صحفيا", 42, 2},
		{"ar", "١٬٢٣٠ متظاهرا", 1230, 3},
		{"ar", "مئة وخمسون", 150, 2},
		{"ar", "عشرين وخمسة", 20, 1},
	} {
		r, err := rulesFor(c.lang)
		if err != nil {
			t.Fatal(err)
		}
		toks := tokenize(c.lang, c.text)
		n, j, ok := r.numberAt(toks, 0)
		if !ok || n != c.want || j != c.words {
			t.Errorf("%s %q: %d over %d words (%v), want %d over %d", c.lang, c.text, n, j, ok, c.want, c.words)
		}
	}
}

// Counts are claims in the patterns of docs/extract.md; numbers that
// count gunmen, days or list names, or a lone count of victims in one
// event, are not.
func TestClaimPatterns(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		want       []string
	}{
		{"en", "The network said 27 defenders were killed and 53 were abducted in 2021.", []string{"27 killing", "53 kidnapping"}},
		{"en", "At least 44 kidnappings and 74 attempted killings were recorded last year.", []string{"44 kidnapping", "74 attempted_killing"}},
		{"en", "It documented the abduction of 17 activists and the killing of four others.", []string{"17 kidnapping", "4 killing"}},
		{"en", "Seventy-one protesters have been arrested since October 2019, the group said.", []string{"71 arbitrary_detention"}},
		{"ar", "قالت الشبكة إن 27 مدافعاً قتلوا و53 اختطفوا خلال عام 2021.", []string{"27 killing", "53 kidnapping"}},
		{"ar", "وثق المرصد ٣٩ عملية اغتيال منذ تشرين الأول ٢٠١٩.", []string{"39 killing"}},
		{"ar", "وثق المرصد اختطاف ١٧ ناشطاً ومقتل أربعة آخرين.", []string{"17 kidnapping", "4 killing"}},
		// Not counts.
		{"en", "Two gunmen shot dead the activist Ali Hassan in Basra yesterday.", nil},
		{"en", "Five days later 3 men were seen near the house.", nil},
		{"en", "A leaked list named 12 activists who would be killed.", nil},
		{"en", "On 6 November 2019 activist Ali Hassan was killed.", nil},
		{"ar", "أطلق مسلحان النار على الناشط علي حسن في البصرة أمس.", nil},
	} {
		res := run(t, c.text, "2022-01-05")
		var got []string
		for _, cl := range res.Claims {
			got = append(got, fmt.Sprintf("%d %s", cl.Number, cl.What))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %q: claims %q, want %q", c.lang, c.text, got, c.want)
		}
	}
}
