package stats_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// byStatus counts, for any query, the incidents of the statuses it asks.
type byStatus map[string]int

func (b byStatus) CountIncidents(_ context.Context, q store.CountQuery) ([]store.CountRow, error) {
	var r store.CountRow
	for _, s := range q.Verification {
		r.Incidents += b[s]
		r.Victims += 2 * b[s]
	}
	return []store.CountRow{r}, nil
}

func (b byStatus) ReceiptIncidents(context.Context, store.CountQuery, store.Visible, int, int) (store.Receipt, error) {
	return store.Receipt{}, nil
}

func TestBelow(t *testing.T) {
	st := byStatus{"reported": 7, "corroborated": 3, "verified": 1, "disputed": 5, "rejected": 4}
	for _, tc := range []struct {
		min   string
		n     int
		under []string
	}{
		{"", 7, []string{"reported"}},
		{"corroborated", 7, []string{"reported"}},
		{"verified", 10, []string{"reported", "corroborated"}},
		{"reported", 0, nil},
	} {
		f, under, err := stats.Below(context.Background(), st, stats.Query{MinVerification: tc.min})
		if err != nil || f.Incidents != tc.n || f.Victims != 2*tc.n || !slices.Equal(under, tc.under) {
			t.Errorf("Below at %q = %+v %v %v; want %d incidents under %v", tc.min, f, under, err, tc.n, tc.under)
		}
	}
	if _, _, err := stats.Below(context.Background(), st, stats.Query{MinVerification: "disputed"}); err == nil {
		t.Error("a threshold of disputed accepted")
	}
}
