package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/store"
)

func runAudit(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "audit", "verify")
	cfg.Register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "verify" {
		return fmt.Errorf("%w: the audit subcommand is 'rasd audit verify'", ErrUsage)
	}
	st, keys, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := store.VerifyAudit(ctx, st, keys.Derive("audit"))
	if err != nil {
		return fmt.Errorf("%w\nThe audit log has been tampered with or damaged. Keep this data directory as it is (it is evidence), and compare it with your latest backup", err)
	}
	fmt.Fprintf(io.Stdout, "Audit log intact: %d entries, chain and sealed head verified.\n", n)
	return nil
}
