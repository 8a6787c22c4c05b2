package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

func runBackup(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "backup", "--out FILE")
	cfg.Register(fs)
	out := fs.String("out", "", "write the backup to this new `file` (never overwritten)")
	var rcpts []string
	fs.Func("recipient", "encrypt to this age public `key` (age1…); repeat for several. Without it: the keys in DATA/"+backup.RecipientsFile, func(s string) error {
		rcpts = append(rcpts, s)
		return nil
	})
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		return fmt.Errorf("%w: rasd backup --out FILE [--recipient age1…]", ErrUsage)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if cfg.DB != "" {
		return fmt.Errorf("rasd backup covers the embedded SQLite store, and this data directory uses PostgreSQL (--db, RASD_DB).\n"+
			"Back PostgreSQL up with its own tool, pg_dump, encrypted before it leaves the server, e.g.\n"+
			"  pg_dump --format=custom … | age -R %s > rasd-db.dump.age\n"+
			"and keep a copy of %s with it: it holds the keys of the audit log and of the app-encrypted fields",
			filepath.Join(cfg.DataDir, backup.RecipientsFile), filepath.Join(cfg.DataDir, keyring.FileName))
	}
	recipients, from, err := backupRecipients(cfg.DataDir, rcpts)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name (rasd never overwrites a backup)", *out)
	}
	warnIdentity(io, cfg.DataDir)

	st, keys, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	db, ok := st.(*sqlstore.DB)
	if !ok {
		return fmt.Errorf("rasd backup: unexpected store %s", st.Backend())
	}
	signer := backup.SigningKey(keys)
	pub := signer.Public().(ed25519.PublicKey)
	if err := backup.WriteSigner(cfg.DataDir, pub); err != nil {
		return err
	}

	// The snapshot stays in the data directory and is encrypted like the
	// database itself; it is removed when the backup is written.
	work, err := os.MkdirTemp(cfg.DataDir, ".backup-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	snap := filepath.Join(work, sqlite.FileName)
	head, err := sqlite.Snapshot(ctx, db, snap, keys.Derive("database"))
	if err != nil {
		return err
	}
	files := []backup.File{
		{Name: keyring.FileName, Path: filepath.Join(cfg.DataDir, keyring.FileName)},
		{Name: sqlite.FileName, Path: snap},
	}
	for _, name := range []string{backup.RecipientsFile, backup.SignerFile, keyring.GuardFile} {
		if p := filepath.Join(cfg.DataDir, name); fileExists(p) {
			files = append(files, backup.File{Name: name, Path: p})
		}
	}
	// Evidence files are listed after the snapshot: every file the
	// snapshot's rows name is already in place (a file is stored before
	// its row). They are ciphertext already, under the keyring's key.
	ev, err := evidenceFiles(cfg.DataDir)
	if err != nil {
		return err
	}
	files = append(files, ev...)

	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	report, done := byteProgress(io, "backing up")
	m, err := backup.Write(tmp, backup.Manifest{
		Created:     time.Now(),
		RasdVersion: Version,
		Backend:     st.Backend(),
		AuditHead:   backup.AuditHead{Seq: head.Seq, Hash: head.Hash},
	}, files, signer, recipients, report)
	done()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%w\nNo backup was written", err)
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s appeared while the backup was being written; not replacing it", *out)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	var size int64
	if info, err := os.Stat(*out); err == nil {
		size = info.Size()
	}
	fmt.Fprintf(io.Stdout, "Backup written to %s (%s): %d files, audit log up to entry %d.\n", *out, humanBytes(size), len(m.Members), m.AuditHead.Seq)
	fmt.Fprintf(io.Stdout, "Encrypted to: %s (%s)\n", strings.Join(recipientNames(recipients), ", "), from)
	fmt.Fprintf(io.Stdout, "Signed by:    %s\n", m.Signer)
	fmt.Fprintf(io.Stdout, "Restore with: rasd restore --identity %s --data NEW_DIR %s\n", backup.IdentityFile, *out)
	return nil
}

// backupRecipients returns the recipients given on the command line, or
// else those of the data directory's recipients file, and says where they
// came from.
func backupRecipients(dir string, given []string) ([]age.Recipient, string, error) {
	if len(given) > 0 {
		var rs []age.Recipient
		for _, s := range given {
			r, err := age.ParseRecipients(strings.NewReader(s))
			if err != nil || len(r) != 1 {
				shown := strconv.Quote(s)
				if !strings.HasPrefix(s, "age1") {
					shown = "(value not shown: it may be a secret key)"
				}
				return nil, "", fmt.Errorf("%w: --recipient %s is not an age public key (age1…)", ErrUsage, shown)
			}
			rs = append(rs, r[0])
		}
		return rs, "--recipient", nil
	}
	path := filepath.Join(dir, backup.RecipientsFile)
	rs, err := backup.ReadRecipients(path)
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

func recipientNames(rs []age.Recipient) []string {
	var names []string
	for _, r := range rs {
		if s, ok := r.(fmt.Stringer); ok {
			names = append(names, s.String())
		} else {
			names = append(names, fmt.Sprintf("%T", r))
		}
	}
	return names
}

// warnIdentity complains, loudly, if the key that decrypts every backup is
// still in the data directory.
func warnIdentity(io IO, dir string) {
	p := filepath.Join(dir, backup.IdentityFile)
	if !fileExists(p) {
		return
	}
	fmt.Fprintf(io.Stderr, "\n"+
		"WARNING: %s is still on this machine.\n"+
		"It decrypts every backup: anyone who takes this machine or copies this directory can read them all.\n"+
		"Move it OFF the machine now (a USB stick kept in a safe place, and a paper copy) and delete it here.\n\n", p)
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// byteProgress is progress for work measured in bytes: a bar on a
// terminal, nothing elsewhere. The bar appears at the first report.
func byteProgress(io IO, what string) (func(done, total int64), func()) {
	f, ok := io.Stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func(int64, int64) {}, func() {}
	}
	var bar *progressbar.ProgressBar
	report := func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(f),
				progressbar.OptionSetDescription(what),
				progressbar.OptionShowBytes(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		}
		bar.Set64(done)
	}
	return report, func() {
		if bar != nil {
			bar.Finish()
		}
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// evidenceFiles lists the stored evidence files of a data directory as
// backup members named evidence/…, leaving out unfinished uploads.
func evidenceFiles(dataDir string) ([]backup.File, error) {
	root := filepath.Join(dataDir, evidence.DirName)
	var out []backup.File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == root {
			return fs.SkipDir // no evidence yet
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dataDir, path)
			if err != nil {
				return err
			}
			out = append(out, backup.File{Name: filepath.ToSlash(rel), Path: path})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing evidence files: %w", err)
	}
	return out, nil
}
