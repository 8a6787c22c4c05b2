// Package justice holds the domain services of accountability records:
// official commitments, committees and the judicial track of incidents
// (record kinds of package kinds, through package records), with the rules
// of package accountability applied where they need other records or
// today (docs/counting.md, "Commitments and deadlines", "Impunity").
package justice

import (
	"context"
	"errors"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// Service holds the three kinds' services.
type Service struct {
	Commitments *records.Service[model.Commitment]
	Committees  *records.Service[model.Committee]
	Steps       *records.Service[model.JudicialStep]
	Now         func() time.Time
	st          store.Store
}

// New makes the services over st; now is the clock (its location decides
// what day today is).
func New(st store.Store, now func() time.Time) *Service {
	refs := records.StandardRefs(st)
	s := &Service{
		Commitments: records.New(kinds.Commitment, st, refs),
		Committees:  records.New(kinds.Committee, st, refs),
		Steps:       records.New(kinds.JudicialStep, st, refs),
		Now:         now,
		st:          st,
	}
	s.Commitments.Now, s.Committees.Now, s.Steps.Now = now, now, now
	s.Commitments.Check = s.checkCommitment
	s.Steps.Check = s.checkStep
	return s
}

// Today is the day the clock shows where rasd runs.
func (s *Service) Today() accountability.Day { return accountability.DayOf(s.Now()) }

// checkCommitment refuses status history dated after today (the kind
// checks the rest).
func (s *Service) checkCommitment(_ context.Context, _ *model.User, _, c *model.Commitment, errs record.Errors) error {
	made, err := accountability.ParseDay(c.MadeOn)
	if err != nil {
		return nil
	}
	if _, _, err := accountability.ParseHistory(c.StatusHistory, made, s.Today()); err != nil {
		errs.Add("status_history", err.Error())
	}
	return nil
}

// maxSteps bounds one incident's track as read for a check or a class.
const maxSteps = 1000

// checkStep checks the step with the rest of its incident's track that u
// may see (docs/counting.md, "Impunity").
func (s *Service) checkStep(ctx context.Context, u *model.User, _, r *model.JudicialStep, errs record.Errors) error {
	others, _, err := s.Steps.ListWhere(ctx, u, "", "incident", r.Incident, maxSteps, 0)
	if err != nil {
		return err
	}
	track := make([]accountability.Step, 0, len(others)+1)
	for i := range others {
		if others[i].ID != r.ID {
			track = append(track, kinds.StepOf(&others[i]))
		}
	}
	track = append(track, kinds.StepOf(r))
	var se *accountability.StepError
	if err := accountability.CheckSteps(track); errors.As(err, &se) {
		field := "step"
		if se.Field == "date" || se.Field == "outcome" || se.Field == "who" {
			field = se.Field
		}
		errs.Add(field, se.Err.Error())
	}
	return nil
}

// Track is an incident's judicial track as u may see it, oldest first,
// and its impunity class.
type Track struct {
	Steps []model.JudicialStep
	Class string
}

// TrackOf reads incident id's track.
func (s *Service) TrackOf(ctx context.Context, u *model.User, incident string) (Track, error) {
	steps, _, err := s.Steps.ListWhere(ctx, u, "", "incident", incident, maxSteps, 0)
	if err != nil {
		return Track{}, err
	}
	return Track{Steps: steps, Class: ClassOf(steps)}, nil
}

// ClassOf derives the impunity class of one incident's steps.
func ClassOf(steps []model.JudicialStep) string { return accountability.Class(kinds.TrackOf(steps)) }

// ErrNotFound is returned for a record u may not see, as for none.
var ErrNotFound = store.ErrNotFound
