package cli

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/backup"
	"github.com/rasd-project/rasd/internal/config"
)

func runRestore(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "restore", "--identity KEYFILE [--data NEW_DIR] FILE")
	cfg.Register(fs)
	var idFiles []string
	fs.Func("identity", "age identity `file` that decrypts the backup (the "+backup.IdentityFile+" rasd init wrote); repeat to try several", func(s string) error {
		idFiles = append(idFiles, s)
		return nil
	})
	signer := fs.String("signer", "", "also trust backups signed by this `key` (ed25519:…), for an identity file that does not name its signer")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || len(idFiles) == 0 {
		return fmt.Errorf("%w: rasd restore --identity KEYFILE [--data NEW_DIR] FILE", ErrUsage)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if cfg.DB != "" {
		return fmt.Errorf("%w: rasd restore brings back an embedded (SQLite) data directory; unset --db / RASD_DB. PostgreSQL is restored with pg_restore", ErrUsage)
	}
	ids, trusted, err := backup.ReadIdentityFiles(idFiles)
	if err != nil {
		return err
	}
	if *signer != "" {
		pub, err := backup.ParseSigner(*signer)
		if err != nil {
			return fmt.Errorf("%w: --signer: %v", ErrUsage, err)
		}
		trusted = append(trusted, pub)
	}
	report, done := byteProgress(io, "restoring")
	m, err := backup.Restore(ctx, pos[0], cfg.DataDir, backup.RestoreOptions{Trusted: trusted, Identities: ids, Progress: report})
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Restored %s into %s: %d files, backed up %s by rasd %s, audit log up to entry %d.\n",
		pos[0], cfg.DataDir, len(m.Members), m.Created.Format("2006-01-02 15:04 MST"), m.RasdVersion, m.AuditHead.Seq)
	fmt.Fprintln(io.Stdout, "Unlock it with the passphrase (or key file) it had when the backup was made, and check it with:")
	fmt.Fprintf(io.Stdout, "  rasd audit verify --data %s\n", cfg.DataDir)
	return nil
}
