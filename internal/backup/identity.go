package backup

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
)

// signerComment starts the identity file's line naming the signer key that
// backups decrypted with this identity must carry.
const signerComment = "# rasd backup signer: "

// Setup creates dir's backup keys: a new age identity written to
// IdentityFile (0600), for the administrator to move off the machine, its
// public key as the only line of RecipientsFile, and the signer's public
// key in SignerFile. The identity file also names the signer, so that a
// restore with it knows which signature to trust. It refuses to replace
// any of these files. It returns the recipient (age1…).
func Setup(dir string, signer ed25519.PublicKey) (string, error) {
	for _, name := range []string{IdentityFile, RecipientsFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return "", fmt.Errorf("%s already exists; remove it first to make new backup keys", filepath.Join(dir, name))
		}
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	rcpt := id.Recipient().String()
	idText := fmt.Sprintf(`# rasd backup identity, created %s for the data directory %s
# It decrypts every backup of that data directory. MOVE IT OFF THE MACHINE:
# keep it on a USB stick in a safe place (and a second copy, e.g. on paper),
# then delete it from the data directory. Restore with
#   rasd restore --identity THIS_FILE --data NEW_DIR BACKUP_FILE
# public key: %s
%s%s
%s
`, time.Now().UTC().Format(time.RFC3339), dir, rcpt, signerComment, FormatSigner(signer), id.String())
	if err := writeNew(filepath.Join(dir, IdentityFile), idText); err != nil {
		return "", err
	}
	rcptText := "# age public keys that 'rasd backup' encrypts to, one a line. Add a second\n" +
		"# offline key (age-keygen) here so that losing one identity does not lose the backups.\n" + rcpt + "\n"
	if err := writeNew(filepath.Join(dir, RecipientsFile), rcptText); err != nil {
		return "", err
	}
	if err := WriteSigner(dir, signer); err != nil {
		return "", err
	}
	return rcpt, nil
}

// WriteSigner writes SignerFile in dir if it is not there yet.
func WriteSigner(dir string, signer ed25519.PublicKey) error {
	err := writeNew(filepath.Join(dir, SignerFile), FormatSigner(signer)+"\n")
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return err
}

// ReadRecipients reads an age recipients file (RecipientsFile, or one
// made by hand: age1… lines, # comments).
func ReadRecipients(path string) ([]age.Recipient, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rs, err := age.ParseRecipients(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rs, nil
}

// ParseIdentityFile reads an age identity file and the signer keys its
// "# rasd backup signer:" comments name (none for a file made by
// age-keygen).
func ParseIdentityFile(b []byte) ([]age.Identity, []ed25519.PublicKey, error) {
	ids, err := age.ParseIdentities(bytes.NewReader(b))
	if err != nil {
		return nil, nil, err
	}
	var signers []ed25519.PublicKey
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if s, ok := strings.CutPrefix(sc.Text(), signerComment); ok {
			pub, err := ParseSigner(s)
			if err != nil {
				return nil, nil, err
			}
			signers = append(signers, pub)
		}
	}
	return ids, signers, nil
}

func writeNew(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// DefaultRecipients reads the recipients file of the data directory dir
// and returns its path, to say where the recipients came from.
func DefaultRecipients(dir string) ([]age.Recipient, string, error) {
	path := filepath.Join(dir, RecipientsFile)
	rs, err := ReadRecipients(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("no backup recipients: %s does not exist.\n"+
			"Make a key pair with age-keygen on another machine, keep its private part there, and pass its public key\n"+
			"with --recipient age1… (or put it in that file)", path)
	}
	if err != nil {
		return nil, "", err
	}
	return rs, path, nil
}

// ReadIdentityFiles reads the age identity files at paths and the signer
// keys they name (ParseIdentityFile), all of them together.
func ReadIdentityFiles(paths []string) ([]age.Identity, []ed25519.PublicKey, error) {
	var ids []age.Identity
	var trusted []ed25519.PublicKey
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, fmt.Errorf("identity file: %w", err)
		}
		i, s, err := ParseIdentityFile(b)
		if err != nil {
			return nil, nil, fmt.Errorf("identity file %s: %w", p, err)
		}
		ids, trusted = append(ids, i...), append(trusted, s...)
	}
	return ids, trusted, nil
}
