package sqlstore

import (
	"context"

	"github.com/rasd-project/rasd/internal/model"
)

// factCols are stat_facts' columns, in the order copyFacts gives them.
const factCols = `incident_rid, vseq, pseq, person_rid, role, outcome, perpetrator, type, admin1, date_start, date_end,
	date_precision, date_estimated, verification, merged_into, fatalities, visibility`

// copyFacts writes the statistics facts of the chunk's new incidents
// through the Copier, derived here from the rows just copied rather than
// by writeFactsOf's INSERT … SELECT, which read them back and was about a
// quarter of the server's time in an import (BENCHMARKS.md). The rows are
// those of that query: one per victim (or one with none) and per distinct
// perpetrator type at its first place (or one with none).
// ImportChunkedAsOneByOne compares them with the query's.
func (b *createBatch) copyFacts(ctx context.Context, c Copier, rids []int64, personRIDs map[string]int64) error {
	var rows [][]any
	for i, inc := range b.incs {
		rows = appendFacts(rows, rids[i], inc, personRIDs)
	}
	return b.t.copyRows(ctx, c, "stat_facts", factCols, rows)
}

func appendFacts(rows [][]any, rid int64, inc *model.Incident, personRIDs map[string]int64) [][]any {
	type perp struct {
		seq int
		typ any
	}
	var perps []perp
	seen := map[string]bool{}
	for j, p := range inc.Perpetrators {
		if !seen[p.Type] {
			seen[p.Type] = true
			perps = append(perps, perp{j, p.Type})
		}
	}
	if len(perps) == 0 {
		perps = []perp{{-1, nil}}
	}
	type victim struct {
		seq                   int
		person, role, outcome any
	}
	victims := make([]victim, 0, len(inc.Victims))
	for j, v := range inc.Victims {
		victims = append(victims, victim{j, personRIDs[v.PersonID], v.Role, v.Outcome})
	}
	if len(victims) == 0 {
		victims = []victim{{-1, nil, nil, nil}}
	}
	vals := incidentValues(inc) // as the incident's row holds them
	typ, start, end, prec, est := vals[0], vals[1], vals[2], vals[3], vals[4]
	admin1, fatalities, verification, visibility, merged := vals[6], vals[13], vals[18], vals[20], vals[23]
	for _, v := range victims {
		for _, p := range perps {
			rows = append(rows, []any{rid, v.seq, p.seq, v.person, v.role, v.outcome, p.typ, typ, admin1, start, end,
				prec, est, verification, merged, fatalities, visibility})
		}
	}
	return rows
}
