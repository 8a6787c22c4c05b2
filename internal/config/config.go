// Package config gathers rasd's settings from flags and RASD_* environment
// variables: where the data lives, which database to use and how to unlock
// the keyring.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"
)

// Config is what every command that touches data needs.
type Config struct {
	DataDir string // RASD_DATA
	DB      string // RASD_DB: empty for the embedded SQLite store, or postgres://…
	KeyFile string // RASD_KEY_FILE: unlock with a key file instead of a passphrase
	Actor   string // RASD_ACTOR: who history and the audit log name for command-line writes
	// Member is the account whose key (opened with its password) seals,
	// opens or grants restricted text; given only on the command line,
	// never from the environment, as opening sealed text is deliberate.
	Member   string
	actorSet bool // --actor was given: a --member does not rename the actor
}

// DefaultDataDir is $XDG_DATA_HOME/rasd, or ~/.local/share/rasd.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "rasd")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "rasd")
	}
	return "rasd-data"
}

// Register adds the common flags to fs, with defaults from the environment.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", envOr("RASD_DATA", DefaultDataDir()), "data directory (keyring, database, evidence) [RASD_DATA]")
	fs.StringVar(&c.DB, "db", os.Getenv("RASD_DB"), "PostgreSQL URL postgres://…; empty for the embedded encrypted SQLite [RASD_DB]")
	fs.StringVar(&c.KeyFile, "key-file", os.Getenv("RASD_KEY_FILE"), "unlock with this key file instead of a passphrase [RASD_KEY_FILE]")
	c.Actor = envOr("RASD_ACTOR", "cli")
	fs.Func("actor", "`name` recorded in history and the audit log for this command's writes (default: RASD_ACTOR, else cli)", func(s string) error {
		c.Actor, c.actorSet = s, true
		return nil
	})
	fs.Func("as", "old spelling of --actor `name`, kept only so that existing scripts keep working", func(s string) error {
		c.Actor, c.Member, c.actorSet = s, s, true
		return nil
	})
}

// RegisterMember adds, as flag name, the account whose key the command
// uses (see Member); usage says for what. Unless --actor is given, that
// account is also the one history names.
func (c *Config) RegisterMember(fs *flag.FlagSet, name, usage string) {
	if a := fs.Lookup("actor"); a != nil {
		a.Usage = "`name` recorded in history and the audit log for this command's writes\n(default: the --" + name + " account when one is given, else RASD_ACTOR, else cli)"
	}
	if as := fs.Lookup("as"); as != nil {
		as.Usage = "old spelling of --actor `name` --" + name + " name together, kept only so that existing scripts keep working"
	}
	fs.Func(name, usage, func(s string) error {
		c.Member = s
		if !c.actorSet {
			c.Actor = s
		}
		return nil
	})
}

// Validate checks the settings before anything is opened.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("no data directory: give --data DIR or set RASD_DATA")
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return fmt.Errorf("--db must be a postgres:// URL (got %q); leave it empty for the embedded store", redact(c.DB))
	}
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// redact hides a password in a URL before it is shown.
func redact(u string) string {
	if at := strings.Index(u, "@"); at > 0 {
		if colon := strings.LastIndex(u[:at], ":"); colon > strings.Index(u, "://")+2 {
			return u[:colon] + ":***" + u[at:]
		}
	}
	return u
}

// Passphrase returns RASD_PASSPHRASE, or asks on the terminal without echo.
// With confirm it asks twice (for a new passphrase).
func Passphrase(stdin *os.File, stderr io.Writer, prompt string, confirm bool) ([]byte, error) {
	if p, ok := os.LookupEnv("RASD_PASSPHRASE"); ok {
		return []byte(p), nil
	}
	fd := int(stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, errors.New("no passphrase: set RASD_PASSPHRASE, use --key-file, or run in a terminal to be asked")
	}
	fmt.Fprint(stderr, prompt)
	p, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return nil, err
	}
	if confirm {
		fmt.Fprint(stderr, "Again, to confirm: ")
		q, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return nil, err
		}
		if string(p) != string(q) {
			return nil, errors.New("the two passphrases differ; nothing was created")
		}
	}
	return p, nil
}
