package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// BulkImports lets a large import (1,000 records or more) take the database
// for itself when no other connection has it open: it then writes through a
// rollback journal instead of the WAL, 1.5 to 1.9 times as fast
// (BENCHMARKS.md), and may build indexes once at the end (DeferIndexes). For
// `rasd import` and the generation of `rasd demo`, which run alone. A server
// does not set it, so its readers are never held up; and an import that
// finds the file open elsewhere (a running server) quietly keeps the WAL.
//
// Why it is faster: in WAL mode every page of a transaction is written
// twice, to the WAL and then into the file at the checkpoint, and pages
// that do not fit the cache are written to the WAL and read back. With a
// rollback journal, the pages an import adds at the end of the file are
// written once, into the file; only pages that held data before are first
// copied to the journal, which the encrypting VFS encrypts like the file.
//
// What it costs: while the import runs, other processes cannot open the
// database; they wait for the busy timeout, then fail with an error that
// says why. The journal mode is kept in the file, so the import puts the
// WAL back when it ends; should the process die first, the next connection
// rolls the unfinished transaction back from the journal, and its hook
// (open) puts the WAL back.
func BulkImports() Option { return func(d *dialect) { d.bulk = true } }

// busyTimeoutMS is how long a connection waits for a lock (open's hook);
// a variable for tests only.
var busyTimeoutMS = 10000

// maxIdleConns is how many idle connections the pool keeps (database/sql's
// default, which open leaves as it is).
const maxIdleConns = 2

// beginBulk switches conn's database to a rollback journal, and reports
// whether it did: not when another connection has the file open, which is
// not an error. Idle connections of conn's own pool would be such others,
// so they are closed first.
func beginBulk(ctx context.Context, pool *sql.DB, conn *sql.Conn) (bool, error) {
	pool.SetMaxIdleConns(0)
	pool.SetMaxIdleConns(maxIdleConns)
	// Another connection holding the file makes the switch fail: at once,
	// rather than after the busy timeout.
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout=0`); err != nil {
		return false, err
	}
	var mode string
	err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode)
	if _, e := conn.ExecContext(ctx, `PRAGMA busy_timeout=`+strconv.Itoa(busyTimeoutMS)); err == nil {
		err = e
	}
	switch {
	case errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.LOCKED):
		return false, nil
	case err != nil:
		endBulk(conn)
		return false, err
	case mode != "delete":
		return false, nil
	}
	// NORMAL keeps a WAL database whole through a power cut, but not one
	// with a rollback journal: that needs FULL. Temporary storage stays in
	// memory (see DeferIndexes), set again after a change to files, which
	// closes a temporary database the connection may have used (migrations
	// do): until then SQLite refuses to change it inside the transaction.
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous=FULL; PRAGMA temp_store=FILE; PRAGMA temp_store=MEMORY`); err != nil {
		endBulk(conn)
		return false, err
	}
	return true, nil
}

// endBulk puts the WAL back. Its error is not reported: the connection is
// closed next, and every new connection asks for the WAL anyway (open).
func endBulk(conn *sql.Conn) {
	conn.ExecContext(context.Background(), `PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY`)
}

// deferredTables are the tables whose secondary indexes a bulk import may
// build again: those it adds rows to. Unique indexes stay, as the import
// looks records up through them (and they enforce uniqueness); so do the
// full-text indexes, which FTS5 fills in large segments anyway.
var deferredTables = []string{"incidents", "persons", "victims", "perpetrators", "stat_facts", "incident_name_keys", "incident_victim_names"}

// DeferIndexes implements sqlstore.IndexDeferrer: an import in bulk mode
// (BulkImports, a rollback journal) of at least as many incidents as the
// store holds drops the non-unique indexes of deferredTables and builds
// them again before commit. Measured: 1.41 times as fast for one import of
// 100,000 into an empty store (BENCHMARKS.md). All inside the import's
// transaction, so a failure, or a crash, leaves the indexes as they were.
func (d dialect) DeferIndexes(ctx context.Context, tx *sqlstore.Tx, n int) (func(context.Context) error, error) {
	if !d.bulk || n < 1000 {
		return nil, nil
	}
	var mode string
	var stored int64
	if err := tx.QueryRow(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "delete" {
		return nil, err // sharing the file through the WAL: not in bulk mode
	}
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(rid), 0) FROM incidents`).Scan(&stored); err != nil || int64(n) < stored {
		return nil, err
	}
	q := `SELECT '"' || s.name || '"', s.sql FROM sqlite_schema s JOIN (` + strings.Repeat(`SELECT ? AS t UNION ALL `, len(deferredTables)-1) +
		`SELECT ?) tb ON s.tbl_name = tb.t JOIN pragma_index_list(tb.t) il ON il.name = s.name
		WHERE s.type = 'index' AND il."unique" = 0 AND il.origin = 'c' ORDER BY s.name`
	args := make([]any, len(deferredTables))
	for i, t := range deferredTables {
		args[i] = t
	}
	rebuild, err := tx.DropIndexes(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		// The rows were written with temporary storage in memory, as the
		// import's transaction began: SQLite then keeps each statement's
		// journal in memory too (a temporary file of its own otherwise,
		// written through the encrypting VFS for every statement that
		// touches more than 16 pages: 5% of an import's CPU, BENCHMARKS.md).
		// Building an index sorts the whole table, which in memory could
		// outgrow the connection's WebAssembly memory (256 MB): the sorts go
		// to temporary files (encrypted by the VFS with random keys).
		if err := tempStore(ctx, tx, "FILE"); err != nil {
			return err
		}
		return rebuild(ctx)
	}, nil
}

// tempStore sets where tx's connection keeps temporary data. SQLite
// refuses the change inside a transaction that has used its temporary
// database (an error), and a build of SQLite may fix the place whatever
// the pragma says (no error), hence the check that it took.
func tempStore(ctx context.Context, tx *sqlstore.Tx, where string) error {
	if _, err := tx.Exec(ctx, `PRAGMA temp_store=`+where); err != nil {
		return fmt.Errorf("temporary storage to %s: %w", where, err)
	}
	var got string
	if err := tx.QueryRow(ctx, `SELECT CASE temp_store WHEN 1 THEN 'FILE' WHEN 2 THEN 'MEMORY' ELSE 'DEFAULT' END FROM pragma_temp_store`).Scan(&got); err != nil {
		return fmt.Errorf("temporary storage: %w", err)
	}
	if got != where {
		return fmt.Errorf("temporary storage is %s, want %s", got, where)
	}
	return nil
}
