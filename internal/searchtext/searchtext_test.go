package searchtext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/textnorm"
)

func TestStem(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ناشطين", "ناشط"}, {"ناشطون", "ناشط"}, {"ناشطات", "ناشط"}, {"ناشطه", "ناشط"},
		{"الناشطون", "ناشط"}, {"والناشطين", "ناشط"}, {"بالبصره", "بصره"}, {"البصره", "بصره"},
		{"وناشطين", "ناشط"}, {"لبغداد", "بغداد"}, {"بغداد", "غداد"},
		{"وليد", "وليد"}, // three letters would remain: a name, left whole
		{"علي", "علي"}, {"kidnapped", "kidnapped"}, {"", ""},
	} {
		if got := Stem(tc.in); got != tc.want {
			t.Errorf("Stem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIndexAndLookup(t *testing.T) {
	var x Index
	x.Text("Activists detained; اعتقال ناشطين")
	x.Name("Tahsin Osama")
	x.Name("تحسين أسامة")
	got := " " + x.String() + " "
	for _, w := range []string{"activists", "ناشطين", "ناشط", "tahsin", "0nthsn", "0nasm", "تحسين"} {
		if !strings.Contains(got, " "+w+" ") {
			t.Errorf("index %q lacks %q", got, w)
		}
	}
	if strings.Count(got, " 0nthsn ") != 1 {
		t.Errorf("index %q holds a word twice", got)
	}
	for word, want := range map[string]Term{
		"tahseen":  {Word: "tahseen", Key: "0nthsn"},
		"الناشطون": {Word: "الناشطون", Stem: "ناشط", Key: "0nnxtn"},
		"a":        {Word: "a"}, // a key of one letter is not looked up
	} {
		if got := Lookup(word); got != want {
			t.Errorf("Lookup(%q) = %+v, want %+v", word, got, want)
		}
	}
}

func FuzzIndex(f *testing.F) {
	for _, s := range []string{"Tahsin Osama", "بالبصرة والناشطين", "a\xffb", "ـــ", "0n", "Abd al-", "و"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var x Index
		x.Text(s)
		x.Name(s)
		for _, w := range strings.Fields(x.String()) {
			if !utf8.ValidString(w) || strings.ContainsFunc(w, func(r rune) bool { return r == '"' || r == '*' || r == ':' }) {
				t.Fatalf("index word %q of %q", w, s)
			}
		}
		for _, w := range textnorm.Terms(s) {
			term := Lookup(w)
			if !term.Matches(w) {
				t.Fatalf("Lookup(%q) does not match the word itself", w)
			}
		}
	})
}
