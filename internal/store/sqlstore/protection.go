package sqlstore

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The kinds of people at risk (docs/protection.md) are verified, purged
// and scrubbed like every other kind table (kinds_more.go).
func init() {
	addKind(threatTable)
	addKind(hitListTable)
	addKind(hitEntryTable)
	addKind(caseTable)
	addKind(assessmentTable)
	addKind(measureTable)
	addKind(moveTable)
	addKind(checkInTable)
	caseTable.derived = []derived[model.ProtectionCase]{{"due_on", func(c *model.ProtectionCase) any { return kinds.CaseDueOn(c) }}}
}

// CaseBoard implements store.Store over the cases' due_on column
// (migration 0031), which every write of a case keeps (kinds.go, derived),
// so that the board reads no check-in and no case it does not show. The
// cases due come first, in the order of their day (the most days late
// first), read along the index on due_on; the others only when the first
// do not fill the page.
func (s *DB) CaseBoard(ctx context.Context, q store.BoardQuery) ([]model.ProtectionCase, error) {
	const open, due, notDue = `p.status <> 'closed'`, `p.due_on <> '' AND p.due_on <= ?`, `(p.due_on = '' OR p.due_on > ?)`
	n := q.Limit
	if n <= 0 {
		n = math.MaxInt32
	}
	rank, rankArgs := riskRank(q.Ranks)
	sel := `SELECT ` + caseTable.qualified() + ` FROM protection_cases p WHERE ` + open + ` AND `
	out, err := caseTable.query(ctx, s, sel+due+` ORDER BY p.due_on, `+rank+` DESC, p.code LIMIT ?`,
		append(append([]any{q.Today}, rankArgs...), n)...)
	if err != nil || q.DueOnly || len(out) >= n {
		return out, err
	}
	rest, err := caseTable.query(ctx, s, sel+notDue+` ORDER BY `+rank+` DESC, p.due_on, p.code LIMIT ?`,
		append(append([]any{q.Today}, rankArgs...), n-len(out))...)
	return append(out, rest...), err
}

// riskRank is an SQL expression of a case's risk level's height, from
// ranks (level → height), with its arguments.
func riskRank(ranks map[string]int) (string, []any) {
	if len(ranks) == 0 {
		return "0", nil
	}
	levels := make([]string, 0, len(ranks))
	for l := range ranks {
		levels = append(levels, l)
	}
	sort.Strings(levels)
	var b strings.Builder
	var args []any
	b.WriteString("CASE p.risk_level")
	for _, l := range levels {
		b.WriteString(" WHEN ? THEN CAST(? AS INTEGER)")
		args = append(args, l, ranks[l])
	}
	b.WriteString(" ELSE 0 END")
	return b.String(), args
}
