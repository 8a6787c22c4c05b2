// Package sqlite is rasd's embedded store: one SQLite file encrypted whole
// (Adiantum, page by page, through ncruces/go-sqlite3's VFS), with FTS5 for
// search. The key comes from the keyring; temporary files stay in memory.
package sqlite

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/rasd-project/rasd/internal/searchtext"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"
	_ "github.com/ncruces/go-sqlite3/vfs/adiantum" // registers the encrypting VFS

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// FileName is the database's name inside the data directory.
const FileName = store.SQLiteFile

// ErrWrongKey means the file did not decrypt into a database.
var ErrWrongKey = errors.New("the database does not open with this key: wrong passphrase or key file, or the file is not a rasd database")

// Open opens (creating if needed) the encrypted database at path with a
// 32-byte key, and brings its schema up to date.
func Open(ctx context.Context, path string, key, auditKey []byte, opts ...Option) (*sqlstore.DB, error) {
	if len(key) != 32 {
		return nil, errors.New("sqlite: the database key must be 32 bytes")
	}
	// The key is set by PRAGMA in the connection's first statement, not in
	// the URI, so it is not visible through the file name.
	return open(ctx, path, "adiantum", `PRAGMA hexkey='`+hex.EncodeToString(key)+`'`, auditKey, opts...)
}

// Option changes how Open sets the store up.
type Option func(*dialect)

// open opens the database at path through the named VFS; keyPragma, run
// first on every connection, sets the VFS's key. Open is the only caller
// outside tests: the benchmarks also open a plain file (vfs and keyPragma
// empty) to measure what the encryption costs.
func open(ctx context.Context, path, vfs, keyPragma string, auditKey []byte, opts ...Option) (*sqlstore.DB, error) {
	var d dialect
	for _, o := range opts {
		o(&d)
	}
	uri := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_txlock=immediate"
	if vfs != "" {
		uri += "&vfs=" + vfs
	}
	db, err := driver.Open(uri, setUp(keyPragma))
	if err != nil {
		return nil, wrapKeyErr(path, err)
	}
	db.SetMaxOpenConns(4)
	d.pool = db
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, wrapKeyErr(path, err)
	}
	s, err := sqlstore.New(ctx, db, d, auditKey)
	if err != nil {
		db.Close()
		return nil, wrapKeyErr(path, err)
	}
	return s, nil
}

// setUp prepares each new connection: keyPragma (if any) first, before
// anything reads the file, then FTS5 and the settings.
//
// QPSG, the query planner's stability guarantee: without it SQLite
// compiles a statement again at its first step after any of its bound
// values changed, whenever that value might have changed the plan, and
// the statements rasd keeps prepared (stmts.go) were compiled again at
// almost every run: a fifth of a duplicate lookup's time. rasd runs no
// ANALYZE, so a value could change a plan only through a LIKE pattern,
// and every LIKE rasd runs begins with a wildcard, which no index serves.
func setUp(keyPragma string) func(*sqlite3.Conn) error {
	return func(c *sqlite3.Conn) error {
		if keyPragma != "" {
			if err := c.Exec(keyPragma); err != nil {
				return err
			}
		}
		if err := fts5.Register(c); err != nil {
			return err
		}
		if _, err := c.Config(sqlite3.DBCONFIG_ENABLE_QPSG, true); err != nil {
			return err
		}
		return c.Exec(`PRAGMA busy_timeout=` + strconv.Itoa(busyTimeoutMS) + `;` +
			`PRAGMA journal_mode=WAL;` +
			`PRAGMA synchronous=NORMAL;` +
			`PRAGMA foreign_keys=ON;` +
			`PRAGMA temp_store=MEMORY;` +
			`PRAGMA secure_delete=ON;` +
			`PRAGMA cache_size=-` + strconv.Itoa(cacheKiB) + `;`)
	}
}

// wrapKeyErr turns what SQLite reports for a file that does not decrypt
// (it cannot parse the header: CANTOPEN or NOTADB) into ErrWrongKey, after
// ruling out the ordinary reasons a file cannot be opened.
func wrapKeyErr(path string, err error) error {
	var ec sqlite3.ExtendedErrorCode
	var code sqlite3.ErrorCode
	if errors.As(err, &code) && code == sqlite3.BUSY || errors.As(err, &ec) && ec.Code() == sqlite3.BUSY {
		return fmt.Errorf("sqlite: %s is busy: another rasd process holds it for itself (a large import does): try again when it ends (%w)", path, err)
	}
	badKey := errors.As(err, &ec) && (ec == sqlite3.IOERR_BADKEY || ec.Code() == sqlite3.CANTOPEN || ec.Code() == sqlite3.NOTADB)
	badKey = badKey || (errors.As(err, &code) && (code == sqlite3.CANTOPEN || code == sqlite3.NOTADB))
	if badKey {
		f, ferr := os.OpenFile(path, os.O_RDWR, 0)
		if ferr != nil {
			return fmt.Errorf("sqlite: cannot open %s: %w", path, ferr)
		}
		f.Close()
		return ErrWrongKey
	}
	return fmt.Errorf("sqlite: %w", err)
}

