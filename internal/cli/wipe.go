package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/instance"
)

// wipeWord confirms a wipe, as does the data directory's own name.
const wipeWord = "DESTROY"

// runWipe is the panic wipe: it destroys the data directory's key
// material, which makes the encrypted database unreadable for good. It
// asks for no passphrase: whoever can run it on this machine can destroy.
func runWipe(_ context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "wipe", "")
	cfg.Register(fs)
	yes := fs.Bool("yes-destroy-all-keys", false, "do not ask for confirmation (for scripts and panic buttons)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: rasd wipe [--data DIR] [--yes-destroy-all-keys]", ErrUsage)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	dir := cfg.DataDir
	if err := instance.CheckWipe(dir); err != nil {
		return err
	}
	if !*yes {
		name := filepath.Base(filepath.Clean(dir))
		fmt.Fprintf(io.Stderr, "This destroys the keys of %s: everything in it becomes unreadable for good,\n"+
			"for you too. Only a backup can bring it back.\n"+
			"Type the directory's name (%s) or %s to go on: ", dir, name, wipeWord)
		line, _ := bufio.NewReader(io.Stdin).ReadString('\n')
		if !term.IsTerminal(int(io.Stdin.Fd())) {
			fmt.Fprintln(io.Stderr) // the answer did not echo a newline
		}
		if answer := strings.TrimRight(line, "\r\n"); answer != name && answer != wipeWord {
			return errors.New("not confirmed: nothing was destroyed")
		}
	}

	w, err := instance.Wipe(dir)
	fmt.Fprintln(io.Stdout, "Destroyed (overwritten with random bytes, synced, deleted):")
	for _, p := range w.Destroyed {
		fmt.Fprintf(io.Stdout, "  %s\n", p)
	}
	if err != nil {
		return fmt.Errorf("%w\nSome key material may remain: run rasd wipe again, or destroy the disk", err)
	}
	wipeReport(io.Stdout, &cfg, w)
	return nil
}

// wipeReport says what the wipe did and did not reach, each sentence
// exactly what is true (docs/keys.md, "Bound to the keyring"; docs/recovery.md):
// the tests of internal/keys show, on both backends, that after the wipe
// the database and a member's password or m shares open nothing sealed.
func wipeReport(out io.Writer, cfg *config.Config, w instance.Wiped) {
	if w.KeyringDestroyed {
		fmt.Fprintln(out, "The master key is gone, and every key derived from it: those of the database, the audit log, the restricted\n"+
			"tier (every compartment key wrap is bound to it), evidence files, two-factor secrets and backup signing.")
	}
	if w.Database != "" {
		fmt.Fprintf(out, "Left in place: %s and its journal files, encrypted under the destroyed key.\n"+
			"No passphrase, key file, member's password or recovery share opens them. Delete them, or start afresh with\n"+
			"'rasd init --force-new'.\n", w.Database)
	}
	if w.Evidence != "" {
		fmt.Fprintf(out, "Left in place: %s, its files encrypted under a key the wipe destroyed: nothing opens them.\n", w.Evidence)
	}
	if cfg.DB != "" {
		fmt.Fprintln(out, "PostgreSQL: the server's database is NOT erased. What rasd sealed in it (restricted fields, evidence file\n"+
			"names, two-factor secrets) no longer opens for anyone, with any member's password or recovery share, and its\n"+
			"audit log can no longer be verified. Everything else in it stays readable to whoever can read that database,\n"+
			"such as records that are not restricted, the structured fields of restricted ones, accounts and the audit log.\n"+
			"Erase it, its replicas and its dumps with the server's tools.")
	}
	if cfg.KeyFile != "" {
		fmt.Fprintf(out, "The key file %s is not touched (it opens nothing without the keyring).\n", cfg.KeyFile)
	}
	unlocks := "the passphrase"
	if m, n := w.RecoveryM, w.RecoveryN; m > 0 {
		fmt.Fprintf(out, "The recovery shares (any %d of %d) open nothing here any more. They open only a copy of the keyring made\n"+
			"before the wipe: the one in each backup (restore it with its identity file, then 'rasd keys recover'), or a\n"+
			"copy kept with a pg_dump.\n", m, n)
		unlocks = fmt.Sprintf("the passphrase or %d recovery shares", m)
	}
	fmt.Fprintf(out, "NOT destroyed: backups already made (each carries a copy of the keyring: whoever has one, its identity file,\n"+
		"and %s can still read it), other copies of this directory or of its keyring,\n"+
		"and the keys in the memory of a rasd serve still running: stop it, or power the machine off.\n", unlocks)
}
