package instance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rasd-project/rasd/internal/keyring"
)

// Recovery is a new organisation recovery key, as its shares: the key
// itself is kept nowhere (docs/recovery.md).
type Recovery struct {
	KeyID  string
	M, N   int             // any M of the N shares recover
	Shares []keyring.Share // to be shown, when Out is empty
	Out    string          // the folder the shares were written to, or ""
	Files  []string        // the share files in Out, in the order of Shares
}

// AddRecovery makes the instance's recovery key (it has none yet:
// CheckNoRecovery), split into n shares any
// m of which recover, and gives the store its public half, so that every
// compartment key is wrapped to it too (internal/keys). The shares are
// written as files into out (made by CheckRecoveryOut) if it is set. Once
// the keyring holds the key, the shares are returned even with an error:
// they are the only way to it.
func (in *Instance) AddRecovery(ctx context.Context, m, n int, out string) (*Recovery, error) {
	if err := CheckNoRecovery(in.Dir); err != nil {
		return nil, err
	}
	shares, err := in.Keys.SetupRecovery(in.Dir, m, n)
	if err != nil {
		return nil, err
	}
	r := &Recovery{KeyID: shares[0].KeyID, M: m, N: n, Shares: shares, Out: out}
	if out != "" {
		for _, s := range shares {
			p := filepath.Join(out, shareFileName(s))
			if err := writeShare(p, s); err != nil {
				return r, err
			}
			r.Files = append(r.Files, p)
		}
	}
	return r, in.publishRecoveryKey(ctx)
}

// CheckNoRecovery refuses a data directory that has a recovery key
// already: replacing it would lose the keys wrapped to it.
func CheckNoRecovery(dir string) error {
	_, id, err := keyring.RecoveryPublicKey(dir)
	switch {
	case err == nil:
		return fmt.Errorf("%s already has recovery key %s. Replacing it is not supported: keys wrapped to it would be lost with it", dir, id)
	case errors.Is(err, keyring.ErrNoRecovery):
		return nil
	case keyring.Wiped(dir):
		return WipedError(dir)
	}
	return err
}

func writeShare(path string, s keyring.Share) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("writing recovery share: %w", err)
	}
	_, err = f.WriteString(s.Text())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing recovery share %s: %w", path, err)
	}
	return nil
}

func shareFileName(s keyring.Share) string {
	return fmt.Sprintf("rasd-recovery-%s-share-%d-of-%d.txt", s.KeyID, s.Index, s.Total)
}

// CheckRecoveryOut prepares the folder recovery shares are written to
// before anything is created: it is made (0700) and must not be inside
// the data directory, which is exactly where the shares must not stay.
func CheckRecoveryOut(dataDir, out string) error {
	if out == "" {
		return nil
	}
	absData, err1 := filepath.Abs(dataDir)
	absOut, err2 := filepath.Abs(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if rel, err := filepath.Rel(absData, absOut); err == nil && !strings.HasPrefix(rel, "..") {
		return optionErr("--recovery-out must not be inside the data directory: shares kept next to the data protect nothing")
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return fmt.Errorf("--recovery-out: %w", err)
	}
	return nil
}

// publishRecoveryKey gives the store the recovery public key of the
// keyring, unless it has it already.
func (in *Instance) publishRecoveryKey(ctx context.Context) error {
	pub, _, err := keyring.RecoveryPublicKey(in.Dir)
	if err != nil {
		return err
	}
	if have, err := in.Store.RecoveryKey(ctx); err == nil && bytes.Equal(have, pub.Bytes()) {
		return nil
	}
	return in.Store.SetRecoveryKey(ctx, "recovery", pub.Bytes())
}