// dialect is the SQLite side of sqlstore. With bulk (BulkImports), large
// imports close pool's idle connections to have the file to themselves.
type dialect struct {
	bulk bool
	pool *sql.DB
}

func (dialect) Name() string { return "sqlite" }

// Capabilities implements sqlstore.Dialect: FTS5 is filled in batches and
// keeps a prefix vocabulary; large imports tune the connection and build
// their indexes once.
func (d dialect) Capabilities() sqlstore.Capabilities {
	return sqlstore.Capabilities{BatchIndexer: d, VocabPruner: d, SearchCompactor: d, ImportTuner: d, IndexDeferrer: d}
}
func (dialect) Rebind(q string) string { return q }
func (dialect) LockHead() string       { return "" }

func (dialect) IndexText(ctx context.Context, tx *sqlstore.Tx, table string, rid int64, text string, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+`_fts WHERE rowid = ?`, rid); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+table+`_fts (rowid, body) VALUES (?, ?)`, rid, text)
	return err
}

// cacheKiB is every connection's page cache, in KiB (SQLite's default is
// 2,000). Each page read from the file is decrypted, again on every cache
// miss, and in WAL mode a connection keeps its cache between transactions
// while nothing is written: the figures' indexes (the overdue commitments,
// the murders: docs/counting.md) then stay decrypted from one reading to
// the next. Four connections: 64 MiB at most, held by each connection's
// WebAssembly memory once it has grown.
const cacheKiB = 16384

// importCacheKiB is the page cache of a large import's connection, in KiB
// (the default is 2,000). An import inserts into a dozen B-trees at once
// (incidents and their indexes, persons, victims, history, audit, search);
// with the default cache, pages of the indexes that take rows in random
// order (by type, place, date) are written out to the WAL and read back
// again many times in one transaction.
const importCacheKiB = 65536

// BeginImport implements sqlstore.ImportTuner: imports of 1,000 records or
// more get a 64 MiB page cache, and, with BulkImports, the database for
// themselves when they can have it (see bulk.go). The WebAssembly memory
// that holds the cache is not returned to the system when the cache
// shrinks, so the connection is closed after the import rather than kept
// in the pool at that size.
func (d dialect) BeginImport(ctx context.Context, conn *sql.Conn, n int) (func(), error) {
	if n < 1000 {
		return nil, nil
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKiB)); err != nil {
		return nil, err
	}
	bulk := false
	if d.bulk {
		var err error
		if bulk, err = beginBulk(ctx, d.pool, conn); err != nil {
			return nil, err
		}
	}
	return func() {
		if bulk {
			endBulk(conn)
		}
		// Returning ErrBadConn from Raw makes database/sql close the
		// connection instead of putting it back in the pool.
		conn.Raw(func(any) error { return sqldriver.ErrBadConn })
	}, nil
}

