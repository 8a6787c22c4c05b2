// Package sqlite is rasd's embedded store: one SQLite file encrypted whole
// (Adiantum, page by page, through ncruces/go-sqlite3's VFS), with FTS5 for
// search. The key comes from the keyring; temporary files stay in memory.
package sqlite

import (
	"context"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"
	_ "github.com/ncruces/go-sqlite3/vfs/adiantum" // registers the encrypting VFS

	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database's name inside the data directory.
const FileName = "rasd.db"

// ErrWrongKey means the file did not decrypt into a database.
var ErrWrongKey = errors.New("the database does not open with this key: wrong passphrase or key file, or the file is not a rasd database")

// Open opens (creating if needed) the encrypted database at path with a
// 32-byte key, and brings its schema up to date.
func Open(ctx context.Context, path string, key, auditKey []byte) (*sqlstore.DB, error) {
	if len(key) != 32 {
		return nil, errors.New("sqlite: the database key must be 32 bytes")
	}
	// The key is set by PRAGMA in the connection's first statement, not in
	// the URI, so it is not visible through the file name.
	return open(ctx, path, "adiantum", `PRAGMA hexkey='`+hex.EncodeToString(key)+`'`, auditKey)
}

// open opens the database at path through the named VFS; keyPragma, run
// first on every connection, sets the VFS's key. Open is the only caller
// outside tests: the benchmarks also open a plain file (vfs and keyPragma
// empty) to measure what the encryption costs.
func open(ctx context.Context, path, vfs, keyPragma string, auditKey []byte) (*sqlstore.DB, error) {
	uri := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_txlock=immediate"
	if vfs != "" {
		uri += "&vfs=" + vfs
	}
	db, err := driver.Open(uri, func(c *sqlite3.Conn) error {
		// The key must come before anything reads the file.
		if keyPragma != "" {
			if err := c.Exec(keyPragma); err != nil {
				return err
			}
		}
		if err := fts5.Register(c); err != nil {
			return err
		}
		return c.Exec(`PRAGMA busy_timeout=10000;` +
			`PRAGMA journal_mode=WAL;` +
			`PRAGMA synchronous=NORMAL;` +
			`PRAGMA foreign_keys=ON;` +
			`PRAGMA temp_store=MEMORY;` +
			`PRAGMA secure_delete=ON;`)
	})
	if err != nil {
		return nil, wrapKeyErr(path, err)
	}
	db.SetMaxOpenConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, wrapKeyErr(path, err)
	}
	s, err := sqlstore.New(ctx, db, dialect{}, auditKey)
	if err != nil {
		db.Close()
		return nil, wrapKeyErr(path, err)
	}
	return s, nil
}

// wrapKeyErr turns what SQLite reports for a file that does not decrypt
// (it cannot parse the header: CANTOPEN or NOTADB) into ErrWrongKey, after
// ruling out the ordinary reasons a file cannot be opened.
func wrapKeyErr(path string, err error) error {
	var ec sqlite3.ExtendedErrorCode
	var code sqlite3.ErrorCode
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

type dialect struct{}

func (dialect) Name() string           { return "sqlite" }
func (dialect) Rebind(q string) string { return q }
func (dialect) LockHead() string       { return "" }
func (dialect) Migrations() fs.FS      { sub, _ := fs.Sub(migrations, "migrations"); return sub }

func (dialect) IndexText(ctx context.Context, tx *sqlstore.Tx, table string, rid int64, text string, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+`_fts WHERE rowid = ?`, rid); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+table+`_fts (rowid, body) VALUES (?, ?)`, rid, text)
	return err
}

// indexChunk is how many rows one INSERT into a full-text table carries.
var indexChunk = 1

// IndexBatch implements sqlstore.BatchIndexer: the transaction's search
// texts go in together at its end, so FTS5 builds its index segments from
// all of them at once (see sqlstore.BatchIndexer) rather than flushing
// after every other statement.
func (dialect) IndexBatch(ctx context.Context, tx *sqlstore.Tx, table string, rows []sqlstore.IndexRow) error {
	for _, r := range rows {
		if r.Replace {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+`_fts WHERE rowid = ?`, r.RID); err != nil {
				return err
			}
		}
	}
	for len(rows) > 0 {
		n := min(len(rows), indexChunk)
		q := `INSERT INTO ` + table + `_fts (rowid, body) VALUES (?, ?)` + strings.Repeat(`, (?, ?)`, n-1)
		args := make([]any, 0, 2*n)
		for _, r := range rows[:n] {
			args = append(args, r.RID, r.Text)
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// Match quotes every term, so no input can become FTS5 query syntax.
func (dialect) Match(table string, terms []string, limit int) (string, []any) {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"*`
	}
	query := `SELECT rowid AS rid FROM ` + table + `_fts WHERE ` + table + `_fts MATCH ?`
	if limit <= 0 {
		return query, []any{strings.Join(q, " ")}
	}
	return query + ` ORDER BY rowid DESC LIMIT ?`, []any{strings.Join(q, " "), limit}
}
