package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// createChunk is how many new incidents an import writes together, unless
// SetImportChunk says otherwise: one
// multi-row statement per table for all of them (persons, incidents,
// perpetrators, victims, statistics facts) instead of about ten statements
// per incident. On PostgreSQL each statement is a round trip; on SQLite
// each has a fixed cost in the driver. 128 incidents of 33 columns stay
// well inside both backends' limits on bound parameters.
const createChunk = 128

// SetImportChunk sets how many new incidents an import writes together; 0
// writes them one by one, as CreateIncident does. The tests compare the
// two; nothing else needs to call it.
func (s *DB) SetImportChunk(n int) { s.importChunk = n }

// errChunk marks a failure of a chunk's multi-row statements, which cannot
// say which record was at fault: ImportIncidents then runs the import
// again record by record, in a fresh transaction, to name it.
type errChunk struct {
	first, last int // record numbers, 1-based
	err         error
}

func (e *errChunk) Error() string {
	return fmt.Sprintf("records %d-%d: %v", e.first, e.last, e.err)
}

func (e *errChunk) Unwrap() error { return e.err }

// createBatch holds new incidents of an import until a chunk is full.
// Each is stored exactly as createIncident would store it, with the same
// versions and audit entries in the same order.
type createBatch struct {
	t     *Tx
	actor string
	size  int // incidents per chunk
	incs  []*model.Incident
	nums  []int       // each incident's record number in the import, 1-based
	preps []*prepared // what the preparer worked out for each, or nil
}

// batchable reports whether inc can be created in a chunk: nothing of it
// is to be sealed (a sealed group is written and audited per record).
// Victims may be new persons given inline or existing ones by ID.
func batchable(inc *model.Incident) bool {
	if inc.SealedText.Seal != nil {
		return false
	}
	for _, v := range inc.Victims {
		if v.Person != nil && v.Person.SealedText.Seal != nil {
			return false
		}
	}
	return true
}