// IndexBatch implements sqlstore.BatchIndexer: the transaction's search
// texts go in together at its end, so FTS5 builds its index segments from
// all of them at once rather than flushing after every other statement.
// Their words join the search vocabulary (see Match).
func (dialect) IndexBatch(ctx context.Context, tx *sqlstore.Tx, table string, rows []sqlstore.IndexRow) error {
	for _, r := range rows {
		if r.Replace {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+`_fts WHERE rowid = ?`, r.RID); err != nil {
				return err
			}
		}
	}
	// Statements of ftsRows rows: FTS5 writes what it holds as a new
	// segment at the start of every statement (its savepoint), so
	// statements of a few hundred rows made segments of a few hundred rows,
	// merged again and again as the index grew (BENCHMARKS.md).
	for part := rows; len(part) > 0; {
		n := min(ftsRows, len(part))
		if err := insertFTS(ctx, tx, table, part[:n]); err != nil {
			return err
		}
		part = part[n:]
	}
	var words []any
	seen := map[string]bool{}
	for _, r := range rows {
		for _, w := range strings.Fields(r.Text) { // the text is textnorm.Terms joined by spaces
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	// New words get a vocabulary row and its index entry; known ones are
	// skipped by the conflict clause and return nothing.
	added, err := vocabRows(ctx, tx, func(n int) string {
		return `INSERT INTO search_vocab (term) VALUES ` + sqlstore.RowsOf("(?)", n) + ` ON CONFLICT DO NOTHING RETURNING rid, term`
	}, words)
	if err != nil {
		return err
	}
	return insertRows(ctx, tx, `INSERT INTO search_vocab_fts (rowid, term) VALUES `, "(?, ?)", 2, added)
}

// ftsRows is how many rows one statement of IndexBatch gives FTS5: their
// texts go in as one JSON array, held whole in the WebAssembly memory,
// which does not shrink again (2,000 texts of an ACLED row are about 2 MB).
var ftsRows = 2000 // a variable for tests only

// insertFTS inserts rows into table's FTS5 index in one statement.
func insertFTS(ctx context.Context, tx *sqlstore.Tx, table string, rows []sqlstore.IndexRow) error {
	if batch, ok := ftsBatch(rows); ok {
		_, err := tx.Exec(ctx, `INSERT INTO `+table+`_fts (rowid, body) SELECT value ->> 0, value ->> 1 FROM json_each(?)`, batch)
		return err
	}
	args := make([]any, 0, 2*len(rows))
	for _, r := range rows {
		args = append(args, r.RID, r.Text)
	}
	return insertRows(ctx, tx, `INSERT INTO `+table+`_fts (rowid, body) VALUES `, "(?, ?)", 2, args)
}

// ftsBatch is rows as JSON, [[rid, text], …], unless a text is not valid
// UTF-8, which JSON would change (ok false).
func ftsBatch(rows []sqlstore.IndexRow) (batch string, ok bool) {
	n := 2
	for _, r := range rows {
		if !utf8.ValidString(r.Text) {
			return "", false
		}
		n += len(r.Text) + 32
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, r := range rows {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '[')
		out = strconv.AppendInt(out, r.RID, 10)
		out = append(out, ',')
		text, _ := json.Marshal(r.Text) // a valid string always marshals
		out = append(append(out, text...), ']')
	}
	return string(append(out, ']')), true
}

// indexRows is how many rows one statement of the vocabulary inserts.
const indexRows = 256

// insertRows inserts args, n values per row, indexRows rows per statement.
func insertRows(ctx context.Context, tx *sqlstore.Tx, insert, row string, n int, args []any) error {
	for len(args) > 0 {
		part := args[:min(indexRows*n, len(args))]
		args = args[len(part):]
		if _, err := tx.Exec(ctx, insert+sqlstore.RowsOf(row, len(part)/n), part...); err != nil {
			return err
		}
	}
	return nil
}

// maxExpansion is the most words a search term is expanded into.
const maxExpansion = 64

// Match finds the rows holding, for every term, a word that starts with
// it ("nasiri" finds "Nasiriyah"). It quotes every term, so no input can
// become FTS5 query syntax.
//
// FTS5 answers a prefix query ("activist"*) by first merging the lists of
// every row holding any word with that prefix, all of them, even for the
// newest 50: about 5 ms for a word in 40% of 100,000 incidents, ten times
// that in a million. A query for whole words it answers newest first,
// reading only what it returns. So, in the same statement, each term is
// first looked up as a prefix in the search vocabulary (every distinct word
// indexed, with an FTS5 index of its own: a small one, so a prefix query
// there is quick) and replaced by the words it finds, ("activist" OR
// "activists"); the same tokenizer reads both indexes, so the rows found
// are exactly those of the prefix query. A term matching no word of the
// vocabulary, or more than maxExpansion, stays a prefix query.
func (dialect) Match(table string, terms []searchtext.Term, limit int) (string, []any) {
	parts := make([]string, len(terms))
	args := make([]any, 0, 2*len(terms)+1)
	for i, t := range terms {
		var prefixes []string
		for _, p := range t.Prefixes() {
			prefixes = append(prefixes, quote(p)+"*")
		}
		prefix := strings.Join(prefixes, " OR ")
		key := ""
		if t.Key != "" {
			key = " OR " + quote(t.Key)
		}
		parts[i] = `(SELECT '(' || CASE WHEN COUNT(*) BETWEEN 1 AND ` + strconv.Itoa(maxExpansion) + `
			THEN group_concat('"' || replace(v.term, '"', '""') || '"', ' OR ') ELSE ? END || ?
			FROM search_vocab v WHERE v.rid IN (SELECT rowid FROM search_vocab_fts WHERE search_vocab_fts MATCH ? LIMIT ` +
			strconv.Itoa(maxExpansion+1) + `))`
		args = append(args, prefix, key+")", prefix)
	}
	query := `SELECT rowid AS rid FROM ` + table + `_fts WHERE ` + table + `_fts MATCH (` + strings.Join(parts, ` || ' AND ' || `) + `)`
	if limit <= 0 {
		return query, args
	}
	return query + ` ORDER BY rowid DESC LIMIT ?`, append(args, limit)
}

// quote makes s an FTS5 string: no input becomes query syntax.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
