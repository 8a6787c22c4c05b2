// Package sqlstore is the SQL core shared by rasd's SQLite and PostgreSQL
// stores: every query, the history and the audit chain are written once
// here, and a Dialect supplies what differs (placeholders, migrations,
// full-text search).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/searchtext"
	"github.com/rasd-project/rasd/internal/store/migrations"
)

// Dialect is what differs between the SQL backends.
type Dialect interface {
	Name() string
	// Rebind rewrites '?' placeholders into the backend's form.
	Rebind(query string) string
	// LockHead is appended to a query, inside a write transaction, that
	// reads a row the transaction will change (the audit head, a
	// compartment, an account's recovery codes): " FOR UPDATE" on
	// PostgreSQL.
	LockHead() string
	// IndexText sets the search text of row rid of table ("incident" or
	// "person"); replace is false for a new row.
	IndexText(ctx context.Context, tx *Tx, table string, rid int64, text string, replace bool) error
	// Match returns a query yielding the rids of table's rows matching all
	// terms, each by any of its forms (a word beginning with one of its
	// Prefixes, or its Key whole), highest rid first, at most limit; with
	// limit 0, all of them in no order (for use inside IN (…)).
	Match(table string, terms []searchtext.Term, limit int) (query string, args []any)
	// Capabilities declares what else the dialect does.
	Capabilities() Capabilities
}

// Capabilities are what a dialect does beyond Dialect: each field is the
// dialect itself where it has the capability, nil where it has not. A
// dialect declares them once; the core never asks a dialect's type.
type Capabilities struct {
	BatchIndexer    BatchIndexer
	InlineIndexer   InlineIndexer
	VocabPruner     VocabPruner
	SearchCompactor SearchCompactor
	ImportTuner     ImportTuner
	IndexDeferrer   IndexDeferrer
	NewestMatcher   NewestMatcher
	Copier          Copier
	ImportAnalyzer  ImportAnalyzer
}

// DB is a Store over database/sql.
type DB struct {
	db       *sql.DB
	d        Dialect
	caps     Capabilities
	auditKey []byte
	layerKey []byte // of compartment key wraps, derived from auditKey (wraplayer.go)
	authKey  []byte // MACs accounts and sessions (authority.go)
	// anchor, if set, keeps the signed checkpoint in the data directory:
	// checked before a write appends to the log, advanced after it commits
	// (anchor.go); anchorErr hears of an advance that failed.
	anchor    *audit.Anchor
	anchorErr func(error)
	now       func() time.Time
	stmts     stmtCache
	// importChunk is how many new incidents an import writes together.
	importChunk int
	// stuck is set when a write transaction could not be ended after the
	// driver panicked inside it (writeOn): no write is tried after it.
	stuck atomic.Bool
}

// ErrStuck is the error of every write after one that the database driver
// left unable to end (SQLite out of memory): its connection still holds
// the transaction, and only a new process can free it. SQLite undoes the
// transaction then, as after a crash.
var ErrStuck = errors.New("a write could not be ended after the database driver failed (SQLite ran out of memory); " +
	"rasd takes no more writes: stop it and start it again (what was being written is undone then)")

// rollbackWait is how long a write whose driver panicked waits for its
// transaction to end before the store gives up on it (writeOn).
var rollbackWait = 10 * time.Second

