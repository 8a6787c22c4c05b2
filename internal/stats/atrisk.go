package stats

import (
	"context"
	"errors"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// AtRisk are the figures of people at risk (docs/counting.md, "Figures of
// people at risk"): aggregates of records kept in the protection
// compartment, made only for its members, every count suppressed under
// MinCell. The receipt lists the records behind them by ID and code, for
// the member who checks a figure; it is never what is shared.
type AtRisk struct {
	Threats       Guarded   `json:"threats"`
	ByDelivery    []Guarded `json:"threats_by_delivery"`
	ByGovernorate []Guarded `json:"threats_by_governorate"`
	ByMonth       []Guarded `json:"threats_by_month"` // YYYY-MM; "" for a threat dated only to its year
	ByRole        []Guarded `json:"threats_by_role"`  // each threat once per role of the persons it names
	// Named is "at least N people named on hit lists", Attacked "of them K
	// attacked since" (killed, abducted or attacked after the list), with
	// each person's worst outcome.
	Named     Guarded   `json:"named_on_lists"`
	Attacked  Guarded   `json:"attacked_since"`
	ByOutcome []Guarded `json:"named_by_outcome"`
	// Relocated are the people whose case records a move, by the country
	// of the latest (as written, grouped without regard to case).
	Relocated Guarded       `json:"relocated"`
	ByCountry []Guarded     `json:"relocated_by_country"`
	Receipt   *AtRiskTicket `json:"receipt,omitempty"`
}

// AtRiskTicket is the receipt of the figures of people at risk.
type AtRiskTicket struct {
	Threats []ThreatLine `json:"threats"`
	Named   []NamedLine  `json:"named"`
	Moved   []MovedLine  `json:"relocated"`
}

// ThreatLine is a counted threat, with the keys it is counted under.
type ThreatLine struct {
	ID, OccurredOn, Delivery, Admin1, Month string
	Roles                                   []string
}

// NamedLine is a person named on a list, by the first entry naming them.
type NamedLine struct {
	Entry, Outcome string
}

// MovedLine is a relocated person's case and the country of its latest
// move.
type MovedLine struct {
	Case, Code, MovedOn, Country string
}

// attackedOutcomes are what "attacked since" counts.
var attackedOutcomes = map[string]bool{protection.OutcomeKilled: true, protection.OutcomeAbducted: true,
	protection.OutcomeAttacked: true}

// CountAtRisk makes the figures of people at risk for u, who must be a
// member of the protection compartment (records.ErrNotFound otherwise,
// as for everything of theirs). open fills in a move's sealed text (its
// country), each opening audited by the caller; links are the persons the
// threats and list entries name, opened with u's key (svc.Links).
func CountAtRisk(ctx context.Context, st store.Store, svc *protection.Service, u *model.User, open func(*model.Move) error, links *protection.Links) (AtRisk, error) {
	var out AtRisk
	if ok, err := svc.Member(ctx, u); err != nil || !ok {
		return out, errors.Join(err, records.ErrNotFound)
	}
	tk := &AtRiskTicket{}
	if err := countThreats(ctx, st, svc, u, links, &out, tk); err != nil {
		return out, err
	}
	if err := countNamed(ctx, svc, u, links, &out, tk); err != nil {
		return out, err
	}
	if err := countMoved(ctx, svc, u, open, &out, tk); err != nil {
		return out, err
	}
	out.Receipt = tk
	return out, nil
}

func countThreats(ctx context.Context, st store.Store, svc *protection.Service, u *model.User, links *protection.Links, out *AtRisk, tk *AtRiskTicket) error {
	threats, err := listAllOf(ctx, svc.Threats, u)
	if err != nil {
		return err
	}
	by := [4]map[string]int{{}, {}, {}, {}}
	roles := map[string][]string{} // person → roles, read once
	for _, t := range threats {
		month := ""
		if t.DatePrecision != "year" && len(t.OccurredOn) >= 7 {
			month = t.OccurredOn[:7]
		}
		line := ThreatLine{ID: t.ID, OccurredOn: t.OccurredOn, Delivery: t.Delivery, Admin1: t.Admin1, Month: month}
		seen := map[string]bool{}
		persons, err := links.ThreatPersons(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, p := range persons {
			p = links.Person(p) // merged into another: that person's roles
			rs, ok := roles[p]
			if !ok {
				if rs, err = personRoles(ctx, st, u, p); err != nil {
					return err
				}
				roles[p] = rs
			}
			for _, r := range rs {
				seen[r] = true
			}
		}
		if len(seen) == 0 {
			seen[""] = true
		}
		for r := range seen {
			line.Roles = append(line.Roles, r)
			by[3][r]++
		}
		by[0][t.Delivery]++
		by[1][t.Admin1]++
		by[2][month]++
		tk.Threats = append(tk.Threats, line)
	}
	// Each threat is in one cell of the first three tables, so each adds
	// up to the total: it is withheld if any of them needs it. A threat
	// counts once per role, so the roles' table adds up to nothing shown.
	exact := true
	for i, t := range []*[]Guarded{&out.ByDelivery, &out.ByGovernorate, &out.ByMonth} {
		var ok bool
		*t, ok = Suppress(by[i])
		exact = exact && ok
	}
	out.ByRole, _ = Suppress(by[3])
	out.Threats = Withhold(Total(len(threats)), exact)
	return nil
}

// personRoles are a person's victim roles, none for a person u may not see.
func personRoles(ctx context.Context, st store.Store, u *model.User, id string) ([]string, error) {
	p, err := st.Persons().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil || !access.CanSee(u, p.Visibility, p.CreatedBy) {
		return nil, err
	}
	return p.Roles, nil
}

func countNamed(ctx context.Context, svc *protection.Service, u *model.User, links *protection.Links, out *AtRisk, tk *AtRiskTicket) error {
	lists, err := listAllOf(ctx, svc.Lists, u)
	if err != nil {
		return err
	}
	worst := map[string]*NamedLine{} // person → line
	var order []string
	for _, l := range lists {
		entries, err := svc.ListEntries(ctx, u, &l, links)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Person == "" {
				continue // a name matched to no one may be anyone's: "at least"
			}
			p := links.Person(e.Person) // two persons merged are one person
			if w, ok := worst[p]; ok {
				w.Outcome = protection.Worse(w.Outcome, e.Outcome)
				continue
			}
			worst[p] = &NamedLine{Entry: e.ID, Outcome: e.Outcome}
			order = append(order, p)
		}
	}
	by := map[string]int{}
	attacked := 0
	for _, p := range order {
		w := worst[p]
		by[w.Outcome]++
		if attackedOutcomes[w.Outcome] {
			attacked++
		}
		tk.Named = append(tk.Named, *w)
	}
	outcomes, exact := Suppress(by)
	out.Named, out.ByOutcome = Withhold(Total(len(order)), exact), outcomes
	// "Attacked since" adds up some of the outcomes: shown beside one of
	// them hidden, it would give that one away.
	out.Attacked = Total(attacked)
	for _, c := range outcomes {
		if c.Hidden && attackedOutcomes[c.Key] {
			out.Attacked = Withhold(out.Attacked, false)
		}
	}
	return nil
}

func countMoved(ctx context.Context, svc *protection.Service, u *model.User, open func(*model.Move) error, out *AtRisk, tk *AtRiskTicket) error {
	cases, err := listAllOf(ctx, svc.Cases, u)
	if err != nil {
		return err
	}
	for _, c := range cases {
		moves, _, err := svc.Moves.ListWhere(ctx, u, "", "case_id", c.ID, 1, 0) // the latest first
		if err != nil {
			return err
		}
		if len(moves) == 0 {
			continue
		}
		m := moves[0]
		if err := open(&m); err != nil {
			return err
		}
		tk.Moved = append(tk.Moved, MovedLine{Case: c.ID, Code: c.Code, MovedOn: m.MovedOn,
			Country: strings.Join(strings.Fields(m.Country), " ")})
	}
	// A country the vocabulary knows counts under its ISO code, however
	// it was written ("Turkey", "تركيا", "Türkiye" are TR); another
	// spelt in several cases is one, under its first spelling in sort
	// order, whatever the order of the cases.
	spelt := map[string]string{}
	for _, l := range tk.Moved {
		if _, ok := vocab.CountryOf(l.Country); ok {
			continue
		}
		fold := strings.ToLower(l.Country)
		if s, ok := spelt[fold]; !ok || l.Country < s {
			spelt[fold] = l.Country
		}
	}
	by := map[string]int{}
	for i := range tk.Moved {
		l := &tk.Moved[i]
		if code, ok := vocab.CountryOf(l.Country); ok {
			l.Country = code
		} else {
			l.Country = spelt[strings.ToLower(l.Country)]
		}
		by[l.Country]++
	}
	countries, exact := Suppress(by)
	out.Relocated, out.ByCountry = Withhold(Total(len(tk.Moved)), exact), countries
	return nil
}

// listAllOf is every record of a kind u may see.
func listAllOf[T any](ctx context.Context, svc *records.Service[T], u *model.User) ([]T, error) {
	var out []T
	for {
		page, total, err := svc.ListWhere(ctx, u, "", "", "", 1000, len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}
