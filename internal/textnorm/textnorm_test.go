package textnorm

import (
	"slices"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"hamza above", "أمجد", "امجد"},
		{"hamza below", "إسراء", "اسراء"},
		{"madda", "آمنة", "امنه"},
		{"wasla", "ٱلله", "الله"},
		{"taa marbuta", "مدرسة", "مدرسه"},
		{"alef maqsura", "مصطفى", "مصطفي"},
		{"waw hamza", "مؤمن", "مومن"},
		{"yeh hamza", "رئيس", "رييس"},
		{"wavy hamza above", "ٲ", "ا"},
		{"wavy hamza below", "ٳ", "ا"},
		{"farsi yeh", "ی", "ي"},
		{"keheh", "کرکوک", "كركوك"},
		{"tashkeel", "مُحَمَّدٌ", "محمد"},
		{"superscript alef", "هٰذا", "هذا"},
		{"tatweel", "بـــغداد", "بغداد"},
		{"arabic-indic digits", "٢٠١٩-١٠-٢٥", "2019-10-25"},
		{"extended digits", "۱۲۳", "123"},
		{"latin case", "Baghdad HRD", "baghdad hrd"},
		{"latin accents", "Şalāḩ ad Dīn Café", "salah ad din cafe"},
		{"presentation forms", "ﻻ", "لا"},
		{"joiners and marks dropped", "a\u200cb\u200fc\ufeff", "abc"},
		{"invalid byte dropped", "ab\xffc", "abc"},
		{"mixed", "السيّد أحمد Ahmed", "السيد احمد ahmed"},
		{"empty", "", ""},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestTerms(t *testing.T) {
	got := Terms("قُتِلَ الناشط «أمجد» في البصرة، 2019! (Basra)")
	want := []string{"قتل", "الناشط", "امجد", "في", "البصره", "2019", "basra"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}

// TestFoldEveryCase: each case of fold is reached by some rune after
// NFKD, so none is dead code; and the hamza forms that decompose need no
// case of their own.
func TestFoldEveryCase(t *testing.T) {
	for _, r := range []rune{'ٱ', 'ٲ', 'ٳ', 'ة', 'ى', 'ی', 'ک', 'ـ', '\u064E', '٣', '۳', '\u200c', 'A'} {
		decomposed := []rune(norm.NFKD.String(string(r)))
		if len(decomposed) != 1 || decomposed[0] != r {
			t.Errorf("%q decomposes to %q: its case in fold is dead code", r, decomposed)
		}
	}
	for _, r := range []rune{'أ', 'إ', 'آ', 'ؤ', 'ئ'} {
		if d := []rune(norm.NFKD.String(string(r))); len(d) != 2 || !unicode.Is(unicode.Mn, d[1]) {
			t.Errorf("%q does not decompose into a letter and a mark: %q", r, d)
		}
	}
}
