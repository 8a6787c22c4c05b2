package sqlstore

import (
	"context"
	"fmt"
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

// CaseBoard implements store.Store: one query over the cases' due_on
// column (migration 0031), which every write of a case keeps (kinds.go,
// derived), so that the board reads no check-in and no case it does not
// show.
func (s *DB) CaseBoard(ctx context.Context, q store.BoardQuery) ([]model.ProtectionCase, int, error) {
	const due = `(p.due_on <> '' AND p.due_on <= ?)`
	where, args := ` WHERE p.status <> 'closed'`, []any{}
	if q.DueOnly {
		where += ` AND ` + due
		args = append(args, q.Today)
	}
	var total int
	if err := (pool{s}).QueryRow(ctx, `SELECT COUNT(*) FROM protection_cases p`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count cases: %w", err)
	}
	levels := make([]string, 0, len(q.Ranks))
	for l := range q.Ranks {
		levels = append(levels, l)
	}
	sort.Strings(levels)
	rank := "0"
	if len(levels) > 0 {
		var b strings.Builder
		b.WriteString("CASE p.risk_level")
		for range levels {
			b.WriteString(" WHEN ? THEN CAST(? AS INTEGER)")
		}
		b.WriteString(" ELSE 0 END")
		rank = b.String()
	}
	order := ` ORDER BY CASE WHEN ` + due + ` THEN 0 ELSE 1 END, CASE WHEN ` + due + ` THEN p.due_on ELSE '' END, ` +
		rank + ` DESC, p.due_on, p.code`
	args = append(args, q.Today, q.Today)
	for _, l := range levels {
		args = append(args, l, q.Ranks[l])
	}
	n := q.Limit
	if n <= 0 {
		n = total
	}
	out, err := caseTable.query(ctx, s, `SELECT `+caseTable.qualified()+` FROM protection_cases p`+where+order+` LIMIT ?`,
		append(args, n)...)
	return out, total, err
}
