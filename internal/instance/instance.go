// Package instance is the life of a rasd data directory: creating it
// (keyring, store, recovery shares, backup keys), unlocking it, opening
// its store on the configured backend, and wiping it. It is the
// composition root: the one package outside the store's own that imports
// a backend (sqlite, postgres); the command line and the web server work
// through the Instance it opens and store.Store.
//
// It prints nothing and reads no terminal: what a person must see (recovery
// shares, paths, what a wipe destroyed) is returned, and the passphrase is
// asked through a function the caller passes.
package instance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// Instance is an open data directory: its unlocked keys and its store.
type Instance struct {
	Dir   string
	Keys  *keyring.Keys
	Store store.Store
	// embedded is the SQLite store, for its snapshot; nil on PostgreSQL.
	embedded *sqlstore.DB
	// db is the store on either backend, for its audit checkpoint.
	db *sqlstore.DB
}

// Option changes how a store is opened.
type Option func(*options)

type options struct {
	bulk      bool
	anchorErr func(error)
}

// AnchorErrors hears of a committed write after which the audit checkpoint
// in the data directory could not be advanced (docs/audit.md); without it,
// they are logged.
func AnchorErrors(f func(error)) Option { return func(o *options) { o.anchorErr = f } }

// BulkImports sets the embedded store up for a command that has the
// database to itself and imports many records (rasd import, rasd demo);
// a server must not use it. PostgreSQL ignores it.
func BulkImports() Option { return func(o *options) { o.bulk = true } }

// Open unlocks cfg's data directory (Unlock) and opens its store.
func Open(ctx context.Context, cfg config.Config, ask Passphrase, opts ...Option) (*Instance, error) {
	keys, err := Unlock(cfg, ask)
	if err != nil {
		return nil, err
	}
	return OpenKeys(ctx, cfg, keys, opts...)
}

// OpenKeys opens the store of cfg's data directory with keys already
// unlocked (by Unlock, or by the recovery key). The embedded database must
// exist: only Create makes one.
func OpenKeys(ctx context.Context, cfg config.Config, keys *keyring.Keys, opts ...Option) (*Instance, error) {
	return open(ctx, cfg, keys, false, opts...)
}

// open opens the configured store; create allows a new embedded database
// file (at Create).
func open(ctx context.Context, cfg config.Config, keys *keyring.Keys, create bool, opts ...Option) (*Instance, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	in := &Instance{Dir: cfg.DataDir, Keys: keys}
	if cfg.DB != "" {
		st, err := postgres.Open(ctx, cfg.DB, keys.Derive("audit"))
		if err != nil {
			return nil, err
		}
		in.Store, in.db = st, st
		return in, in.anchor(o)
	}
	path := filepath.Join(cfg.DataDir, sqlite.FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !create {
		return nil, fmt.Errorf("no database at %s: run 'rasd init' for this data directory, or give --db for PostgreSQL", path)
	}
	var sopts []sqlite.Option
	if o.bulk {
		sopts = append(sopts, sqlite.BulkImports())
	}
	db, err := sqlite.Open(ctx, path, keys.Derive("database"), keys.Derive("audit"), sopts...)
	if err != nil {
		return nil, err
	}
	in.Store, in.embedded, in.db = db, db, db
	return in, in.anchor(o)
}

// anchor makes the store keep its audit checkpoint in the data directory:
// checked before every write, advanced after it (docs/audit.md).
func (in *Instance) anchor(o options) error {
	a, err := audit.NewAnchor(in.Dir, in.Keys.Derive("audit checkpoint"), in.Keys.Derive("audit"))
	if err != nil {
		in.db.Close()
		return err
	}
	onErr := o.anchorErr
	if onErr == nil {
		path := a.Path()
		onErr = func(err error) {
			slog.Warn("the audit checkpoint was not advanced", "file", path, "error", err.Error())
		}
	}
	in.db.SetAnchor(a, onErr)
	return nil
}

// Anchor keeps the audit log's signed checkpoint in the data directory.
func (in *Instance) Anchor() *audit.Anchor { return in.db.Anchor() }

// AuditLog is the store's audit log, as the anchor reads it.
func (in *Instance) AuditLog() audit.Log { return in.db }

// VerifyWithoutCheckpoint verifies the whole log, records and history but
// not against the checkpoint kept in the data directory: before that
// checkpoint is replaced on purpose (rasd audit checkpoint --reset).
func (in *Instance) VerifyWithoutCheckpoint(ctx context.Context, opt store.VerifyOptions) (store.VerifyReport, error) {
	a, onErr := in.db.Anchor(), in.db.AnchorErrors()
	in.db.SetAnchor(nil, nil)
	defer in.db.SetAnchor(a, onErr)
	return in.db.VerifyLog(ctx, opt)
}

// Close closes the store. The keys stay usable (a command may reopen).
func (in *Instance) Close() error { return in.Store.Close() }

// Backend names the store's backend ("sqlite", "postgres").
func (in *Instance) Backend() string { return in.Store.Backend() }

// Evidence is the evidence folder of the data directory, its files
// encrypted under the keyring's evidence key.
func (in *Instance) Evidence() (*evidence.Service, error) {
	return evidence.New(in.Dir, in.Store, in.Keys.Derive("evidence"))
}

// NoSnapshotError is Snapshot's answer on PostgreSQL: it says how to
// back up that database instead.
type NoSnapshotError struct {
	Dir string // the data directory, whose keyring goes with the dump
}

func (e *NoSnapshotError) Error() string {
	return fmt.Sprintf("rasd backup covers the embedded SQLite store, and this data directory uses PostgreSQL (--db, RASD_DB).\n"+
		"Back PostgreSQL up with its own tool, pg_dump, encrypted before it leaves the server, e.g.\n"+
		"  pg_dump --format=custom … | age -R %s > rasd-db.dump.age\n"+
		"and keep a copy of %s with it: it holds the keys of the audit log and of the app-encrypted fields",
		filepath.Join(e.Dir, backup.RecipientsFile), filepath.Join(e.Dir, keyring.FileName))
}

// CheckSnapshot says, before anything is opened, whether cfg's backend can
// make the snapshot a backup needs: the embedded store can; on PostgreSQL
// it returns a *NoSnapshotError.
func CheckSnapshot(cfg config.Config) error {
	if cfg.DB != "" {
		return &NoSnapshotError{Dir: cfg.DataDir}
	}
	return nil
}

// Snapshot copies the embedded database, as one consistent state, into a
// new file at dst, encrypted as the original; it returns the audit head of
// the copied state. On PostgreSQL it returns a *NoSnapshotError.
func (in *Instance) Snapshot(ctx context.Context, dst string) (audit.Head, error) {
	if in.embedded == nil {
		return audit.Head{}, &NoSnapshotError{Dir: in.Dir}
	}
	return sqlite.Snapshot(ctx, in.embedded, dst, in.Keys.Derive("database"))
}

// BackupSource is what backup.Create needs of the instance.
func (in *Instance) BackupSource() backup.Source {
	return backup.Source{Dir: in.Dir, Keys: in.Keys, Backend: in.Backend(), Snapshot: in.Snapshot}
}
