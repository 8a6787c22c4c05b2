package accountability

import (
	"errors"
	"fmt"
	"slices"
)

// Judicial steps (vocabulary judicial_step).
const (
	Complaint     = "complaint_filed"
	Investigation = "investigation_opened"
	Identified    = "suspect_identified"
	Arrest        = "arrest"
	Charge        = "charge"
	Trial         = "trial"
	Convicted     = "verdict_convicted"
	Acquitted     = "verdict_acquitted"
	Sentence      = "sentence"
	Appeal        = "appeal"
	NoInstigator  = "no_instigator" // established: the perpetrators acted alone
)

// Roles of whom a step concerns (vocabulary judicial_role).
const (
	RoleCase        = ""            // the case as a whole: a complaint, an investigation
	RolePerpetrator = "perpetrator" // who carried it out
	RoleInstigator  = "instigator"  // who ordered or planned it (the mastermind)
)

// Outcomes of an appeal (vocabulary appeal_outcome).
const (
	AppealPending    = "pending"
	AppealUpheld     = "upheld"
	AppealOverturned = "overturned"
)

// Step is one dated step of a case's judicial track.
type Step struct {
	ID   string
	Kind string
	Day  Day
	// Who is the person or label the step concerns ("" for the case);
	// Role what they are in the case.
	Who     string
	Role    string
	Outcome string // an appeal's
}

// Impunity classes (CPJ's, derived by Class).
const (
	Complete = "complete"     // no one convicted
	Partial  = "partial"      // some convicted, not all those responsible
	Justice  = "full_justice" // those who did it and those who ordered it convicted
)

// Track is what Class reads: the steps, and whether the case's record says
// the killing had no instigator (the perpetrators acted alone), which
// only a conviction of the perpetrators can close.
type Track struct {
	Steps        []Step
	NoInstigator bool
}

// Class derives the impunity class of a case from its steps, by the rule
// of docs/counting.md ("Impunity"). A person's conviction stands unless a
// later appeal of theirs overturned it.
func Class(t Track) string {
	convicted := map[string]bool{} // by who, latest verdict standing
	named := map[string]string{}   // everyone a step names, with their role
	var order []string
	for _, s := range sorted(t.Steps) {
		if s.Who == "" {
			continue
		}
		if _, ok := named[s.Who]; !ok {
			order = append(order, s.Who)
		}
		if s.Role != "" || named[s.Who] == "" {
			named[s.Who] = s.Role
		}
		switch {
		case s.Kind == Convicted:
			convicted[s.Who] = true
		case s.Kind == Acquitted:
			convicted[s.Who] = false
		case s.Kind == Appeal && s.Outcome == AppealOverturned:
			convicted[s.Who] = false
		}
	}
	any, instigator, instigatorConvicted, perpetratorOpen := false, false, false, false
	for _, who := range order {
		c := convicted[who]
		any = any || c
		switch named[who] {
		case RoleInstigator:
			instigator = true
			instigatorConvicted = instigatorConvicted || c
		default:
			_, decided := convicted[who]
			perpetratorOpen = perpetratorOpen || !decided // named, never tried to a verdict
		}
	}
	switch {
	case !any:
		return Complete
	case perpetratorOpen:
		return Partial
	case instigator && instigatorConvicted, !instigator && t.NoInstigator:
		return Justice
	}
	return Partial
}

// StepError refuses one step: Field is the form field ("date", "kind").
type StepError struct {
	Step  int // index in the steps checked
	Field string
	Err   error
}

func (e *StepError) Error() string { return fmt.Sprintf("step %d: %s: %v", e.Step+1, e.Field, e.Err) }
func (e *StepError) Unwrap() error { return e.Err }

// Errors of a judicial track.
var (
	ErrVerdictNoTrial   = errors.New("accountability.error.verdict_no_trial")    // a verdict with no trial on or before it
	ErrConvictionBefore = errors.New("accountability.error.conviction_before")   // a conviction dated before the person's arrest
	ErrSentenceNoVerdic = errors.New("accountability.error.sentence_no_verdict") // a sentence with no conviction on or before it
	ErrAppealOutcome    = errors.New("accountability.error.appeal_outcome")      // an appeal without its outcome, or an outcome on another step
	ErrStepWho          = errors.New("accountability.error.step_who")            // a verdict, sentence or appeal that names no one
)

// CheckSteps checks a track's steps together: each verdict needs a trial
// (of the same person, or of the case) dated on or before it; a conviction
// may not be dated before that person's arrest; a sentence needs a
// conviction; an appeal an outcome. It returns the first refused step.
func CheckSteps(steps []Step) error {
	for i, s := range steps {
		personal := s.Kind == Convicted || s.Kind == Acquitted || s.Kind == Sentence || s.Kind == Appeal
		if personal && s.Who == "" {
			return &StepError{i, "who", ErrStepWho}
		}
		if (s.Kind == Appeal) != (s.Outcome != "") {
			return &StepError{i, "outcome", ErrAppealOutcome}
		}
		switch s.Kind {
		case Convicted, Acquitted:
			if !exists(steps, s, Trial, true) {
				return &StepError{i, "kind", ErrVerdictNoTrial}
			}
		case Sentence:
			if !exists(steps, s, Convicted, false) {
				return &StepError{i, "kind", ErrSentenceNoVerdic}
			}
		}
		if s.Kind == Convicted {
			for _, a := range steps {
				if a.Kind == Arrest && a.Who == s.Who && dated(s, a) && s.Day.Before(a.Day) {
					return &StepError{i, "date", ErrConvictionBefore}
				}
			}
		}
	}
	return nil
}

// exists reports whether a step of kind, dated on or before s, concerns
// s's person (or, with caseWide, the whole case).
func exists(steps []Step, s Step, kind string, caseWide bool) bool {
	for _, o := range steps {
		if o.Kind == kind && (!dated(s, o) || !s.Day.Before(o.Day)) && (o.Who == s.Who || caseWide && o.Who == "") {
			return true
		}
	}
	return false
}

// dated reports whether both steps have a day: an undated step (its
// source gives none) is never before or after another.
func dated(a, b Step) bool { return !a.Day.IsZero() && !b.Day.IsZero() }

// sorted is the steps by day (undated first), stable (the order given breaks ties).
func sorted(steps []Step) []Step {
	out := slices.Clone(steps)
	slices.SortStableFunc(out, func(a, b Step) int { return a.Day.t.Compare(b.Day.t) })
	return out
}
