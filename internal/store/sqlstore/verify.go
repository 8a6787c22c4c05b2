package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store"
)

// 'rasd audit verify' (docs/audit.md) reads the whole log, the whole
// history and every record in one read transaction, a page at a time by
// primary key: memory stays bounded however large the database, the
// pages see one consistent state while writes go on, and PostgreSQL,
// which runs one query at a time on a connection, is never asked for two.

// auditPage is how many entries one query of the chain check reads.
const auditPage = 5000

// readTx is a querier over a read transaction.
type readTx struct {
	tx *sql.Tx
	d  Dialect
}

func (q readTx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return q.tx.QueryRowContext(ctx, q.d.Rebind(query), args...)
}

func (q readTx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.tx.QueryContext(ctx, q.d.Rebind(query), args...)
}

// logInfo is what the chain check keeps for the record checks.
type logInfo struct {
	head      audit.Head
	n         int64
	creations int64                 // entries recording a version (Version > 0)
	roots     map[int64][32]byte    // Merkle roots at the checkpoints' sizes
	purges    map[string][]purgeRef // kind/id → its purge:history entries, in order
	rotated   map[string]int64      // compartment → its last rotation's entry
	imports   map[string]*importRef // import ID → its entry (verify_imports.go)
}

type purgeRef struct {
	seq    int64
	digest string
}

func recordKey(kind, id string) string { return kind + "/" + id }

// VerifyLog implements store.Store.
func (s *DB) VerifyLog(ctx context.Context, opt store.VerifyOptions) (store.VerifyReport, error) {
	var rep store.VerifyReport
	cps := append([]audit.Checkpoint(nil), opt.Checkpoints...)
	if s.anchor != nil {
		st, err := s.anchor.Load()
		switch {
		case errors.Is(err, audit.ErrNoCheckpoint):
		case err != nil:
			return rep, err
		default:
			rep.Stored = st
			cps = append(cps, st.Checkpoint)
		}
	}
	// SQLite's read transaction is a snapshot already; PostgreSQL's must
	// be asked for one.
	txo := &sql.TxOptions{ReadOnly: true}
	if s.d.Name() == "postgres" {
		txo.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, txo)
	if err != nil {
		return rep, err
	}
	defer tx.Rollback()
	q := readTx{tx, s.d}
	lg, err := verifyChain(ctx, q, opt.Key, cps)
	rep.Entries = lg.n
	if err != nil {
		return rep, err
	}
	for _, c := range cps {
		if err := lg.contains(c); err != nil {
			return rep, err
		}
	}
	rv := &recordVerifier{s: s, q: q, log: lg}
	if err := rv.run(ctx); err != nil {
		return rep, err
	}
	if err := rv.imports(ctx); err != nil {
		return rep, err
	}
	rep.Versions, rep.Records, rep.Imported = rv.versions, rv.records, rv.imported
	return rep, nil
}

// verifyChain checks every entry's hash and link, and the sealed head,
// computing the Merkle root at each checkpoint's size on the way.
func verifyChain(ctx context.Context, q readTx, key []byte, cps []audit.Checkpoint) (*logInfo, error) {
	lg := &logInfo{roots: map[int64][32]byte{}, purges: map[string][]purgeRef{}, rotated: map[string]int64{}, imports: map[string]*importRef{}}
	err := q.QueryRow(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&lg.head.Seq, &lg.head.Hash, &lg.head.MAC)
	if err != nil {
		return lg, &audit.Error{Seq: 0, Reason: "the audit head cannot be read (" + err.Error() + ")"}
	}
	want := map[int64]bool{}
	for _, c := range cps {
		want[c.Size] = true
	}
	var tree audit.Tree
	if want[0] {
		lg.roots[0] = tree.Root()
	}
	v := audit.NewVerifier(key)
	after := int64(math.MinInt64) // an entry numbered 0 or less is reported, not skipped
	for {
		page, err := auditEntries(ctx, q, after)
		if err != nil {
			return lg, err
		}
		for _, e := range page {
			if err := v.Add(e); err != nil {
				return lg, err
			}
			leaf, err := audit.LeafHash(e)
			if err != nil {
				return lg, err
			}
			tree.Append(leaf)
			if want[tree.Size()] {
				lg.roots[tree.Size()] = tree.Root()
			}
			lg.note(e)
		}
		if len(page) < auditPage {
			break
		}
		after = page[len(page)-1].Seq
	}
	lg.n, err = v.Finish(lg.head)
	return lg, err
}

func auditEntries(ctx context.Context, q readTx, after int64) ([]audit.Entry, error) {
	rows, err := q.Query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT `+fmt.Sprint(auditPage), after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// note keeps what the record checks need to know of e.
func (lg *logInfo) note(e audit.Entry) {
	switch {
	case e.Version > 0:
		lg.creations++
	case e.Action == "purge:history":
		k := recordKey(e.Kind, e.RecordID)
		lg.purges[k] = append(lg.purges[k], purgeRef{e.Seq, e.Digest})
	case e.Action == "rotate" && strings.HasPrefix(e.Kind, "compartment:"):
		lg.rotated[strings.TrimPrefix(e.Kind, "compartment:")] = e.Seq
	case e.Action == "import" && e.Kind == ImportKind:
		lg.imports[e.RecordID] = &importRef{id: e.RecordID, seq: e.Seq, root: e.Digest, actor: e.Actor}
	}
}

// contains checks that the log holds checkpoint c: as many entries at
// least, and the same Merkle root at c's size.
func (lg *logInfo) contains(c audit.Checkpoint) error {
	if c.Size > lg.n {
		return &audit.CheckpointError{Size: c.Size, LogSize: lg.n, Reason: fmt.Sprintf(
			"the log ends at entry %d: its newest entries were deleted or history rewritten", lg.n)}
	}
	if lg.roots[c.Size] != c.Root {
		return &audit.CheckpointError{Size: c.Size, LogSize: lg.n, Reason: fmt.Sprintf(
			"its first %d entries are not those the checkpoint signed: history rewritten", c.Size)}
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%x", sum)
}
