package accountability

import (
	"errors"
	"testing"
)

// st is a step: kind, day, who, role, outcome.
func st(t *testing.T, kind, d, who, role string, outcome ...string) Step {
	s := Step{Kind: kind, Day: day(t, d), Who: who, Role: role}
	if len(outcome) > 0 {
		s.Outcome = outcome[0]
	}
	return s
}

func TestClass(t *testing.T) {
	P, I := RolePerpetrator, RoleInstigator
	for _, c := range []struct {
		name  string
		steps func() []Step
		alone bool
		want  string
	}{
		{"nothing done", func() []Step { return nil }, false, Complete},
		{"investigation only", func() []Step {
			return []Step{st(t, Complaint, "2020-01-01", "", ""), st(t, Investigation, "2020-01-02", "", "")}
		}, false, Complete},
		{"arrested, never tried", func() []Step {
			return []Step{st(t, Arrest, "2020-02-01", "A", P)}
		}, false, Complete},
		{"acquitted", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "A", P), st(t, Acquitted, "2020-04-01", "A", P)}
		}, true, Complete},
		{"convicted, instigator unknown", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "A", P), st(t, Convicted, "2020-04-01", "A", P)}
		}, false, Partial},
		{"convicted, acted alone", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "A", P), st(t, Convicted, "2020-04-01", "A", P)}
		}, true, Justice},
		{"gunman convicted, instigator charged only", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Convicted, "2020-04-01", "A", P),
				st(t, Charge, "2020-02-01", "B", I)}
		}, false, Partial},
		{"gunman and instigator convicted", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Convicted, "2020-04-01", "A", P),
				st(t, Convicted, "2020-04-01", "B", I)}
		}, false, Justice},
		{"one of two gunmen convicted", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Convicted, "2020-04-01", "A", P),
				st(t, Identified, "2020-01-05", "C", P)}
		}, true, Partial},
		{"one convicted, the other acquitted", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Convicted, "2020-04-01", "A", P),
				st(t, Acquitted, "2020-04-01", "C", P)}
		}, true, Justice},
		{"conviction overturned on appeal", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "A", P), st(t, Convicted, "2020-04-01", "A", P),
				st(t, Appeal, "2021-01-01", "A", P, AppealOverturned)}
		}, true, Complete},
		{"conviction upheld on appeal", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "A", P), st(t, Convicted, "2020-04-01", "A", P),
				st(t, Appeal, "2021-01-01", "A", P, AppealUpheld)}
		}, true, Justice},
		{"convicted again after an overturn", func() []Step {
			return []Step{st(t, Convicted, "2022-01-01", "A", P), st(t, Trial, "2020-03-01", "A", P),
				st(t, Convicted, "2020-04-01", "A", P), st(t, Appeal, "2021-01-01", "A", P, AppealOverturned)}
		}, true, Justice},
		{"instigator convicted, gunman at large", func() []Step {
			return []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Convicted, "2020-04-01", "B", I),
				st(t, Identified, "2020-01-05", "A", P)}
		}, false, Partial},
	} {
		if got := Class(Track{Steps: c.steps(), NoInstigator: c.alone}); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestCheckSteps(t *testing.T) {
	P := RolePerpetrator
	for _, c := range []struct {
		name  string
		steps []Step
		step  int
		field string
		err   error
	}{
		{"verdict without trial", []Step{st(t, Convicted, "2020-04-01", "A", P)}, 0, "kind", ErrVerdictNoTrial},
		{"acquittal before trial", []Step{st(t, Trial, "2020-05-01", "A", P), st(t, Acquitted, "2020-04-01", "A", P)}, 1, "kind", ErrVerdictNoTrial},
		{"trial of someone else", []Step{st(t, Trial, "2020-03-01", "B", P), st(t, Convicted, "2020-04-01", "A", P)}, 1, "kind", ErrVerdictNoTrial},
		{"conviction before arrest", []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Arrest, "2020-05-01", "A", P),
			st(t, Convicted, "2020-04-01", "A", P)}, 2, "date", ErrConvictionBefore},
		{"sentence without conviction", []Step{st(t, Sentence, "2020-04-01", "A", P)}, 0, "kind", ErrSentenceNoVerdic},
		{"appeal without outcome", []Step{st(t, Appeal, "2020-04-01", "A", P)}, 0, "outcome", ErrAppealOutcome},
		{"outcome on an arrest", []Step{st(t, Arrest, "2020-04-01", "A", P, AppealUpheld)}, 0, "outcome", ErrAppealOutcome},
		{"verdict of no one", []Step{st(t, Trial, "2020-03-01", "", ""), st(t, Convicted, "2020-04-01", "", "")}, 1, "who", ErrStepWho},
	} {
		err := CheckSteps(c.steps)
		var se *StepError
		if !errors.As(err, &se) || se.Step != c.step || se.Field != c.field || !errors.Is(err, c.err) {
			t.Errorf("%s: %v, want step %d %s %v", c.name, err, c.step+1, c.field, c.err)
		}
	}
	undated := []Step{{Kind: Trial}, {Kind: Convicted, Who: "perpetrator (CPJ)", Role: P},
		st(t, Arrest, "2020-05-01", "perpetrator (CPJ)", P)}
	if err := CheckSteps(undated); err != nil {
		t.Errorf("undated steps (their source gives no day) refused: %v", err)
	}
	if c := Class(Track{Steps: undated}); c != Partial {
		t.Errorf("undated conviction: %s", c)
	}
	ok := []Step{st(t, Arrest, "2020-02-01", "A", P), st(t, Trial, "2020-03-01", "", ""),
		st(t, Convicted, "2020-04-01", "A", P), st(t, Sentence, "2020-04-01", "A", P),
		st(t, Convicted, "2020-04-01", "B", P)} // in absentia: no arrest
	if err := CheckSteps(ok); err != nil {
		t.Errorf("a sound track refused: %v", err)
	}
}
