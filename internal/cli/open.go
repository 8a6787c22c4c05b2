package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
)

// secret reads what unlocks the keyring: the key file if one is set,
// otherwise the passphrase.
func secret(cfg *config.Config, io IO, prompt string, confirm bool) (keyring.Secret, error) {
	if cfg.KeyFile != "" {
		b, err := os.ReadFile(cfg.KeyFile)
		if err != nil {
			return keyring.Secret{}, fmt.Errorf("key file: %w", err)
		}
		if len(b) < 32 {
			return keyring.Secret{}, fmt.Errorf("key file %s is too short to be a rasd key file (%d bytes)", cfg.KeyFile, len(b))
		}
		return keyring.Secret{KeyFile: b}, nil
	}
	p, err := config.Passphrase(io.Stdin, io.Stderr, prompt, confirm)
	return keyring.Secret{Passphrase: p}, err
}

// unlock opens the keyring of cfg's data directory.
func unlock(cfg *config.Config, io IO) (*keyring.Keys, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if keyring.Wiped(cfg.DataDir) {
		return nil, wipedError(cfg.DataDir)
	}
	if !keyring.Exists(cfg.DataDir) {
		return nil, fmt.Errorf("%s: %w", cfg.DataDir, keyring.ErrNoKeyring)
	}
	s, err := secret(cfg, io, "Passphrase for "+cfg.DataDir+": ", false)
	if err != nil {
		return nil, err
	}
	return keyring.Unlock(cfg.DataDir, s)
}

// openStore opens the configured store with the unlocked keys; create
// allows a new embedded database file (at init). The options apply to the
// embedded store only.
func openStore(ctx context.Context, cfg *config.Config, keys *keyring.Keys, create bool, opts ...sqlite.Option) (store.Store, error) {
	var st store.Store
	var err error
	if cfg.DB != "" {
		st, err = postgres.Open(ctx, cfg.DB, keys.Derive("audit"))
	} else {
		path := filepath.Join(cfg.DataDir, sqlite.FileName)
		if _, serr := os.Stat(path); errors.Is(serr, os.ErrNotExist) && !create {
			return nil, fmt.Errorf("no database at %s: run 'rasd init' for this data directory, or give --db for PostgreSQL", path)
		}
		st, err = sqlite.Open(ctx, path, keys.Derive("database"), keys.Derive("audit"), opts...)
	}
	if err != nil {
		return nil, err
	}
	if err := attachAnchor(st, cfg, keys); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openData unlocks and opens in one step, for commands that only use data.
func openData(ctx context.Context, cfg *config.Config, io IO, opts ...sqlite.Option) (store.Store, *keyring.Keys, error) {
	keys, err := unlock(cfg, io)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, cfg, keys, false, opts...)
	if err != nil {
		return nil, nil, err
	}
	return st, keys, nil
}

// wipedError says that dir's keys were destroyed, when, and what is left
// to do; unlock, serve and init all say it the same way.
func wipedError(dir string) error {
	when := keyring.WipedAt(dir)
	if when != "" {
		when = " on " + when
	}
	return fmt.Errorf("%s was WIPED%s: its keys were destroyed on purpose (rasd wipe, the web panic action, or too many failed unlocks).\n"+
		"No passphrase, key file, member's password or recovery share opens its encrypted data any more (on PostgreSQL,\n"+
		"what rasd sealed in the database): this is final. Recovery shares open only a backup made before the wipe.\n"+
		"To go on: restore a backup into a new directory (rasd restore --identity KEYFILE --data NEW_DIR BACKUP),\n"+
		"or start afresh here with 'rasd init --force-new --data %s'", dir, when, dir)
}
