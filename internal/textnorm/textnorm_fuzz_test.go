package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Forms Normalize must never leave behind: hamza-alef and other folded
// letters, tatweel, tashkeel.
func forbidden(r rune) bool {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ة', 'ى', 'ـ', 'ؤ', 'ئ':
		return true
	}
	return r >= '\u064B' && r <= '\u065F' || r == '\u0670'
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "أمجد", "مُحَمَّدٌ", "بـــغداد", "٢٠١٩", "Şalāḩ", "ﻻ ﷲ ﷺ", "a\xffb", "ﭐ", "Ǆ ﬁ Ⅻ", "\u0627\u0654", "\u0627\u0653"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", s, n)
		}
		if i := strings.IndexFunc(n, forbidden); i >= 0 {
			t.Fatalf("Normalize(%q) = %q keeps %q", s, n, []rune(n[i:])[0])
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: Normalize(%q) = %q, again %q", s, n, again)
		}
	})
}
