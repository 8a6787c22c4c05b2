package instance

import (
	"errors"
	"fmt"
	"os"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keyring"
)

// Passphrase asks a person for the passphrase of a data directory;
// chosen is true when a new one is being chosen (at Create). It is called
// only when no key file is configured, and only once the directory is
// known to be one it can unlock (not wiped, not missing).
type Passphrase func(chosen bool) ([]byte, error)

// OptionError is a setting or option the caller gave that cannot work
// (the command line reports it as wrong usage). Nothing was changed.
type OptionError struct {
	Err error
}

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

func optionErr(format string, a ...any) error {
	return &OptionError{Err: fmt.Errorf(format, a...)}
}

// validate checks cfg before anything is opened.
func validate(cfg config.Config) error {
	if err := cfg.Validate(); err != nil {
		return &OptionError{Err: err}
	}
	return nil
}

// Unlock opens the keyring of cfg's data directory: with the key file if
// one is configured, otherwise with the passphrase ask returns. A wiped
// directory and one without a keyring are refused before anything is
// asked.
func Unlock(cfg config.Config, ask Passphrase) (*keyring.Keys, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	if keyring.Wiped(cfg.DataDir) {
		return nil, WipedError(cfg.DataDir)
	}
	if !keyring.Exists(cfg.DataDir) {
		return nil, fmt.Errorf("%s: %w", cfg.DataDir, keyring.ErrNoKeyring)
	}
	s, err := secret(cfg, ask, false)
	if err != nil {
		return nil, err
	}
	return keyring.Unlock(cfg.DataDir, s)
}

// secret reads what unlocks the keyring: the key file if one is set,
// otherwise the passphrase.
func secret(cfg config.Config, ask Passphrase, chosen bool) (keyring.Secret, error) {
	if cfg.KeyFile != "" {
		b, err := os.ReadFile(cfg.KeyFile)
		if err != nil {
			return keyring.Secret{}, fmt.Errorf("key file: %w", err)
		}
		if len(b) < 32 {
			return keyring.Secret{}, fmt.Errorf("key file %s is too short to be a rasd key file (%d bytes)", cfg.KeyFile, len(b))
		}
		return keyring.Secret{KeyFile: b}, nil
	}
	if ask == nil {
		return keyring.Secret{}, errors.New("no passphrase: set RASD_PASSPHRASE, use --key-file, or run in a terminal to be asked")
	}
	p, err := ask(chosen)
	return keyring.Secret{Passphrase: p}, err
}

// ErrWiped matches (errors.Is) the error WipedError makes.
var ErrWiped = errors.New("the data directory was wiped")

// WipedError says that dir's keys were destroyed, when, and what is left
// to do; unlock, serve, init and recovery all say it the same way.
func WipedError(dir string) error {
	when := keyring.WipedAt(dir)
	if when != "" {
		when = " on " + when
	}
	return &wipedError{fmt.Sprintf("%s was WIPED%s: its keys were destroyed on purpose (rasd wipe, the web panic action, or too many failed unlocks).\n"+
		"No passphrase, key file, member's password or recovery share opens its encrypted data any more (on PostgreSQL,\n"+
		"what rasd sealed in the database): this is final. Recovery shares open only a backup made before the wipe.\n"+
		"To go on: restore a backup into a new directory (rasd restore --identity KEYFILE --data NEW_DIR BACKUP),\n"+
		"or start afresh here with 'rasd init --force-new --data %s'", dir, when, dir)}
}

type wipedError struct{ msg string }

func (e *wipedError) Error() string        { return e.msg }
func (e *wipedError) Is(target error) bool { return target == ErrWiped }
