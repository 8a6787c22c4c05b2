package web

import (
	"strings"
	"testing"
)

// TestHighlightForms: the words marked are those the search matched, in
// every form the index matches (docs/search.md).
func TestHighlightForms(t *testing.T) {
	for _, tc := range []struct{ text, query, want string }{
		{"Tahsin Osama was shot", "Tahseen", "<mark>Tahsin</mark> Osama was shot"},
		{"اغتيال تحسين أسامة", "Tahseen", "اغتيال <mark>تحسين</mark> أسامة"},
		{"Activists were detained", "activist", "<mark>Activists</mark> were detained"},
		{"اعتقال ناشطين في البصرة", "الناشطون البصرة", "اعتقال <mark>ناشطين</mark> في <mark>البصرة</mark>"},
		{"a <b> & c", "b", "a &lt;<mark>b</mark>&gt; &amp; c"},
		{"nothing here", "!!!", "nothing here"},
	} {
		if got := string(highlight(tc.text, tc.query)); got != tc.want {
			t.Errorf("highlight(%q, %q) = %q, want %q", tc.text, tc.query, got, tc.want)
		}
	}
	if got := string(highlight("Hassan and Ali", "Tahseen")); strings.Contains(got, "<mark>") {
		t.Errorf("highlight marks what the search did not match: %q", got)
	}
}