// add queues inc (record number num) and writes the chunk when it is full.
// inc gets its ID at once, so that a later record of the same import with
// the same external key updates it.
func (b *createBatch) add(ctx context.Context, num int, inc *model.Incident, pr *prepared) error {
	inc.ID = uuid.Must(uuid.NewV7()).String()
	b.incs, b.nums, b.preps = append(b.incs, inc), append(b.nums, num), append(b.preps, pr)
	if len(b.incs) >= b.size {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the queued incidents.
func (b *createBatch) flush(ctx context.Context) error {
	if len(b.incs) == 0 {
		return nil
	}
	err := b.write(ctx)
	if err != nil {
		err = &errChunk{first: b.nums[0], last: b.nums[len(b.nums)-1], err: err}
	}
	b.incs, b.nums, b.preps = b.incs[:0], b.nums[:0], b.preps[:0]
	return err
}

// write stores one chunk: codes and persons first, as createIncident does,
// then each table's rows in one statement, then the versions and audit
// entries in record order.
func (b *createBatch) write(ctx context.Context) error {
	t, now := b.t, b.t.s.clock()
	var fresh []*model.Person // inline victims to create, in order
	for _, inc := range b.incs {
		code, err := t.nextCode(ctx, inc)
		if err != nil {
			return err
		}
		inc.Code, inc.Sealed = code, nil
		for i := range inc.Victims {
			v := &inc.Victims[i]
			if v.Person != nil && v.Person.ID == "" && v.PersonID == "" {
				p := v.Person
				p.ID, p.Sealed = uuid.Must(uuid.NewV7()).String(), nil
				if p.Visibility == "" {
					p.Visibility = model.VisibilityInternal
				}
				p.Meta = newMeta(now, b.actor)
				fresh = append(fresh, p)
			}
		}
		if err := t.resolveVictims(ctx, b.actor, inc, nil); err != nil { // loads persons given by ID
			return err
		}
		inc.Meta = newMeta(now, b.actor)
	}
	exts := make([][3]any, len(b.incs))
	for i, inc := range b.incs {
		if pr := b.preps[i]; pr != nil {
			exts[i] = pr.ext
		} else {
			exts[i] = externalCols(inc)
		}
	}
	// The incidents are complete: their snapshots are made beside the
	// statements below, which only read them.
	snaps := snapshots(b.incs, exts)
	defer func() { <-snaps.done }() // nothing reads the incidents after write returns
	personRIDs, err := b.insertPersons(ctx, fresh, now)
	if err != nil {
		return err
	}
	var rids []int64
	if c := t.copier(); c != nil {
		rids, err = b.copyIncidents(ctx, c, now, exts)
	} else {
		rids, err = b.insertIncidents(ctx, now, exts)
	}
	if err != nil {
		return err
	}
	if err := b.t.personRIDs(ctx, b.incs, personRIDs); err != nil {
		return err
	}
	if err := b.insertChildren(ctx, rids, personRIDs); err != nil {
		return err
	}
	_, _, inline := t.s.inlineSearch() // the texts went in with the rows
	for _, p := range fresh {
		if !inline {
			if err := t.indexText(ctx, "person", personRIDs[p.ID], personTable.indexText(p), false); err != nil {
				return err
			}
		}
	}
	snapshot, sums := snaps.wait()
	next := 0 // fresh persons were gathered in record order
	for i, inc := range b.incs {
		for j := range inc.Victims {
			if next < len(fresh) && inc.Victims[j].Person == fresh[next] {
				p := fresh[next]
				next++
				if err := t.keep(ctx, record{kind: store.KindPerson, id: p.ID, actor: b.actor, action: "create",
					version: 1, snapshot: personTable.snapshot(p), at: now}); err != nil {
					return err
				}
			}
		}
		if !inline {
			if err := t.indexText(ctx, "incident", rids[i], b.text(i), false); err != nil {
				return err
			}
		}
		if err := t.keep(ctx, record{kind: store.KindIncident, id: inc.ID, actor: b.actor, action: "import",
			version: 1, snapshot: snapshot[i], sum: &sums[i], at: now}); err != nil {
			return err
		}
	}
	return nil
}

// text is the search text of the chunk's incident i.
func (b *createBatch) text(i int) string {
	if pr := b.preps[i]; pr != nil {
		return withCode(b.incs[i].Code, pr.words)
	}
	return incidentText(b.incs[i])
}

// insertPersons stores the new persons, returning their rids by ID.
func (b *createBatch) insertPersons(ctx context.Context, ps []*model.Person, now time.Time) (map[string]int64, error) {
	rids := make(map[string]int64, len(ps))
	if len(ps) == 0 {
		return rids, nil
	}
	q, inline := b.t.s.insertReturning("persons", personTable.cols, len(ps))
	args := make([]any, 0, 19*len(ps))
	for _, p := range ps {
		args = append(append(append(args, p.ID), personTable.values(p)...), 1, now, now, b.actor, b.actor)
		if inline {
			args = append(args, personTable.indexText(p))
		}
	}
	if err := b.t.returning(ctx, q, args, rids); err != nil {
		return nil, fmt.Errorf("store persons: %w", err)
	}
	return rids, nil
}

// insertIncidents stores the chunk's incidents, returning their rids in
// the chunk's order.
func (b *createBatch) insertIncidents(ctx context.Context, now time.Time, exts [][3]any) ([]int64, error) {
	q, inline := b.t.s.insertReturning("incidents", incidentCols, len(b.incs))
	args := make([]any, 0, 35*len(b.incs))
	for i, inc := range b.incs {
		ext := exts[i]
		args = append(append(append(args, inc.ID, inc.Code), incidentValues(inc)...),
			ext[0], ext[1], ext[2], 1, now, now, b.actor, b.actor)
		if inline {
			args = append(args, b.text(i))
		}
	}
	byID := make(map[string]int64, len(b.incs))
	if err := b.t.returning(ctx, q, args, byID); err != nil {
		return nil, fmt.Errorf("store incidents: %w", err)
	}
	rids := make([]int64, len(b.incs))
	for i, inc := range b.incs {
		if rids[i] = byID[inc.ID]; rids[i] == 0 {
			return nil, fmt.Errorf("store incidents: no rid returned for %s", inc.Code)
		}
	}
	return rids, nil
}

// insertChildren stores the chunk's perpetrators, victims and blocking
// keys, then derives
// their statistics facts from the stored rows (see writeFacts).
func (b *createBatch) insertChildren(ctx context.Context, rids []int64, personRIDs map[string]int64) error {
	var perps, victims []any
	for i, inc := range b.incs {
		for j, p := range inc.Perpetrators {
			perps = append(perps, rids[i], j, p.Type, p.Group, p.ModusOperandi)
		}
		for j, v := range inc.Victims {
			victims = append(victims, rids[i], j, personRIDs[v.PersonID], v.Role, v.Outcome)
		}
	}
	if c := b.t.copier(); c != nil {
		if err := b.t.copyRows(ctx, c, "perpetrators", "incident_rid, seq, type, grp, modus", chop(perps, 5)); err != nil {
			return err
		}
		if err := b.t.copyRows(ctx, c, "victims", "incident_rid, seq, person_rid, role, outcome", chop(victims, 5)); err != nil {
			return err
		}
		if err := b.t.writeNameKeys(ctx, rids, b.incs, false); err != nil {
			return err
		}
		if err := b.copyFacts(ctx, c, rids, personRIDs); err != nil {
			return err
		}
		// The murders among them, as writeNewFacts writes them.
		return b.t.writeImpunity(ctx, rids, false)
	}
	if n := len(perps) / 5; n > 0 {
		if _, err := b.t.Exec(ctx, `INSERT INTO perpetrators (incident_rid, seq, type, grp, modus) VALUES `+
			RowsOf("(?, ?, ?, ?, ?)", n), perps...); err != nil {
			return err
		}
	}
	if n := len(victims) / 5; n > 0 {
		if _, err := b.t.Exec(ctx, `INSERT INTO victims (incident_rid, seq, person_rid, role, outcome) VALUES `+
			RowsOf("(?, ?, ?, ?, ?)", n), victims...); err != nil {
			return err
		}
	}
	if err := b.t.writeNameKeys(ctx, rids, b.incs, false); err != nil {
		return err
	}
	return b.t.writeNewFacts(ctx, rids)
}

// copyIncidents stores the chunk's incidents through a Copier, with rids
// taken first, returning them in the chunk's order.
func (b *createBatch) copyIncidents(ctx context.Context, c Copier, now time.Time, exts [][3]any) ([]int64, error) {
	rids, err := c.NewRIDs(ctx, b.t, "incidents", len(b.incs))
	if err != nil {
		return nil, fmt.Errorf("store incidents: %w", err)
	}
	cols := incidentCols
	var search []any
	if col, _, ok := b.t.s.inlineSearch(); ok {
		texts := make([]string, len(b.incs))
		for i := range b.incs {
			texts[i] = b.text(i)
		}
		if search, err = b.t.searchValues(ctx, c, texts); err != nil {
			return nil, err
		}
		cols += ", " + col
	}
	rows := make([][]any, len(b.incs))
	for i, inc := range b.incs {
		ext := exts[i]
		row := append(append(make([]any, 0, 37), rids[i], inc.ID, inc.Code), incidentValues(inc)...)
		row = append(row, ext[0], ext[1], ext[2], 1, now, now, b.actor, b.actor)
		if search != nil {
			row = append(row, search[i])
		}
		rows[i] = row
	}
	if err := b.t.copyRows(ctx, c, "incidents", cols, rows); err != nil {
		return nil, fmt.Errorf("store incidents: %w", err)
	}
	return rids, nil
}

// chop cuts flat values into rows of n.
func chop(vals []any, n int) [][]any {
	rows := make([][]any, 0, len(vals)/n)
	for i := 0; i+n <= len(vals); i += n {
		rows = append(rows, vals[i:i+n:i+n])
	}
	return rows
}

// insertReturning is an INSERT of n rows into table, of cols without its
// leading "rid, ", returning each row's rid and id. With an InlineIndexer
// each row also sets the search column, from one more value at its end
// (inline is then true).
func (s *DB) insertReturning(table, cols string, n int) (q string, inline bool) {
	cols = strings.TrimPrefix(cols, "rid, ")
	row := strings.Repeat("?, ", strings.Count(cols, ",")) + "?"
	if col, expr, ok := s.inlineSearch(); ok {
		cols, row, inline = cols+", "+col, row+", "+expr, true
	}
	return `INSERT INTO ` + table + ` (` + cols + `) VALUES ` + RowsOf("("+row+")", n) + ` RETURNING rid, id`, inline
}

// personRIDs adds to m the rids of the victims given by person ID (the
// persons created with the chunk are in m already).
func (t *Tx) personRIDs(ctx context.Context, incs []*model.Incident, m map[string]int64) error {
	var ids []any
	for _, inc := range incs {
		for _, v := range inc.Victims {
			if _, ok := m[v.PersonID]; !ok {
				m[v.PersonID] = 0 // asked once
				ids = append(ids, v.PersonID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return t.returning(ctx, `SELECT rid, id FROM persons WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids, m)
}

// returning runs a query of rows (rid, id), such as an INSERT … RETURNING
// rid, id, into m (id → rid).
func (t *Tx) returning(ctx context.Context, q string, args []any, m map[string]int64) error {
	rows, err := t.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var id string
		if err := rows.Scan(&rid, &id); err != nil {
			return fmt.Errorf("read inserted rows: %w", err)
		}
		m[id] = rid
	}
	return rows.Err()
}

// newMeta is the bookkeeping of a record's first version.
func newMeta(now time.Time, actor string) model.Meta {
	return model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
}
