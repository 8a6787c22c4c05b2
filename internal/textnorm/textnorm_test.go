package textnorm

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"hamza above", "أمجد", "امجد"},
		{"hamza below", "إسراء", "اسراء"},
		{"madda", "آمنة", "امنه"},
		{"wasla", "ٱلله", "الله"},
		{"taa marbuta", "مدرسة", "مدرسه"},
		{"alef maqsura", "مصطفى", "مصطفي"},
		{"farsi yeh and keheh", "کرکوک ی", "كركوك ي"},
		{"waw and yeh hamza", "مؤمن رئيس", "مومن رييس"},
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