// New wraps an open database. auditKey seals the audit head. Migrations
// run at once; a fresh database gets its sealed, empty audit head.
func New(ctx context.Context, db *sql.DB, d Dialect, auditKey []byte) (*DB, error) {
	s := &DB{db: db, d: d, caps: d.Capabilities(), auditKey: auditKey, layerKey: layerKey(auditKey),
		authKey: authorityKey(auditKey), now: time.Now, importChunk: createChunk}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// SQL returns the underlying pool (for backend-specific maintenance).
func (s *DB) SQL() *sql.DB { return s.db }

// Backend names the dialect.
func (s *DB) Backend() string { return s.d.Name() }

// Close closes the pool.
func (s *DB) Close() error {
	s.stmts.close()
	return s.db.Close()
}

// migrate applies the migrations of the one schema sequence (package
// migrations) that the database has not had, in order, each in its own
// transaction. What a database has had is known by name: a database
// migrated before there was one sequence recorded its dialect's file
// names and numbers, which are rewritten to the sequence's first.
func (s *DB) migrate(ctx context.Context) error {
	seq, err := migrations.For(s.d.Name())
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	applied, err := s.renumber(ctx, seq)
	if err != nil {
		return err
	}
	for _, m := range seq {
		if applied[m.Name] {
			continue
		}
		err = s.write(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			if m.Version == 1 {
				h := audit.Seal(s.auditKey, audit.Entry{})
				if _, err := tx.Exec(ctx, `INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?)`, h.Seq, h.Hash, h.MAC); err != nil {
					return err
				}
			}
			if step := goSteps[m.Name]; step != nil {
				if err := step(tx, ctx); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// renumber returns the names of the migrations the database has had,
// first rewriting schema_migrations into the sequence's numbers and names
// if it holds another form (see migrate).
func (s *DB) renumber(ctx context.Context, seq []migrations.Migration) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	number := map[string]int{}
	for _, m := range seq {
		number[m.Name] = m.Version
	}
	applied := map[string]bool{}
	stale := false
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("migrations: %w", err)
		}
		c := migrations.Canonical(name)
		if _, known := number[c]; !known {
			rows.Close()
			return nil, fmt.Errorf("the database has had migration %d %q, which this rasd does not know: it was written by a newer rasd; run that version", v, name)
		}
		applied[c] = true
		stale = stale || c != name || number[c] != v
	}
	rows.Close()
	if err := rows.Err(); err != nil || !stale {
		return applied, err
	}
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM schema_migrations`); err != nil {
			return err
		}
		for _, m := range seq {
			if applied[m.Name] {
				if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("migrations: renumbering into one sequence: %w", err)
	}
	return applied, nil
}

// goSteps are the parts of migrations that SQL cannot do (they need a
// key), by the migration's name without its number: each runs after the
// file's SQL, in the same transaction.
var goSteps = map[string]func(*Tx, context.Context) error{
	"wrap_layer":    (*Tx).layerWraps,
	"authority_mac": (*Tx).upgradeAuthority,
	"search_names":  (*Tx).reindexSearch,
	// Not a key: the deadline rules are Go's (package accountability).
	"commitment_due": (*Tx).backfillCommitmentDue,
	"impunity":       (*Tx).backfillImpunity,
	"impunity_again": (*Tx).backfillImpunity,
	// Not a key: the name keys are Go's (package names).
	// 0040's and 0044's rows are written by 0046's step, which makes the
	// table again with the columns the current rows have.
	"incident_name_keys": func(*Tx, context.Context) error { return nil },
	"name_keys_again":    func(*Tx, context.Context) error { return nil },
	"name_keys_sigs":     (*Tx).backfillNameKeys,
	"victim_names":       (*Tx).backfillVictimNames,
}

// Tx is a write transaction that appends to the audit chain.
type Tx struct {
	tx    *sql.Tx
	s     *DB
	stmts map[string]*sql.Stmt
	head  *audit.Head // loaded on first append
	last  audit.Entry
	index indexQueue // search texts for a BatchIndexer, written at commit
	// appends holds versions and audit entries for multi-row inserts.
	appends appendQueue
	codes   map[string]int // code prefix → last number given (see nextCode)
	// dropped holds the words of text purged from the history, for a
	// VocabPruner at commit.
	dropped map[string]bool
	// conn is the connection of a transaction begun on one (an import's),
	// for a Copier; words caches a Copier's index forms of words.
	conn  *sql.Conn
	words map[string][]string
	// commit gathers the records an import creates, for its one entry
	// (import_commit.go); nil outside an import.
	commit *importCommit
}

// Exec runs a statement, prepared once per transaction. Its error names
// the statement, so that callers may pass it on as it is.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", statement(q), err)
	}
	return res, nil
}

// QueryRow runs a one-row query, prepared once per transaction.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.prepare(ctx, q)
	if err != nil {
		return t.tx.QueryRowContext(ctx, t.s.d.Rebind(q), args...) // reports err
	}
	return st.QueryRowContext(ctx, args...)
}

// Query runs a query, prepared once per transaction; its error names the
// statement.
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", statement(q), err)
	}
	return rows, nil
}

func (t *Tx) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, t.s.d.Rebind(q))
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", statement(q), err)
	}
	t.stmts[q] = st
	return st, nil
}

// write runs fn in a transaction; the audit head is sealed and everything
// committed only if fn succeeds, so a failure leaves the store as it was.
func (s *DB) write(ctx context.Context, fn func(*Tx) error) error {
	appended, err := s.writeOn(ctx, s.db, fn)
	if err == nil && appended {
		s.advanceAnchor(ctx)
	}
	return err
}

// writeOn is write on a given connection (or the pool), without advancing
// the anchor: it reports whether the transaction appended to the log.
func (s *DB) writeOn(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, fn func(*Tx) error) (appended bool, err error) {
	if s.stuck.Load() {
		return false, ErrStuck
	}
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	t := &Tx{tx: sqlTx, s: s, stmts: map[string]*sql.Stmt{}}
	t.conn, _ = db.(*sql.Conn)
	committed := false
	defer func() {
		for _, st := range t.stmts {
			st.Close()
		}
		if committed {
			return
		}
		p := recover()
		if p == nil {
			sqlTx.Rollback()
			return
		}
		// fn panicked. A transaction left open holds its connection, and
		// closing that connection would wait forever, so it is rolled
		// back. But a panic inside a statement (the SQLite driver's, when
		// SQLite runs out of memory) leaves database/sql's transaction
		// locked for good, and Rollback would wait forever too: it is
		// given rollbackWait, then the store takes no more writes. The
		// panic goes on to the caller either way.
		ended := make(chan struct{})
		go func() {
			sqlTx.Rollback()
			close(ended)
		}()
		select {
		case <-ended:
		case <-time.After(rollbackWait):
			s.stuck.Store(true)
		}
		panic(p)
	}()
	if err = fn(t); err != nil {
		return false, err
	}
	if err = t.flushIndex(ctx); err != nil {
		return false, err
	}
	if err = t.pruneVocab(ctx); err != nil {
		return false, err
	}
	if err = t.flushAppends(ctx); err != nil {
		return false, err
	}
	if err = t.flushCodes(ctx); err != nil {
		return false, err
	}
	appended = t.head != nil && t.last.Seq > t.head.Seq
	if appended {
		h := audit.Seal(s.auditKey, t.last)
		if _, err = t.Exec(ctx, `UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1`, h.Seq, h.Hash, h.MAC); err != nil {
			return false, err
		}
	}
	committed = true // even if Commit fails: it ends the transaction either way
	return appended, sqlTx.Commit()
}

// lockAudit loads the audit head, locking it (PostgreSQL) until the
// transaction ends. Every write takes it at its first audit entry; a write
// that must see what a concurrent one adds takes it before it reads, so
// that the two run one after the other.
func (t *Tx) lockAudit(ctx context.Context) error {
	if t.head != nil {
		return nil
	}
	var h audit.Head
	err := t.QueryRow(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`+t.s.d.LockHead()).Scan(&h.Seq, &h.Hash, &h.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return errors.New("the audit head is missing: the audit log was tampered with; run 'rasd audit verify'")
	}
	if err != nil {
		return err
	}
	// A head that does not verify was written by someone without the key:
	// appending would seal their entries with ours.
	if err := audit.CheckHead(t.s.auditKey, h); err != nil {
		return fmt.Errorf("%w; refusing to write: run 'rasd audit verify' (docs/audit.md)", err)
	}
	if t.s.anchor != nil {
		if err := t.s.anchor.Check(h); err != nil {
			return fmt.Errorf("%w; refusing to write: run 'rasd audit verify' (docs/audit.md)", err)
		}
	}
	t.head = &h
	t.last = audit.Entry{Seq: h.Seq, Hash: h.Hash}
	return nil
}

// appendAudit adds an entry to the chain inside the transaction.
func (t *Tx) appendAudit(ctx context.Context, e audit.Entry) error {
	if err := t.lockAudit(ctx); err != nil {
		return err
	}
	e = audit.Next(audit.Head{Seq: t.last.Seq, Hash: t.last.Hash}, e)
	err := t.appendRow(ctx, auditTable,
		e.Seq, e.At.Format(time.RFC3339Nano), e.Actor, e.Action, e.Kind, e.RecordID, e.Version, e.Digest, e.Prev, e.Hash)
	if err != nil {
		return err
	}
	t.last = e
	return nil
}

// clock is the time of a write, at the microsecond precision both backends
// keep, so that what a write returns equals what a read gives back.
func (s *DB) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
