package stats

import (
	"context"
	"slices"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Below is how many incidents matching q, other than by verification,
// are left out only because their status is under q's threshold (not
// yet corroborated, say), and which statuses those are: what a user who
// sees "No incidents counted" after an import needs to know
// (docs/counting.md, "Why an incident is not counted"). Disputed and
// rejected incidents, which never count, are not among them.
func Below(ctx context.Context, st Counter, q Query) (Figure, []string, error) {
	counted, err := Counted(q.MinVerification)
	if err != nil {
		return Figure{}, nil, err
	}
	lowest := ""
	var under []string
	for _, t := range vocab.Get(vocab.VerificationStatus).Terms {
		if t.Rank > 0 && !slices.Contains(counted, t.Code) {
			under = append(under, t.Code)
			if lowest == "" || t.Rank < rankOf(lowest) {
				lowest = t.Code
			}
		}
	}
	if lowest == "" {
		return Figure{}, nil, nil
	}
	all := q
	all.MinVerification = lowest
	a, err := Count(ctx, st, q)
	if err != nil {
		return Figure{}, nil, err
	}
	b, err := Count(ctx, st, all)
	if err != nil {
		return Figure{}, nil, err
	}
	f := Figure{Incidents: b.Total.Incidents - a.Total.Incidents, Victims: b.Total.Victims - a.Total.Victims,
		Fatalities: b.Total.Fatalities - a.Total.Fatalities, Approximate: b.Total.Approximate - a.Total.Approximate}
	return f, under, nil
}

func rankOf(code string) int {
	t, _ := vocab.Get(vocab.VerificationStatus).Lookup(code)
	return t.Rank
}
