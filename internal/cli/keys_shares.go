package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keyring"
)

func init() {
	keysCommands["new-shares"] = command{"make recovery shares for a data directory that has none", runKeysNewShares}
}

// runKeysNewShares gives a data directory made without recovery shares (or
// before they existed) a recovery key. Replacing an existing recovery key
// is refused: keys wrapped to its public half would be lost with it.
func runKeysNewShares(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	var opt initOptions
	fs := flags(io, "keys new-shares", "")
	cfg.Register(fs)
	fs.IntVar(&opt.recoveryShares, "recovery-shares", 3, "split the recovery key into `N` shares")
	fs.IntVar(&opt.recoveryThreshold, "recovery-threshold", 2, "shares (`M` of N) needed to recover")
	fs.StringVar(&opt.recoveryOut, "recovery-out", "", "write the shares as files into `DIR` instead of printing them")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: rasd keys new-shares [--data DIR] [--recovery-shares N] [--recovery-threshold M] [--recovery-out DIR]", ErrUsage)
	}
	if opt.recoveryShares < 1 || opt.recoveryShares > keyring.MaxShares || opt.recoveryThreshold < 1 || opt.recoveryThreshold > opt.recoveryShares {
		return fmt.Errorf("%w: need 1 ≤ --recovery-threshold ≤ --recovery-shares ≤ %d", ErrUsage, keyring.MaxShares)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if err := checkRecoveryOut(cfg.DataDir, opt.recoveryOut); err != nil {
		return err
	}
	if _, id, err := keyring.RecoveryPublicKey(cfg.DataDir); err == nil {
		return fmt.Errorf("%s already has recovery key %s. Replacing it is not supported: keys wrapped to it would be lost with it", cfg.DataDir, id)
	} else if !errors.Is(err, keyring.ErrNoRecovery) {
		if keyring.Wiped(cfg.DataDir) {
			return wipedError(cfg.DataDir)
		}
		return err
	}
	keys, err := unlock(&cfg, io)
	if err != nil {
		return err
	}
	if err := giveRecoveryShares(io, cfg.DataDir, keys, opt); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, keys, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return publishRecoveryKey(ctx, st, cfg.DataDir)
}
