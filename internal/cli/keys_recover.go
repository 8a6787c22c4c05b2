package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func init() {
	keysCommands["recover"] = command{"rebuild the recovery key from M shares and set a new passphrase", runKeysRecover}
}

// runKeysRecover is for when every passphrase is lost: M share holders
// bring their shares, which rebuild the organisation recovery key; it
// opens the keyring's recovery slot and a new passphrase replaces the old
// ones (see docs/recovery.md).
func runKeysRecover(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "keys recover", "--share FILE --share FILE … (or shares on standard input)")
	cfg.Register(fs)
	readsEnv(fs, "RASD_NEW_PASSPHRASE")
	var files []string
	fs.Func("share", "a recovery share `file` ('-' for standard input); repeat for each share. Without --share, shares are read from standard input", func(s string) error {
		files = append(files, s)
		return nil
	})
	grantTo := fs.String("grant-to", "", "also give this `user` every restricted compartment, opened with the recovery key\n"+
		"(when every member's password is lost; see docs/keys.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: rasd keys recover [--data DIR] --share FILE --share FILE …", ErrUsage)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	dir := cfg.DataDir
	if keyring.Wiped(dir) {
		return instance.WipedError(dir)
	}
	if len(files) == 0 {
		files = []string{"-"}
		if term.IsTerminal(int(io.Stdin.Fd())) {
			fmt.Fprintln(io.Stderr, "Paste the recovery shares (the lines starting rasdshare1-), then press Ctrl-D:")
		}
	}
	var text strings.Builder
	for _, f := range files {
		var b []byte
		if f == "-" {
			b, err = readAll(io.Stdin)
		} else {
			b, err = os.ReadFile(f)
		}
		if err != nil {
			return fmt.Errorf("reading share %s: %w", f, err)
		}
		text.Write(b)
		text.WriteString("\n")
	}
	shares, err := keyring.ParseShares(text.String())
	if err != nil {
		return err
	}
	pub, id, err := keyring.RecoveryPublicKey(dir)
	if err != nil {
		return err
	}
	rk, err := keyring.Combine(shares)
	if err != nil {
		return fmt.Errorf("%w\nNothing was changed", err)
	}
	if !rk.PublicKey().Equal(pub) {
		return fmt.Errorf("the shares make recovery key %s, but %s's is %s: they are another organisation's, or of a replaced key. Nothing was changed", rk.KeyID(), dir, id)
	}
	keys, err := keyring.UnlockRecovery(dir, rk)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stderr, "Recovery key %s rebuilt from %d shares and checked against this data directory.\n", id, len(shares))
	pass, err := newPassphrase(io)
	if err != nil {
		return fmt.Errorf("%w\nNothing was changed; run rasd keys recover again", err)
	}
	// The use of the recovery key is audited before the keyring changes:
	// a recovery that cannot be logged does not happen.
	in, err := instance.OpenKeys(ctx, cfg, keys)
	if err != nil {
		return fmt.Errorf("%w\nNothing was changed", err)
	}
	defer in.Close()
	failed, err := logRecovery(ctx, io, in.Store, cfg.Actor, rk, *grantTo)
	if err != nil {
		return fmt.Errorf("%w\nNothing was changed", err)
	}
	if err := keys.ReplacePassphrases(dir, keyring.Secret{Passphrase: pass}); err != nil {
		return err
	}
	if err := keyring.ResetFailures(dir); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Recovered %s: the new passphrase now unlocks it; every old passphrase no longer does\n", dir)
	fmt.Fprintln(io.Stdout, "(key files and the recovery shares still work). The shares were seen on this machine: if it is not")
	fmt.Fprintln(io.Stdout, "trusted, make new ones. Delete any share files copied here, and give the originals back to their holders.")
	if len(failed) > 0 {
		return fmt.Errorf("the recovery key could not grant %s; a member who still holds it can ('rasd keys grant')", strings.Join(failed, ", "))
	}
	return nil
}

// readAll reads standard input (commands name their IO parameter io).
func readAll(f *os.File) ([]byte, error) { return io.ReadAll(f) }

// newPassphrase is RASD_NEW_PASSPHRASE, or asked twice on the terminal.
func newPassphrase(io IO) ([]byte, error) {
	if p, ok := os.LookupEnv("RASD_NEW_PASSPHRASE"); ok {
		return []byte(p), nil
	}
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return nil, errors.New("no new passphrase: set RASD_NEW_PASSPHRASE, or run in a terminal to be asked")
	}
	defer tty.Close()
	return config.Passphrase(tty, io.Stderr, "New passphrase: ", true)
}

// logRecovery appends the audit entry of a use of the recovery key, as
// actor, and with username (--grant-to; "" for none) grants that account,
// in the same transaction, every compartment the recovery key opens. It
// returns the compartments it could not grant.
func logRecovery(ctx context.Context, io IO, st store.Store, actor string, rk *keyring.RecoveryKey, username string) ([]string, error) {
	var grants []model.Wrap
	var failed []string
	if username != "" {
		u, err := target(ctx, st, username)
		if err != nil {
			return nil, fmt.Errorf("--grant-to: %w", err)
		}
		priv := rk.PrivateKey().Bytes()
		defer clear(priv)
		var skipped map[string]error
		if grants, skipped, err = keys.RecoveryGrants(ctx, st, priv, actor, u); err != nil {
			return nil, err
		}
		for _, c := range model.Compartments {
			if err := skipped[c]; err != nil {
				// e.g. a compartment made before the recovery key existed and
				// not granted since: the recovery key holds no wrap of it.
				fmt.Fprintf(io.Stderr, "Compartment %s: not granted: %v\n", c, err)
				failed = append(failed, c)
			}
		}
	}
	if err := st.LogRecovery(ctx, actor, grants); err != nil {
		return nil, err
	}
	for _, w := range grants {
		if w.Member != model.MemberRecovery {
			fmt.Fprintf(io.Stdout, "Granted compartment %s to %s with the recovery key.\n", w.Compartment, username)
		}
	}
	return failed, nil
}
