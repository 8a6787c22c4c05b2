package protection

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Outcomes of a person named on a hit list since it appeared (vocab
// list_outcome), the worst first: derived from their incidents, threats
// and case, never typed (docs/protection.md, "Hit lists").
const (
	OutcomeKilled     = "killed"
	OutcomeAttacked   = "attacked"
	OutcomeAbducted   = "abducted"
	OutcomeThreatened = "threatened_again"
	OutcomeRelocated  = "relocated"
	OutcomeSafe       = "safe"
	OutcomeUnknown    = "unknown"
)

var outcomeOrder = []string{OutcomeKilled, OutcomeAbducted, OutcomeAttacked, OutcomeThreatened, OutcomeRelocated,
	OutcomeSafe, OutcomeUnknown}

// incidentOutcome is what an incident against a person after the list
// says of them, by incident type.
var incidentOutcome = map[string]string{
	"killing":    OutcomeKilled,
	"kidnapping": OutcomeAbducted, "enforced_disappearance": OutcomeAbducted, "arbitrary_detention": OutcomeAbducted,
	"attempted_killing": OutcomeAttacked, "torture": OutcomeAttacked, "assault": OutcomeAttacked,
	"attack_on_property": OutcomeAttacked,
	"death_threat":       OutcomeThreatened, "smear_incitement": OutcomeThreatened, "legal_harassment": OutcomeThreatened,
	"forced_displacement": OutcomeRelocated,
}

// Entry is one name of a list with what has become of its person.
type Entry struct {
	model.HitListEntry
	Outcome string
	// Since are the incidents and threats the outcome comes from (IDs).
	Incidents, Threats []string
}

// ListEntries are the names of list l in order, each with the person it
// names and its outcome, as derived from the records u may see. The
// persons are sealed: links opens them (links.go); with links nil (u's
// key is not at hand) every outcome is unknown.
func (s *Service) ListEntries(ctx context.Context, u *model.User, l *model.HitList, links *Links) ([]Entry, error) {
	entries, err := all(ctx, s.Entries, u, "list_id", l.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		en := Entry{HitListEntry: e, Outcome: OutcomeUnknown}
		if links != nil {
			if en.Person, err = links.EntryPerson(ctx, e.ID); err != nil {
				return nil, err
			}
		}
		if en.Person != "" {
			if err := s.outcome(ctx, u, l.AppearedOn, &en, links); err != nil {
				return nil, err
			}
		}
		out = append(out, en)
	}
	return out, nil
}

// Worse is the worse of two outcomes.
func Worse(a, b string) string {
	for _, o := range outcomeOrder {
		if o == a || o == b {
			return o
		}
	}
	return OutcomeUnknown
}

func (s *Service) outcome(ctx context.Context, u *model.User, since string, e *Entry, links *Links) error {
	p, err := s.st.Persons().Get(ctx, links.Person(e.Person))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !access.CanSee(u, p.Visibility, p.CreatedBy) {
		return nil
	}
	if p.Status == "deceased" && p.DateOfDeath >= since {
		e.Outcome = Worse(e.Outcome, OutcomeKilled)
	}
	incs, _, err := s.st.ListIncidents(ctx, store.IncidentFilter{PersonID: p.ID, From: since, Visible: access.Visible(u), Limit: 1000})
	if err != nil {
		return err
	}
	for _, inc := range incs {
		if o, ok := incidentOutcome[inc.Type]; ok && inc.DateStart >= since {
			e.Outcome = Worse(e.Outcome, o)
			e.Incidents = append(e.Incidents, inc.ID)
		}
	}
	threats, err := links.ThreatsOf(ctx, p.ID)
	if err != nil {
		return err
	}
	var against []*model.Threat
	for _, id := range threats {
		t, err := s.Threats.Store.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("threat %s: %w", id, err)
		}
		against = append(against, t)
	}
	slices.SortFunc(against, func(a, b *model.Threat) int { // newest first, as the list of threats
		return cmp.Or(cmp.Compare(b.OccurredOn, a.OccurredOn), cmp.Compare(b.ID, a.ID))
	})
	for _, t := range against {
		if t.OccurredOn > since {
			e.Outcome = Worse(e.Outcome, OutcomeThreatened)
			e.Threats = append(e.Threats, t.ID)
		}
	}
	cases, err := links.CasesOf(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, id := range cases {
		c, err := s.Cases.Store.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("case %s: %w", id, err)
		}
		o, err := s.caseOutcome(ctx, u, c, since)
		if err != nil {
			return err
		}
		e.Outcome = Worse(e.Outcome, o)
	}
	return nil
}

// caseOutcome: relocated when the person moved, or a relocation was done
// or is under way, since the list; safe when the latest check-in since
// found them safe.
func (s *Service) caseOutcome(ctx context.Context, u *model.User, c *model.ProtectionCase, since string) (string, error) {
	moves, err := all(ctx, s.Moves, u, "case_id", c.ID)
	if err != nil {
		return "", err
	}
	for _, m := range moves {
		if m.MovedOn >= since {
			return OutcomeRelocated, nil
		}
	}
	measures, err := all(ctx, s.Measures, u, "case_id", c.ID)
	if err != nil {
		return "", err
	}
	for _, m := range measures {
		reloc := m.Measure == "relocation_in_country" || m.Measure == "relocation_abroad"
		if reloc && (m.Status == "done" || m.Status == "in_progress") && max(m.StartedOn, m.EndedOn) >= since {
			return OutcomeRelocated, nil
		}
	}
	checks, _, err := s.CheckIns.ListWhere(ctx, u, "", "case_id", c.ID, 1, 0) // newest first
	if err != nil {
		return "", err
	}
	if len(checks) == 1 && checks[0].Result == "safe" && checks[0].CheckedOn >= since {
		return OutcomeSafe, nil
	}
	return OutcomeUnknown, nil
}
