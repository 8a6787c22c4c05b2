package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
)

func runInit(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "init", "")
	cfg.Register(fs)
	admin := fs.String("admin", "admin", "name of the first administrator account (password from RASD_NEW_PASSWORD, or generated and shown once)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := initData(ctx, io, &cfg); err != nil {
		return err
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	return addUser(ctx, io, st, cfg.Actor, *admin, model.RoleAdmin, "en")
}

// initData creates the data directory, its keyring and an empty store.
func initData(ctx context.Context, io IO, cfg *config.Config) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if keyring.Exists(cfg.DataDir) {
		return fmt.Errorf("%s is already initialised; choose another --data directory", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(cfg.DataDir, 0o700); err != nil {
		return err
	}
	if cfg.KeyFile != "" {
		if err := newKeyFile(io, cfg.KeyFile); err != nil {
			return err
		}
	}
	sec, err := secret(cfg, io, "New passphrase for "+cfg.DataDir+": ", true)
	if err != nil {
		return err
	}
	keys, err := keyring.Create(cfg.DataDir, sec)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, keys, true)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(io.Stdout, "Initialised %s (%s store).\n", cfg.DataDir, st.Backend())
	fmt.Fprintf(io.Stdout, "Keep a copy of %s/%s with your backups: without it and the passphrase the data cannot be read.\n", cfg.DataDir, keyring.FileName)
	return nil
}

// newKeyFile writes 32 random bytes (hex) to path unless it exists.
func newKeyFile(io IO, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o600); err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	fmt.Fprintf(io.Stderr, "Created key file %s: anyone with it can unlock the data. Keep it off the machine when not in use.\n", path)
	return nil
}
