package cli

import (
	"context"
	"fmt"
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
	"github.com/rasd-project/rasd/internal/instance"
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
	if err := instance.CheckSnapshot(cfg); err != nil {
		return err
	}
	recipients, from, err := backupRecipients(cfg.DataDir, rcpts)
	if err != nil {
		return err
	}
	if err := backup.CheckOut(*out); err != nil {
		return err
	}
	warnIdentity(io, cfg.DataDir)

	in, err := open(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer in.Close()
	report, done := byteProgress(io, "backing up")
	m, err := backup.Create(ctx, in.BackupSource(), backup.CreateOptions{
		Out: *out, Recipients: recipients, RasdVersion: Version, Progress: report})
	done()
	if err != nil {
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
	return backup.DefaultRecipients(dir)
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
