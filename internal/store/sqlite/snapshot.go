package sqlite

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/ncruces/go-sqlite3/driver"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// Snapshot copies the database behind s, as one consistent state, into a
// new file at dst, for a backup. The copy is written through the same
// encrypting VFS with the same key, so its pages are the ciphertext the
// data directory already holds and no plain page ever reaches the disk
// (its rollback journal is encrypted too). The copy opens with the same
// keyring as the original. It returns the audit head of the copied state,
// read inside the same read transaction as the copy.
func Snapshot(ctx context.Context, s *sqlstore.DB, dst string, key []byte) (audit.Head, error) {
	var head audit.Head
	if len(key) != 32 {
		return head, errors.New("sqlite: the database key must be 32 bytes")
	}
	if _, err := os.Lstat(dst); err == nil {
		return head, fmt.Errorf("sqlite snapshot: %s already exists", dst)
	}
	conn, err := s.SQL().Conn(ctx)
	if err != nil {
		return head, fmt.Errorf("sqlite snapshot: %w", err)
	}
	defer conn.Close()
	// The key travels in the URI: the backup API opens the destination
	// itself and runs nothing on it before the first page is written. The
	// URI stays in this process's memory, like the key the pool holds.
	uri := "file:" + (&url.URL{Path: dst}).EscapedPath() + "?vfs=adiantum&hexkey=" + hex.EncodeToString(key)
	err = conn.Raw(func(dc any) error {
		c := dc.(driver.Conn).Raw()
		// One read transaction covers the head and every copied page:
		// sqlite3_backup_step uses the source's open read transaction
		// rather than starting its own.
		if err := c.Exec(`BEGIN DEFERRED`); err != nil {
			return err
		}
		defer c.Exec(`ROLLBACK`)
		stmt, _, err := c.Prepare(`SELECT seq, hash, mac FROM audit_head WHERE id = 1`)
		if err != nil {
			return err
		}
		if !stmt.Step() {
			err := stmt.Err()
			stmt.Close()
			if err == nil {
				err = errors.New("the audit head is missing")
			}
			return err
		}
		head = audit.Head{Seq: stmt.ColumnInt64(0), Hash: stmt.ColumnText(1), MAC: stmt.ColumnText(2)}
		if err := stmt.Close(); err != nil {
			return err
		}
		b, err := c.BackupInit("main", uri)
		if err != nil {
			return err
		}
		if _, err := b.Step(-1); err != nil {
			b.Close()
			return err
		}
		return b.Close()
	})
	if err != nil {
		os.Remove(dst)
		os.Remove(dst + "-journal")
		return audit.Head{}, fmt.Errorf("sqlite snapshot: %w", err)
	}
	return head, nil
}
