package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/instance"
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
	var opt instance.CreateOptions
	fs := flags(io, "keys new-shares", "")
	cfg.Register(fs)
	fs.IntVar(&opt.RecoveryShares, "recovery-shares", 3, "split the recovery key into `N` shares")
	fs.IntVar(&opt.RecoveryThreshold, "recovery-threshold", 2, "shares (`M` of N) needed to recover")
	fs.StringVar(&opt.RecoveryOut, "recovery-out", "", "write the shares as files into `DIR` instead of printing them")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: rasd keys new-shares [--data DIR] [--recovery-shares N] [--recovery-threshold M] [--recovery-out DIR]", ErrUsage)
	}
	if opt.RecoveryShares < 1 || opt.RecoveryShares > keyring.MaxShares || opt.RecoveryThreshold < 1 || opt.RecoveryThreshold > opt.RecoveryShares {
		return fmt.Errorf("%w: need 1 ≤ --recovery-threshold ≤ --recovery-shares ≤ %d", ErrUsage, keyring.MaxShares)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if err := instance.CheckRecoveryOut(cfg.DataDir, opt.RecoveryOut); err != nil {
		return err
	}
	if err := instance.CheckNoRecovery(cfg.DataDir); err != nil {
		return err
	}
	in, err := open(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer in.Close()
	r, err := in.AddRecovery(ctx, opt.RecoveryThreshold, opt.RecoveryShares, opt.RecoveryOut)
	if r != nil {
		showShares(io, r)
	}
	return err
}
