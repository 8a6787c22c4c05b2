package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
)

// passphrase asks for the passphrase of cfg's data directory:
// RASD_PASSPHRASE, or on the terminal (twice for a new one).
func passphrase(cfg *config.Config, io IO) instance.Passphrase {
	return func(chosen bool) ([]byte, error) {
		if chosen {
			return config.Passphrase(io.Stdin, io.Stderr, "New passphrase for "+cfg.DataDir+": ", true)
		}
		return config.Passphrase(io.Stdin, io.Stderr, "Passphrase for "+cfg.DataDir+": ", false)
	}
}

// unlock opens the keyring of cfg's data directory.
func unlock(cfg *config.Config, io IO) (*keyring.Keys, error) {
	return instance.Unlock(*cfg, passphrase(cfg, io))
}

// open unlocks cfg's data directory and opens its store.
func open(ctx context.Context, cfg *config.Config, io IO, opts ...instance.Option) (*instance.Instance, error) {
	opts = append(opts, instance.AnchorErrors(func(err error) {
		fmt.Fprintf(io.Stderr, "rasd: the audit checkpoint in %s was not advanced: %v\n", cfg.DataDir, err)
	}))
	return instance.Open(ctx, *cfg, passphrase(cfg, io), opts...)
}

// openData is open for commands that only use the store and the keys;
// closing the store closes the instance.
func openData(ctx context.Context, cfg *config.Config, io IO, opts ...instance.Option) (store.Store, *keyring.Keys, error) {
	in, err := open(ctx, cfg, io, opts...)
	if err != nil {
		return nil, nil, err
	}
	return in.Store, in.Keys, nil
}
