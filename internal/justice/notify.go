package justice

import (
	"context"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// EventOverdue is the event of a notice for a commitment past its
// deadline (docs/protection.md, "Notifications").
const EventOverdue = "commitment_overdue"

// OverdueWatch is what 'rasd serve --notify-cmd' watches of commitments:
// each one open and past its deadline on the notifier's day, whatever its
// visibility, as a notice of its ID, a link to its page, its due day and
// how late it is, never its text or who made it.
func (s *Service) OverdueWatch() protection.Watch {
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	return func(ctx context.Context, now time.Time) ([]protection.Late, error) {
		res, err := stats.CountCommitmentsPage(ctx, s.st, all, all, accountability.DayOf(now), 0)
		if err != nil {
			return nil, err
		}
		var out []protection.Late
		for _, r := range res.Receipt {
			if !r.Overdue {
				continue
			}
			out = append(out, protection.Late{Kind: kinds.Commitment.KindName(), ID: r.ID, Notice: protection.Notice{
				Event: EventOverdue, Commitment: r.ID, Link: kinds.Commitment.Path + "/" + r.ID,
				DueOn: r.Due, DaysLate: r.DaysOverdue}})
		}
		return out, nil
	}
}
