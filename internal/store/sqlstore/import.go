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
	each := func(yield func(*model.Incident) error) error {
		for i := range incs {
			if err := yield(&incs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	res, err := s.importIncidents(ctx, actor, len(incs), each, progress, s.importChunk, nil)
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
		res, err = s.importIncidents(ctx, actor, len(incs), each, progress, 0, nil)
	}
	return res, err
}

// ImportEach implements store.Store as ImportIncidents does; records
// makes new values each time, so a second, record-by-record run after a
// failed chunk needs nothing undone.
func (s *DB) ImportEach(ctx context.Context, actor string, n int, records store.Records, progress func(int)) (store.ImportResult, error) {
	return s.ImportEachThen(ctx, actor, n, records, progress, nil)
}

// ImportEachThen implements store.Store.
func (s *DB) ImportEachThen(ctx context.Context, actor string, n int, records store.Records, progress func(int), then store.ImportThen) (store.ImportResult, error) {
	res, err := s.importIncidents(ctx, actor, n, records, progress, s.importChunk, then)
	var chunk *errChunk
	if errors.As(err, &chunk) {
		res, err = s.importIncidents(ctx, actor, n, records, progress, 0, then)
	}
	return res, err
}

// importTx is an ImportThen's view of the import's transaction.
type importTx struct {
	t     *Tx
	actor string
}

func (x importTx) ExternalIDs(ctx context.Context, system string) (map[string]string, error) {
	return externalIDs(ctx, x.t, system)
}

func (x importTx) AddJudicialStep(ctx context.Context, s *model.JudicialStep) error {
	_, err := stepTable.create(ctx, x.t, x.actor, s)
	return err
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

// lookupWindow is how many records an import reads ahead to look their
// external keys up together: a few queries per window instead of one per
// record, and no more of the file in memory than a window and a chunk.
const lookupWindow = 1000

// importIncidents imports the n records of each in one transaction,
// chunk new incidents at a time (0: one by one), then runs then (if any).
func (s *DB) importIncidents(ctx context.Context, actor string, n int, each store.Records, progress func(int), chunk int, then store.ImportThen) (store.ImportResult, error) {
	var res store.ImportResult
	done := 0
	err := s.writeImport(ctx, n, func(t *Tx) error {
		res, done = store.ImportResult{}, 0
		rebuild, err := t.deferIndexes(ctx, n)
		if err != nil {
			return err
		}
		t.commit = newImportCommit(actor)
		imp := &importRun{t: t, actor: actor, chunk: chunk, res: &res, progress: progress,
			batch: &createBatch{t: t, actor: actor, size: chunk}, known: map[string]string{}}
		records := each
		if chunk > 0 {
			imp.prep = &preparer{}
			records = imp.prep.records(each)
		}
		window := make([]*model.Incident, 0, lookupWindow)
		err = records(func(inc *model.Incident) error {
			if window = append(window, inc); len(window) < lookupWindow {
				return nil
			}
			err := imp.records(ctx, window, done)
			done += len(window)
			window = window[:0]
			return err
		})
		if err != nil {
			return err
		}
		if err := imp.records(ctx, window, done); err != nil {
			return err
		}
		done += len(window)
		if err := imp.batch.flush(ctx); err != nil {
			return err
		}
		if err := rebuild(ctx); err != nil {
			return err
		}
		if then != nil {
			if err := then(ctx, importTx{t, actor}); err != nil {
				return err
			}
		}
		return t.finishImport(ctx)
	})
	if err != nil {
		return store.ImportResult{}, err
	}
	if progress != nil {
		progress(done)
	}
	return res, nil
}

// importRun is one run of an import's transaction.
type importRun struct {
	t        *Tx
	actor    string
	chunk    int
	batch    *createBatch
	known    map[string]string // extKey → ID, of the records stored and of those this import creates
	prep     *preparer         // nil when records are written one by one
	res      *store.ImportResult
	progress func(int)
	analyzed int // records written at the last ImportAnalyzer run
}

// records stores incs, the records after the first before of the import.
func (r *importRun) records(ctx context.Context, incs []*model.Incident, before int) error {
	t := r.t
	if err := r.analyze(ctx, before); err != nil {
		return err
	}
	if err := t.externalIDs(ctx, incs, r.known); err != nil {
		return err
	}
	for k, inc := range incs {
		num := before + k + 1
		key, keyed := extKey(inc.External)
		id := r.known[key]
		pr := r.prep.take(inc)
		switch {
		case id == "" && r.chunk > 0 && batchable(inc):
			if err := r.batch.add(ctx, num, inc, pr); err != nil {
				return err
			}
			r.res.Created++
		case id == "":
			if err := r.batch.flush(ctx); err != nil {
				return err
			}
			if err := t.createIncident(ctx, r.actor, "import", inc); err != nil {
				return fmt.Errorf("record %d: %w", num, err)
			}
			r.res.Created++
		default:
			if err := r.batch.flush(ctx); err != nil { // it may hold the record this one updates
				return err
			}
			inc.ID = id
			changed, err := t.updateIncident(ctx, r.actor, "import", inc, true)
			if err != nil {
				return fmt.Errorf("record %d: %w", num, err)
			}
			if changed {
				r.res.Updated++
			} else {
				r.res.Unchanged++
			}
		}
		if keyed && id == "" {
			r.known[key] = inc.ID // the same record again later in the file updates this one
		}
		if r.progress != nil && num%500 == 0 {
			r.progress(num)
		}
	}
	return nil
}

// ImportAnalyzer is implemented by a Dialect whose planner works from
// statistics that an import outdates as it goes (PostgreSQL): planned for
// the few incidents the statistics knew of, the lookup of a window's
// external keys read every incident with the same system, a scan of the
// whole table per window (BENCHMARKS.md).
type ImportAnalyzer interface {
	// AnalyzeImport brings the statistics of incidents up to date, in the
	// import's transaction (which sees its own rows).
	AnalyzeImport(ctx context.Context, tx *Tx) error
}

// analyze runs the dialect's ImportAnalyzer each time the import has
// doubled the rows it had written at the last run (from 1,000).
func (r *importRun) analyze(ctx context.Context, done int) error {
	a := r.t.s.caps.ImportAnalyzer
	if a == nil || done < 2*max(r.analyzed, lookupWindow/2) {
		return nil
	}
	r.analyzed = done
	return a.AnalyzeImport(ctx, r.t)
}

// extKey is the map key of an external reference, if it has one.
func extKey(ext *model.External) (string, bool) {
	if ext == nil || ext.System == "" || ext.ID == "" {
		return "", false
	}
	return ext.System + "\x00" + ext.ID, true
}

// externalIDs adds to known the incidents already stored for the records
// of incs whose external keys it does not hold yet: a few queries for many
// records instead of one per record.
func (t *Tx) externalIDs(ctx context.Context, incs []*model.Incident, known map[string]string) error {
	const chunk = 500
	bySystem := map[string][]any{}
	for _, inc := range incs {
		if key, ok := extKey(inc.External); ok {
			if _, done := known[key]; !done {
				bySystem[inc.External.System] = append(bySystem[inc.External.System], inc.External.ID)
			}
		}
	}
	for system, ids := range bySystem {
		for len(ids) > 0 {
			part := ids[:min(chunk, len(ids))]
			ids = ids[len(part):]
			q := `SELECT ext_id, id FROM incidents WHERE ext_system = ? AND ext_id IN (?` + strings.Repeat(", ?", len(part)-1) + `)`
			rows, err := t.Query(ctx, q, append([]any{system}, part...)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var ext, id string
				if err := rows.Scan(&ext, &id); err != nil {
					rows.Close()
					return fmt.Errorf("read external ids: %w", err)
				}
				known[system+"\x00"+ext] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("read external ids: %w", err)
			}
		}
	}
	return nil
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
	d := t.s.caps.IndexDeferrer
	if d == nil {
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
	appended, err := s.writeImportOn(ctx, n, fn)
	if err == nil && appended {
		s.advanceAnchor(ctx) // after the import has given the file back
	}
	return err
}

func (s *DB) writeImportOn(ctx context.Context, n int, fn func(*Tx) error) (bool, error) {
	tu := s.caps.ImportTuner
	if tu == nil && s.caps.Copier == nil {
		return s.writeOn(ctx, s.db, fn)
	}
	// A connection of its own: to set it up, or to copy on it.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	// A connection whose transaction could not be ended (writeOn, ErrStuck)
	// is left alone: closing it or setting it back would wait forever.
	defer func() {
		if !s.stuck.Load() {
			conn.Close()
		}
	}()
	if tu != nil {
		end, err := tu.BeginImport(ctx, conn, n)
		if err != nil {
			return false, err
		}
		if end != nil {
			defer func() {
				if !s.stuck.Load() {
					end()
				}
			}()
		}
	}
	return s.writeOn(ctx, conn, fn)
}
