package protection

import (
	"context"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
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
	return s.board(ctx, u, 0, false)
}

// BoardTop is the first limit rows of the board, and whether it has more.
func (s *Service) BoardTop(ctx context.Context, u *model.User, limit int) ([]Row, bool, error) {
	rows, err := s.board(ctx, u, limit+1, false)
	if len(rows) > limit {
		return rows[:limit], true, err
	}
	return rows, false, err
}

// board reads the rows in their order with one query of the store, over
// the next check-in day it keeps beside each case (kinds.CaseDueOn).
func (s *Service) board(ctx context.Context, u *model.User, limit int, dueOnly bool) ([]Row, error) {
	if ok, err := s.Member(ctx, u); err != nil || !ok {
		return nil, err
	}
	ranks := map[string]int{}
	for _, t := range vocab.Get(vocab.RiskLevel).Terms {
		ranks[t.Code] = t.Rank
	}
	now := s.Now()
	cases, err := s.st.CaseBoard(ctx, store.BoardQuery{Today: now.UTC().Format(time.DateOnly), Ranks: ranks,
		DueOnly: dueOnly, Limit: limit})
	if err != nil {
		return nil, err
	}
	rows := make([]Row, len(cases))
	for i := range cases {
		rows[i] = Row{Case: cases[i], Due: DueOf(&cases[i], now, s.Grace)}
	}
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
	return s.board(ctx, u, 0, true)
}
