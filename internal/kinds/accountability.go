package kinds

import (
	"errors"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Commitment is an official response or promise (docs/counting.md,
// "Commitments and deadlines"); its status history's days are checked
// against today by package accountability's service.
var Commitment = record.New(record.Kind[model.Commitment]{
	Name: "commitment", Path: "/commitments", Group: model.GroupRecord,
	Title: []string{"promise_ar", "promise_en"},
	Fields: []record.Field{
		{Name: "authority_type", Input: record.Code, Vocab: vocab.AuthorityType, Required: true, Section: "who", List: true},
		{Name: "authority", Input: record.Text, Search: true, Section: "who"},
		{Name: "made_on", Input: record.Date, Required: true, Section: "who", List: true},
		{Name: "kind", Input: record.Code, Vocab: vocab.CommitmentKind, Required: true, Section: "promise", List: true},
		{Name: "promise_ar", Input: record.Textarea, Sealed: true, Search: true, Section: "promise", Dir: "rtl"},
		{Name: "promise_en", Input: record.Textarea, Sealed: true, Search: true, Section: "promise", Dir: "ltr"},
		{Name: "deadline_date", Input: record.Text, Max: 40, Section: "deadline"},
		{Name: "deadline_duration", Input: record.Text, Max: 40, Section: "deadline"},
		{Name: "status_history", Input: record.Lines, Sealed: true, Section: "status"},
		{Name: "incidents", Input: record.Refs, Ref: "incident", Section: "links"},
		{Name: "persons", Input: record.Refs, Ref: "person", Section: "links"},
		{Name: "sources", Input: record.Lines, Sealed: true, Section: "links"},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true, Section: "access"},
	},
	Check: func(c *model.Commitment, errs record.Errors) {
		if c.PromiseAR == "" && c.PromiseEN == "" {
			errs.Add("promise_ar", "commitment.error.promise")
		}
		made, err := accountability.ParseDay(c.MadeOn)
		if err != nil {
			return // made_on is refused already
		}
		if _, field, err := accountability.ParseDeadline(made, c.DeadlineDate, c.DeadlineDuration); err != nil {
			errs.Add(field, messageOf(err, record.ErrDate))
		}
		// The future is checked where today is known (the service).
		if _, _, err := accountability.ParseHistory(c.StatusHistory, made, accountability.Date(9999, 12, 31)); err != nil {
			errs.Add("status_history", err.Error())
		}
	},
	Defaults: func(c *model.Commitment) { c.Visibility = model.VisibilityInternal },
})

// Committee is an investigative committee formed after an attack.
var Committee = record.New(record.Kind[model.Committee]{
	Name: "committee", Path: "/committees", Group: model.GroupRecord,
	Title: []string{"name_ar", "name_en"},
	Fields: []record.Field{
		{Name: "name_ar", Input: record.Text, Search: true, Section: "names", Dir: "rtl"},
		{Name: "name_en", Input: record.Text, Search: true, Section: "names", Dir: "ltr"},
		{Name: "formed_by_type", Input: record.Code, Vocab: vocab.AuthorityType, Required: true, Section: "formed", List: true},
		{Name: "formed_by", Input: record.Text, Search: true, Section: "formed"},
		{Name: "formed_on", Input: record.Date, Required: true, Section: "formed", List: true},
		{Name: "mandate", Input: record.Textarea, Sealed: true, Section: "formed"},
		{Name: "incidents", Input: record.Refs, Ref: "incident", Section: "formed"},
		{Name: "reported", Input: record.Bool, Section: "report", List: true},
		{Name: "reported_on", Input: record.Date, Section: "report"},
		{Name: "findings", Input: record.Textarea, Sealed: true, Section: "report"},
		{Name: "sources", Input: record.Lines, Sealed: true, Section: "report"},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true, Section: "access"},
	},
	Check: func(c *model.Committee, errs record.Errors) {
		if c.NameAR == "" && c.NameEN == "" {
			errs.Add("name_ar", "committee.error.name")
		}
		if c.ReportedOn != "" && !c.Reported {
			errs.Add("reported_on", "committee.error.reported_on")
		}
		if c.ReportedOn != "" && c.FormedOn != "" && c.ReportedOn < c.FormedOn { // both YYYY-MM-DD
			errs.Add("reported_on", "committee.error.reported_before")
		}
	},
	Defaults: func(c *model.Committee) { c.Visibility = model.VisibilityInternal },
})

