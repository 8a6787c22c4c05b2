package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	lre, rle, pdf, lro, rlo = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
	lri, rli, fsi, pdi      = "\u2066", "\u2067", "\u2068", "\u2069"
)

func TestBidiControl(t *testing.T) {
	for in, want := range map[string]rune{
		"statement" + rlo + "fdp.bat": '\u202e', "a" + lri + "b": '\u2066', fsi: '\u2068', pdf + "x": '\u202c',
		"plain": 0, "عربي \u200f mark": 0, "\u061c arabic letter mark": 0, "": 0,
	} {
		r, ok := BidiControl(in)
		if r != want || ok != (want != 0) {
			t.Errorf("BidiControl(%+q) = %U %v, want %U", in, r, ok, want)
		}
	}
	if got := StripBidi("statement" + rlo + "fdp.bat" + pdf + lri + pdi); got != "statementfdp.bat" {
		t.Errorf("StripBidi = %+q", got)
	}
	if got := BidiName('\u202e'); !strings.Contains(got, "U+202E") || !strings.Contains(got, "RIGHT-TO-LEFT OVERRIDE") {
		t.Errorf("BidiName = %q", got)
	}
}

func TestBalanceBidi(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain\ntext", "plain\ntext"},
		{"a" + rlo + "fdp.bat", "a" + rlo + "fdp.bat" + pdf},
		{"a" + rlo + "b\nc", "a" + rlo + "b" + pdf + "\nc"},
		{"a" + rli + "b\u2029c" + pdi, "a" + rli + "b" + pdi + "\u2029c"},
		{pdf + "x" + pdi, "x"},
		{rle + "a" + pdf + " " + lri + "b" + pdi, rle + "a" + pdf + " " + lri + "b" + pdi},
		{lri + rlo + "a" + pdi + "b", lri + rlo + "a" + pdf + pdi + "b"}, // PDI closes what its isolate holds
		{rlo + lri + "a" + pdf + "b", rlo + lri + "ab" + pdi + pdf},      // PDF cannot close past an isolate
		{"x\r" + lro + "y\r\nz", "x\r" + lro + "y" + pdf + "\r\nz"},
	} {
		if got := BalanceBidi(tc.in); got != tc.want {
			t.Errorf("BalanceBidi(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}

// balanced reports whether each paragraph of s closes every embedding,
// override and isolate it opens, and closes nothing it did not open.
func balanced(s string) bool {
	var stack []rune
	for _, r := range s {
		switch {
		case ParagraphSeparator(r):
			if len(stack) > 0 {
				return false
			}
		case r >= '\u202a' && r <= '\u202e' && r != '\u202c', r >= '\u2066' && r <= '\u2068':
			stack = append(stack, r)
		case r == '\u202c':
			if len(stack) == 0 || isolate(stack[len(stack)-1]) {
				return false
			}
			stack = stack[:len(stack)-1]
		case r == '\u2069':
			if len(stack) == 0 || !isolate(stack[len(stack)-1]) {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return len(stack) == 0
}

func isolate(r rune) bool { return r >= '\u2066' && r <= '\u2068' }

func FuzzBalanceBidi(f *testing.F) {
	for _, s := range []string{"", "statement" + rlo + "fdp.bat", pdf + pdi + "x", lri + rlo + "a" + pdi, "a\u2029" + rle + "b\nc" + pdf,
		strings.Repeat(rle, 200) + "deep", "\xff" + rlo} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		b := BalanceBidi(s)
		if !balanced(b) {
			t.Fatalf("BalanceBidi(%+q) = %+q is not balanced", s, b)
		}
		if StripBidi(b) != StripBidi(s) {
			t.Fatalf("BalanceBidi(%+q) = %+q changed more than direction controls", s, b)
		}
		if BalanceBidi(b) != b {
			t.Fatalf("BalanceBidi is not idempotent on %+q", s)
		}
		if _, ok := BidiControl(s); !ok && b != s {
			t.Fatalf("BalanceBidi changed %+q, which has no control", s)
		}
	})
}
