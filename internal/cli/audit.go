package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/store"
)

func init() {
	a := groups["audit"]
	a["verify"] = command{"check the audit log, its history and records, against its signed checkpoints", func(ctx context.Context, io IO, args []string) error {
		var kept []string
		return auditCommand(ctx, io, "verify", "[--checkpoint FILE]...", args, func(fs *flag.FlagSet) {
			fs.Func("checkpoint", "a signed checkpoint `file` ('rasd audit checkpoint' printed it) the log must contain and extend; repeat for several", func(s string) error {
				kept = append(kept, s)
				return nil
			})
		}, func(in *instance.Instance) error { return auditVerify(ctx, io, in, kept) })
	}}
	a["checkpoint"] = command{"print the log's signed checkpoint, or its verifier key", func(ctx context.Context, io IO, args []string) error {
		var key, reset *bool
		return auditCommand(ctx, io, "checkpoint", "[--key] [--reset]", args, func(fs *flag.FlagSet) {
			key = fs.Bool("key", false, "print the verifier key of the checkpoints instead, for publishing with them")
			reset = fs.Bool("reset", false, "after restoring an older database on purpose, verify the log and anchor it anew (the old checkpoint is kept beside)")
		}, func(in *instance.Instance) error { return auditCheckpoint(ctx, io, in, *key, *reset) })
	}}
}

// auditCommand parses 'rasd audit WHAT' with the data flags and those
// more adds, and runs do on the opened data directory.
func auditCommand(ctx context.Context, io IO, what, usage string, args []string, more func(*flag.FlagSet), do func(*instance.Instance) error) error {
	var cfg config.Config
	fs := flags(io, "audit "+what, usage)
	cfg.Register(fs)
	more(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: rasd audit %s %s", ErrUsage, what, usage)
	}
	in, err := open(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer in.Close()
	return do(in)
}

const tamperedAdvice = "The audit log has been tampered with or damaged. Keep this data directory as it is (it is evidence), and compare it with your latest backup (docs/audit.md)"

func auditVerify(ctx context.Context, io IO, in *instance.Instance, files []string) error {
	a := in.Anchor()
	opt := store.VerifyOptions{Key: in.Keys.Derive("audit")}
	for _, f := range files {
		c, err := readCheckpoint(f, a)
		if err != nil {
			return err
		}
		opt.Checkpoints = append(opt.Checkpoints, c)
	}
	rep, err := in.Store.VerifyLog(ctx, opt)
	if err != nil {
		return fmt.Errorf("%w\n%s", err, tamperedAdvice)
	}
	fmt.Fprintf(io.Stdout, "Audit log intact: %d entries, chain and sealed head verified.\n", rep.Entries)
	fmt.Fprintf(io.Stdout, "History (%d versions) and records (%d) match it.\n", rep.Versions, rep.Records)
	if rep.Imported > 0 {
		fmt.Fprintf(io.Stdout, "Of those versions, %d are records as their import created them, each matching its import's Merkle root.\n", rep.Imported)
	}
	for i, f := range files {
		fmt.Fprintf(io.Stdout, "Checkpoint %s (%d entries): the log contains and extends it.\n", f, opt.Checkpoints[i].Size)
	}
	// The log is verified whole: anchoring it now trusts nothing unchecked.
	st, err := a.Advance(ctx, in.AuditLog())
	if err != nil {
		return fmt.Errorf("the log verifies, but its checkpoint could not be advanced: %w", err)
	}
	if rep.Stored == nil {
		fmt.Fprintf(io.Stdout, "The data directory held no checkpoint: it holds one now, at %d entries (%s).\n", st.Checkpoint.Size, a.Path())
	} else {
		fmt.Fprintf(io.Stdout, "Checkpoint in the data directory (%d entries): the log contains and extends it; now at %d.\n", rep.Stored.Checkpoint.Size, st.Checkpoint.Size)
	}
	return nil
}

// readCheckpoint reads a kept checkpoint and checks that this data
// directory's key signed it.
func readCheckpoint(path string, a *audit.Anchor) (audit.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return audit.Checkpoint{}, fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return audit.Checkpoint{}, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	text, err := audit.OpenNote(b, a.Key())
	if errors.Is(err, audit.ErrNoSignature) {
		return audit.Checkpoint{}, fmt.Errorf("checkpoint %s: %w (%s): was it printed by another data directory?", path, err, a.Key())
	}
	if err != nil {
		return audit.Checkpoint{}, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	c, err := audit.ParseCheckpoint(text)
	if err == nil && c.Origin != a.Origin() {
		err = fmt.Errorf("it is the checkpoint of log %s, not of this one (%s)", c.Origin, a.Origin())
	}
	if err != nil {
		return audit.Checkpoint{}, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

func auditCheckpoint(ctx context.Context, io IO, in *instance.Instance, key, reset bool) error {
	a := in.Anchor()
	if key {
		fmt.Fprintln(io.Stdout, a.Key())
		return nil
	}
	if reset {
		// The whole log must verify, but not against the checkpoint it
		// is about to replace.
		_, err := in.VerifyWithoutCheckpoint(ctx, store.VerifyOptions{Key: in.Keys.Derive("audit")})
		if err != nil {
			return fmt.Errorf("%w\nNot anchored anew: %s", err, tamperedAdvice)
		}
		st, kept, err := a.Reset(ctx, in.AuditLog())
		if err != nil {
			return err
		}
		if kept != "" {
			fmt.Fprintf(io.Stderr, "The replaced checkpoint is kept as %s.\n", kept)
		}
		fmt.Fprint(io.Stdout, st.Note)
		return nil
	}
	st, err := a.Advance(ctx, in.AuditLog())
	if err != nil {
		return fmt.Errorf("%w\n%s", err, tamperedAdvice)
	}
	fmt.Fprint(io.Stdout, st.Note)
	return nil
}
