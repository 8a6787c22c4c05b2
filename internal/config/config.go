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
	Actor   string // who the audit log names for command-line writes
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
	fs.StringVar(&c.Actor, "as", envOr("RASD_ACTOR", "cli"), "name recorded in history and the audit log for this command's writes [RASD_ACTOR]")
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
