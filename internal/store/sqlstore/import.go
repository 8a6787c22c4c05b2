package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// ImportIncidents implements store.Store: one transaction for the whole
// file, so a failure at any record leaves the store exactly as it was.
// New incidents are written in chunks (createBatch); if a chunk fails, the
// import runs again record by record so that the error names the record.
func (s *DB) ImportIncidents(ctx context.Context, actor string, incs []model.Incident, progress func(int)) (store.ImportResult, error) {
	fresh := inlinePersons(incs)
	res, err := s.importIncidents(ctx, actor, incs, progress, s.importChunk)
	var chunk *errChunk
	if errors.As(err, &chunk) {
		// The failed transaction rolled back; undo what it gave the records.
		for _, p := range fresh {
			p.ID, p.Meta = "", model.Meta{}
		}
		for i := range incs {
			for j := range incs[i].Victims {
				if v := &incs[i].Victims[j]; v.Person != nil && v.Person.ID == "" {
					v.PersonID = ""
				}
			}
		}
		res, err = s.importIncidents(ctx, actor, incs, progress, 0)
	}
	return res, err
}

// inlinePersons lists the victims' persons given inline, without ID: the
// ones an import creates (or, re-importing, matches by position).
func inlinePersons(incs []model.Incident) []*model.Person {
	var out []*model.Person
	for i := range incs {
		for _, v := range incs[i].Victims {
			if v.Person != nil && v.Person.ID == "" && v.PersonID == "" {
				out = append(out, v.Person)
			}
		}
	}
	return out
}

func (s *DB) importIncidents(ctx context.Context, actor string, incs []model.Incident, progress func(int), chunk int) (store.ImportResult, error) {
	var res store.ImportResult
	err := s.writeImport(ctx, len(incs), func(t *Tx) error {
		res = store.ImportResult{}
		known, err := t.externalIDs(ctx, incs)
		if err != nil {
			return err
		}
		rebuild, err := t.deferIndexes(ctx, len(incs))
		if err != nil {
			return err
		}
		batch := &createBatch{t: t, actor: actor, size: chunk}
		for i := range incs {
			inc := &incs[i]
			key, keyed := extKey(inc.External)
			id := known[key]
			switch {
			case id == "" && chunk > 0 && batchable(inc):
				if err := batch.add(ctx, i+1, inc); err != nil {
					return err
				}
				res.Created++
			case id == "":
				if err := batch.flush(ctx); err != nil {
					return err
				}
				if err := t.createIncident(ctx, actor, "import", inc); err != nil {
					return fmt.Errorf("record %d: %w", i+1, err)
				}
				res.Created++
			default:
				if err := batch.flush(ctx); err != nil { // it may hold the record this one updates
					return err
				}
				inc.ID = id
				changed, err := t.updateIncident(ctx, actor, "import", inc, true)
				if err != nil {
					return fmt.Errorf("record %d: %w", i+1, err)
				}
				if changed {
					res.Updated++
				} else {
					res.Unchanged++
				}
			}
			if keyed && id == "" {
				known[key] = inc.ID // the same record again later in the file updates this one
			}
			if progress != nil && (i+1)%500 == 0 {
				progress(i + 1)
			}
		}
		if err := batch.flush(ctx); err != nil {
			return err
		}
		return rebuild(ctx)
	})
	if err != nil {
		return store.ImportResult{}, err
	}
	if progress != nil {
		progress(len(incs))
	}
	return res, nil
}

// extKey is the map key of an external reference, if it has one.
func extKey(ext *model.External) (string, bool) {
	if ext == nil || ext.System == "" || ext.ID == "" {
		return "", false
	}
	return ext.System + "\x00" + ext.ID, true
}

// externalIDs finds the incidents already imported from the records of
// incs, by extKey: a few queries for the whole file instead of one per
// record.
func (t *Tx) externalIDs(ctx context.Context, incs []model.Incident) (map[string]string, error) {
	const chunk = 500
	bySystem := map[string][]any{}
	for i := range incs {
		if _, ok := extKey(incs[i].External); ok {
			e := incs[i].External
			bySystem[e.System] = append(bySystem[e.System], e.ID)
		}
	}
	known := map[string]string{}
	for system, ids := range bySystem {
		for len(ids) > 0 {
			part := ids[:min(chunk, len(ids))]
			ids = ids[len(part):]
			q := `SELECT ext_id, id FROM incidents WHERE ext_system = ? AND ext_id IN (?` + strings.Repeat(", ?", len(part)-1) + `)`
			rows, err := t.Query(ctx, q, append([]any{system}, part...)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var ext, id string
				if err := rows.Scan(&ext, &id); err != nil {
					rows.Close()
					return nil, err
				}
				known[system+"\x00"+ext] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return known, nil
}

// ImportTuner is implemented by a Dialect that sets a connection up
// differently for a large import (SQLite: a larger page cache).
type ImportTuner interface {
	// BeginImport prepares conn, before the transaction, for an import of
	// n records. If it returns end, end runs after the transaction, whatever
	// its outcome; an error from end does not undo a committed import.
	BeginImport(ctx context.Context, conn *sql.Conn, n int) (end func(), err error)
}

// IndexDeferrer is implemented by a Dialect that can drop secondary
// indexes for a large import, inside its transaction, and build them again
// before it commits: for an import that at least doubles a table, building
// an index once from the finished table is quicker than adding every new
// row's entries one by one to an index that large, in random order.
type IndexDeferrer interface {
	// DeferIndexes drops what it chooses to for an import of n records and
	// returns what builds it again (nil if it dropped nothing).
	DeferIndexes(ctx context.Context, tx *Tx, n int) (rebuild func(context.Context) error, err error)
}

// deferIndexes asks the dialect to defer indexes for an import of n
// records; the returned function (never nil) builds them again.
func (t *Tx) deferIndexes(ctx context.Context, n int) (func(context.Context) error, error) {
	none := func(context.Context) error { return nil }
	d, ok := t.s.d.(IndexDeferrer)
	if !ok {
		return none, nil
	}
	rebuild, err := d.DeferIndexes(ctx, t, n)
	if err != nil || rebuild == nil {
		return none, err
	}
	return rebuild, nil
}

// writeImport is write for an import of n records, on a connection set up
// by the dialect's ImportTuner if it has one.
func (s *DB) writeImport(ctx context.Context, n int, fn func(*Tx) error) error {
	tu, ok := s.d.(ImportTuner)
	if !ok {
		return s.write(ctx, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	end, err := tu.BeginImport(ctx, conn, n)
	if err != nil {
		return err
	}
	if end != nil {
		defer end()
	}
	return s.writeOn(ctx, conn, fn)
}
