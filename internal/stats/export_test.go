package stats

import (
	"context"
	"time"

	"github.com/rasd-project/rasd/internal/store"
)

// CountImpunityByReading is CountImpunity as it counts where the store
// cannot: by reading every counted killing and judicial step.
func CountImpunityByReading(ctx context.Context, st store.Store, q Query, country string, show store.Visible, today time.Time) (Impunity, error) {
	q.Types = []string{"killing"}
	out := Impunity{Query: q, Country: country}
	iq := q
	iq.Window = Between("2016-01-01", "2025-12-31")
	err := countImpunityRead(ctx, st, q, iq, country, show, 0, &out)
	return out, err
}
