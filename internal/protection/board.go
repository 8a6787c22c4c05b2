package protection

import (
	"context"
	"sort"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Row is one case on the board, with its check-in state.
type Row struct {
	Case model.ProtectionCase
	Due  Due
}

// Board lists the cases not closed that u may see (none for a non-member),
// most urgent first: overdue check-ins (the latest first), then those due,
// then by risk level, highest first (docs/protection.md, "The board").
func (s *Service) Board(ctx context.Context, u *model.User) ([]Row, error) {
	cases, err := all(ctx, s.Cases, u, "", "")
	if err != nil {
		return nil, err
	}
	now := s.Now()
	rows := make([]Row, 0, len(cases))
	for _, c := range cases {
		if c.Status != "closed" {
			rows = append(rows, Row{Case: c, Due: DueOf(&c, now, s.Grace)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return before(&rows[i], &rows[j]) })
	return rows, nil
}

var stateOrder = map[string]int{StateOverdue: 0, StateDue: 1, StateOK: 2}

func before(a, b *Row) bool {
	if sa, sb := stateOrder[a.Due.State], stateOrder[b.Due.State]; sa != sb {
		return sa < sb
	}
	if a.Due.State != StateOK && a.Due.Late != b.Due.Late {
		return a.Due.Late > b.Due.Late
	}
	if ra, rb := RiskRank(a.Case.RiskLevel), RiskRank(b.Case.RiskLevel); ra != rb {
		return ra > rb
	}
	if a.Due.DueOn != b.Due.DueOn {
		return a.Due.DueOn < b.Due.DueOn
	}
	return a.Case.Code < b.Case.Code
}

// RiskRank is a risk level's height (0 for none).
func RiskRank(level string) int {
	t, ok := vocab.Get(vocab.RiskLevel).Lookup(level)
	if !ok {
		return 0
	}
	return t.Rank
}

// Dues are the cases u may see whose check-in is due or overdue, most
// urgent first.
func (s *Service) Dues(ctx context.Context, u *model.User) ([]Row, error) {
	rows, err := s.Board(ctx, u)
	out := rows[:0]
	for _, r := range rows {
		if r.Due.State != StateOK {
			out = append(out, r)
		}
	}
	return out, err
}
