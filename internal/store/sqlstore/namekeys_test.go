package sqlstore

import (
	"slices"
	"testing"
)

// TestPadded: an IN list is padded to the next power of two with its
// last value, so that it matches the same set, and a list of that length
// is left alone.
func TestPadded(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"a"}, []string{"a"}},
		{[]string{"a", "b"}, []string{"a", "b"}},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c", "c"}},
		{[]string{"a", "b", "c", "d", "e"}, []string{"a", "b", "c", "d", "e", "e", "e", "e"}},
	} {
		in := slices.Clone(tc.in)
		got := padded(in)
		if !slices.Equal(got, tc.want) {
			t.Errorf("padded(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("padded(%v) changed its argument to %v", tc.in, in)
		}
	}
}
