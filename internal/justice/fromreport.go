package justice

import (
	"context"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// The accountability records a news report tells of, prepared for an
// accepted draft (docs/extract.md, "Accepting a draft"): checked as Save
// checks them, linked to the draft's incident and stored with it in one
// transaction.

// ReportCommitment prepares a commitment (a promise) from form f.
func (s *Service) ReportCommitment(ctx context.Context, u *model.User, f record.Form, seal records.Sealer) (store.DraftRecord, record.Errors, error) {
	return s.Commitments.Draft(ctx, u, f, seal, func(c *model.Commitment, ids store.DraftIDs) error {
		c.Incidents = append(c.Incidents, ids.Incident)
		return nil
	})
}

// ReportCommittee prepares a committee from form f.
func (s *Service) ReportCommittee(ctx context.Context, u *model.User, f record.Form, seal records.Sealer) (store.DraftRecord, record.Errors, error) {
	return s.Committees.Draft(ctx, u, f, seal, func(c *model.Committee, ids store.DraftIDs) error {
		c.Incidents = append(c.Incidents, ids.Incident)
		return nil
	})
}