// JudicialStep is a step of an incident's judicial track; the rules across
// an incident's steps (a verdict needs a trial…) are package
// accountability's, applied by its service.
var JudicialStep = record.New(record.Kind[model.JudicialStep]{
	Name: "judicial_step", Messages: "judicial", Path: "/judicial-steps", Group: model.GroupRecord,
	Title:  []string{"step"},
	Parent: "incident", Order: "date",
	Fields: []record.Field{
		{Name: "incident", Input: record.Ref, Ref: "incident", Required: true, Section: "step"},
		{Name: "step", Input: record.Code, Vocab: vocab.JudicialStep, Required: true, Section: "step", List: true},
		{Name: "date", Input: record.Date, Section: "step", List: true}, // "" where the source gives no day
		{Name: "person", Input: record.Ref, Ref: "person", Section: "who"},
		{Name: "who", Input: record.Text, Sealed: true, Section: "who", List: true},
		{Name: "role", Input: record.Code, Vocab: vocab.JudicialRole, Section: "who", List: true},
		{Name: "outcome", Input: record.Code, Vocab: vocab.AppealOutcome, Section: "step", List: true},
		{Name: "notes", Input: record.Textarea, Sealed: true, Section: "notes"},
		{Name: "sources", Input: record.Lines, Sealed: true, Section: "notes"},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true, Section: "access"},
	},
	Check: func(s *model.JudicialStep, errs record.Errors) {
		if (s.Person != "" || s.Who != "") != (s.Role != "") {
			errs.Add("role", "judicial.error.role") // a person has a role, and a role a person
		}
		if err := accountability.CheckSteps([]accountability.Step{StepOf(s)}); err != nil {
			var se *accountability.StepError
			if errors.As(err, &se) && se.Err != accountability.ErrVerdictNoTrial && se.Err != accountability.ErrSentenceNoVerdic {
				errs.Add(stepField(se.Field), se.Err.Error()) // alone; the track's are the service's
			}
		}
	},
	Defaults: func(s *model.JudicialStep) { s.Visibility = model.VisibilityInternal },
})

// StepOf is the step package accountability reads: the person it
// concerns is their record's ID, else the label typed.
func StepOf(s *model.JudicialStep) accountability.Step {
	d, _ := accountability.ParseDay(s.Date)
	who := s.Who
	if s.Person != "" {
		who = "person:" + s.Person
	}
	return accountability.Step{ID: s.ID, Kind: s.Step, Day: d, Who: who, Role: s.Role, Outcome: s.Outcome}
}

// TrackOf is the track package accountability derives a class from: a
// step whose person's label is sealed (restricted, read without its key)
// is a person of its own; a no_instigator step rules one out.
func TrackOf(steps []model.JudicialStep) accountability.Track {
	t := accountability.Track{Steps: make([]accountability.Step, 0, len(steps))}
	for i := range steps {
		s := StepOf(&steps[i])
		if s.Who == "" && steps[i].Role != "" {
			s.Who = "sealed:" + steps[i].ID
		}
		t.NoInstigator = t.NoInstigator || s.Kind == accountability.NoInstigator
		t.Steps = append(t.Steps, s)
	}
	return t
}

// stepField is the form field of a StepError's field.
func stepField(f string) string {
	if f == "kind" {
		return "step"
	}
	return f
}

func messageOf(err error, fallback string) string {
	switch {
	case errors.Is(err, accountability.ErrDuration), errors.Is(err, accountability.ErrDurationZero),
		errors.Is(err, accountability.ErrDeadlineBefore), errors.Is(err, accountability.ErrDeadlineBoth):
		return err.Error()
	}
	return fallback
}
