package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/model"
)

func runInit(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "init", "")
	cfg.Register(fs)
	readsEnv(fs, "RASD_NEW_PASSWORD")
	admin := fs.String("admin", "admin", "name of the first administrator account (password from RASD_NEW_PASSWORD, or generated and shown once)")
	var opt instance.CreateOptions
	fs.BoolVar(&opt.ForceNew, "force-new", false, "start afresh in a data directory whose keyring is gone (wiped or lost): its old, unreadable files are moved aside")
	fs.IntVar(&opt.WipeAfter, "wipe-after", 0, "destroy the keyring after `N` failed unlocks in a row (passphrase or key file; 0: never). See SECURITY.md")
	fs.IntVar(&opt.RecoveryShares, "recovery-shares", 3, "split the organisation recovery key into `N` shares (0: no recovery key). See docs/recovery.md")
	fs.IntVar(&opt.RecoveryThreshold, "recovery-threshold", 2, "shares (`M` of N) needed to recover")
	fs.StringVar(&opt.RecoveryOut, "recovery-out", "", "write the recovery shares as files into `DIR` instead of printing them")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := checkNewAccount(*admin); err != nil {
		return fmt.Errorf("the first administrator (--admin, RASD_NEW_PASSWORD): %w", err)
	}
	in, err := initData(ctx, io, &cfg, opt)
	if err != nil {
		return err
	}
	defer in.Close()
	return addUser(ctx, io, accounts.New(in.Store, accounts.Options{}), cfg.Actor, *admin, model.RoleAdmin, "en")
}

// initData creates the data directory (instance.Create) and tells what
// was done; it returns the instance, open.
func initData(ctx context.Context, io IO, cfg *config.Config, opt instance.CreateOptions) (*instance.Instance, error) {
	in, c, err := instance.Create(ctx, *cfg, opt, passphrase(cfg, io))
	for _, m := range c.Moved {
		fmt.Fprintf(io.Stderr, "Moved the old %s aside to %s (it cannot be read without its old keyring; delete it when you are sure).\n", m.Name, m.To)
	}
	if c.KeyFile != "" {
		fmt.Fprintf(io.Stderr, "Created key file %s: anyone with it can unlock the data. Keep it off the machine when not in use.\n", c.KeyFile)
	}
	if c.Recovery != nil {
		showShares(io, c.Recovery)
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(io.Stdout, "Initialised %s (%s store).\n", cfg.DataDir, in.Backend())
	fmt.Fprintf(io.Stdout, "Keep a copy of %s/%s with your backups: without it and the passphrase the data cannot be read.\n", cfg.DataDir, keyring.FileName)
	if c.WipeAfter > 0 {
		fmt.Fprintf(io.Stdout, "After %d failed unlocks in a row the keyring destroys itself (--wipe-after).\n", c.WipeAfter)
	}
	fmt.Fprintf(io.Stdout, "\nBackups ('rasd backup') are encrypted to %s.\n", c.Recipient)
	fmt.Fprintf(io.Stdout, "The key that decrypts them is %s.\n", c.Identity)
	fmt.Fprintln(io.Stdout, "MOVE IT OFFLINE NOW: copy it to a USB stick kept in a safe place (and print a paper copy),")
	fmt.Fprintln(io.Stdout, "then delete it from this machine. Left here, it lets whoever takes the machine read every backup.")
	return in, nil
}

// showShares tells the new recovery key's shares: the files written, or
// the shares themselves.
func showShares(io IO, r *instance.Recovery) {
	m, n := r.M, r.N
	fmt.Fprintf(io.Stdout, "\nRecovery key %s: split into %d shares, any %d of which unlock the data if every passphrase is lost\n", r.KeyID, n, m)
	fmt.Fprintln(io.Stdout, "(rasd keys recover). The key itself is kept nowhere else: only the shares are.")
	if r.Out != "" {
		for i, p := range r.Files {
			fmt.Fprintf(io.Stdout, "  share %d of %d: %s\n", r.Shares[i].Index, n, p)
		}
	} else {
		for _, s := range r.Shares {
			fmt.Fprintf(io.Stdout, "\n----- share %d of %d -----\n%s", s.Index, n, s.Text())
		}
		fmt.Fprintln(io.Stdout, "----- end of shares -----")
	}
	fmt.Fprintf(io.Stdout, "GIVE EACH SHARE TO A DIFFERENT, TRUSTED PERSON NOW (printed on paper or on a USB stick), so that no one\n"+
		"holds %d, then DELETE every copy from this machine", m)
	if r.Out != "" {
		fmt.Fprintf(io.Stdout, " (the files in %s)", r.Out)
	} else {
		fmt.Fprint(io.Stdout, " (and clear this terminal's scrollback)")
	}
	fmt.Fprintf(io.Stdout, ".\nWhoever gathers %d shares AND a copy of the data can read it; with fewer than %d, the data is lost for good\n"+
		"once every passphrase is forgotten.\n", m, m)
}
