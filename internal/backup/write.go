package backup

import (
	"archive/tar"
	"bufio"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
)

// File is one file to put in a backup: Name is its name in the backup and
// in the restored data directory, Path where it is read from now.
type File struct {
	Name string
	Path string
}

// source is a member being written: its manifest entry and its bytes.
type source struct {
	Member
	r io.Reader
}

// Write writes a backup of files to w: encrypted to recipients, signed with
// key. m supplies Created, RasdVersion, Backend and AuditHead; Write fills
// in the rest and returns the manifest it wrote. Each file is read twice
// (once to hash it for the manifest, once to encrypt it) and must not
// change in between. progress, if not nil, is told how many member bytes
// of how many are done.
func Write(w io.Writer, m Manifest, files []File, key ed25519.PrivateKey, recipients []age.Recipient, progress func(done, total int64)) (Manifest, error) {
	if len(recipients) == 0 {
		return m, errors.New("backup: no recipients to encrypt to")
	}
	m.Format, m.Version = manifestFormat, formatVersion
	m.Created = m.Created.UTC().Truncate(time.Second)
	m.Signer = FormatSigner(key.Public().(ed25519.PublicKey))
	m.Members = nil
	var srcs []source
	seen := map[string]bool{}
	for _, f := range files {
		if !validName(f.Name) || seen[f.Name] {
			return m, fmt.Errorf("backup: bad or repeated member name %q", f.Name)
		}
		seen[f.Name] = true
		fh, err := os.Open(f.Path)
		if err != nil {
			return m, fmt.Errorf("backup: %w", err)
		}
		defer fh.Close()
		h := sha256.New()
		n, err := io.Copy(h, fh)
		if err != nil {
			return m, fmt.Errorf("backup: reading %s: %w", f.Path, err)
		}
		if _, err := fh.Seek(0, io.SeekStart); err != nil {
			return m, fmt.Errorf("backup: %w", err)
		}
		mem := Member{Name: f.Name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
		m.Members = append(m.Members, mem)
		srcs = append(srcs, source{mem, fh})
	}
	for _, name := range required {
		if !seen[name] {
			return m, fmt.Errorf("backup: %s is missing from the files to back up", name)
		}
	}
	sums, err := encode(w, m, srcs, key, recipients, progress)
	if err != nil {
		return m, err
	}
	for i, mem := range m.Members {
		if sums[i] != mem.SHA256 {
			return m, fmt.Errorf("backup: %s changed while the backup was being written; run the backup again", files[i].Path)
		}
	}
	return m, nil
}

// encode writes the backup file for manifest m and its members' bytes, and
// returns the SHA-256 of what it actually read for each member (Write
// checks them against m; the tests use encode to forge a mismatch).
func encode(w io.Writer, m Manifest, srcs []source, key ed25519.PrivateKey, recipients []age.Recipient, progress func(done, total int64)) ([]string, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	signed := sha512.New()
	out := io.MultiWriter(bw, signed)

	hdr, err := json.Marshal(Header{Version: formatVersion, Signer: m.Signer})
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(out, "%s\n%s\n", Magic, hdr); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	aw, err := age.Encrypt(out, recipients...)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tw := tar.NewWriter(aw)
	man, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := putMember(tw, m.Created, manifestName, int64(len(man))); err != nil {
		return nil, err
	}
	if _, err := tw.Write(man); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var total, done int64
	for _, s := range srcs {
		total += s.Size
	}
	var sums []string
	for _, s := range srcs {
		if err := putMember(tw, m.Created, s.Name, s.Size); err != nil {
			return nil, err
		}
		h := sha256.New()
		r := io.TeeReader(s.r, h)
		for left := s.Size; left > 0; {
			n, err := io.CopyN(tw, r, min(left, 1<<20))
			done += n
			left -= n
			if err != nil {
				return nil, fmt.Errorf("backup: writing %s: %w", s.Name, err)
			}
			if progress != nil {
				progress(done, total)
			}
		}
		sums = append(sums, hex.EncodeToString(h.Sum(nil)))
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := aw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	sig, err := key.Sign(nil, signed.Sum(nil), &ed25519.Options{Hash: crypto.SHA512, Context: sigContext})
	if err != nil {
		return nil, fmt.Errorf("backup: signing: %w", err)
	}
	if _, err := bw.Write(sig); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return sums, nil
}

// putMember starts a tar entry that says nothing about the machine it
// came from: no owner, group or real file times.
func putMember(tw *tar.Writer, at time.Time, name string, size int64) error {
	err := tw.WriteHeader(&tar.Header{
		Typeflag: tar.TypeReg,
		Name:     name,
		Mode:     0o600,
		Size:     size,
		ModTime:  at,
		Format:   tar.FormatUSTAR,
	})
	if err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	return nil
}
