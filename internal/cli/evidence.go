package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

func init() {
	e := groups["evidence"]
	e["add"] = command{"hash, encrypt and attach files to an incident or person", func(ctx context.Context, io IO, args []string) error {
		var incident, person *string
		var maxMiB *int64
		return evidenceCommand(ctx, io, "add", "--incident ID|--person ID FILE…", -1, args, func(fs *flag.FlagSet) {
			incident, person = parentFlags(fs)
			maxMiB = fs.Int64("max-mib", evidence.DefaultMaxSize>>20, "largest file accepted, in MiB")
		}, func(ev evidenceRun) error {
			kind, parent, err := evidenceParent(ctx, ev.st, *incident, *person)
			if err != nil {
				return err
			}
			if kind == "" {
				return fmt.Errorf("%w: rasd evidence add --incident ID|--person ID FILE…", ErrUsage)
			}
			ev.svc.MaxSize = *maxMiB << 20
			return evidenceAdd(ctx, io, ev.svc, ev.actor, kind, parent, ev.pos)
		})
	}}
	e["list"] = command{"list files, all or those of one incident or person", func(ctx context.Context, io IO, args []string) error {
		var incident, person *string
		return evidenceCommand(ctx, io, "list", "[--incident ID|--person ID]", 0, args, func(fs *flag.FlagSet) {
			incident, person = parentFlags(fs)
		}, func(ev evidenceRun) error {
			kind, parent, err := evidenceParent(ctx, ev.st, *incident, *person)
			if err != nil {
				return err
			}
			return evidenceList(ctx, io, ev.st, ev.svc, kind, parent)
		})
	}}
	e["show"] = command{"show a file's details and chain of custody", func(ctx context.Context, io IO, args []string) error {
		return evidenceCommand(ctx, io, "show", "ID", 1, args, nil, func(ev evidenceRun) error {
			return evidenceShow(ctx, io, ev.st, ev.svc, ev.actor, ev.pos[0])
		})
	}}
	e["export"] = command{"write a file out, decrypted and checked against its hash", func(ctx context.Context, io IO, args []string) error {
		var out *string
		var original *bool
		return evidenceCommand(ctx, io, "export", "ID --out FILE", 1, args, func(fs *flag.FlagSet) {
			out = fs.String("out", "", "file to write; must not exist (required)")
			original = fs.Bool("original", false, "export the original instead of the working copy (metadata kept)")
		}, func(ev evidenceRun) error {
			if *out == "" {
				return fmt.Errorf("%w: rasd evidence export ID --out FILE", ErrUsage)
			}
			return evidenceExport(ctx, io, ev.st, ev.svc, ev.actor, ev.pos[0], *out, *original)
		})
	}}
	e["verify"] = command{"check every stored file against its hash", func(ctx context.Context, io IO, args []string) error {
		return evidenceCommand(ctx, io, "verify", "", 0, args, nil, func(ev evidenceRun) error {
			return evidenceVerify(ctx, io, ev.svc)
		})
	}}
	e["clean"] = command{"remove leftover files of interrupted intakes", func(ctx context.Context, io IO, args []string) error {
		var grace *time.Duration
		return evidenceCommand(ctx, io, "clean", "", 0, args, func(fs *flag.FlagSet) {
			grace = fs.Duration("grace", evidence.DefaultGrace, "remove unreferenced files older than this")
		}, func(ev evidenceRun) error {
			n, err := ev.svc.Clean(ctx, *grace)
			fmt.Fprintf(io.Stdout, "Removed %d leftover file(s) of interrupted intakes.\n", n)
			return err
		})
	}}
}

func parentFlags(fs *flag.FlagSet) (incident, person *string) {
	return fs.String("incident", "", "incident ID or code"), fs.String("person", "", "person ID")
}

// evidenceRun is what an evidence subcommand works with.
type evidenceRun struct {
	st    store.Store
	svc   *evidence.Service
	actor string
	pos   []string
}

// evidenceCommand parses 'rasd evidence WHAT' with the data flags and
// those more adds, opens the data directory and its evidence store, and
// runs do with nargs arguments (-1: one or more). Every add, show and
// export is written to the file's chain of custody as --actor
// (RASD_ACTOR, default "cli").
func evidenceCommand(ctx context.Context, io IO, what, usage string, nargs int, args []string, more func(*flag.FlagSet), do func(evidenceRun) error) error {
	var cfg config.Config
	fs := flags(io, "evidence "+what, usage)
	cfg.Register(fs)
	if more != nil {
		more(fs)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if nargs >= 0 && len(pos) != nargs || nargs < 0 && len(pos) == 0 {
		return fmt.Errorf("%w: rasd evidence %s %s", ErrUsage, what, usage)
	}
	in, err := open(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer in.Close()
	svc, err := in.Evidence()
	if err != nil {
		return err
	}
	if err := keyHashes(ctx, svc, func(msg string, args ...any) { fmt.Fprintf(io.Stderr, msg+"\n", args...) }); err != nil {
		return err
	}
	return do(evidenceRun{st: in.Store, svc: svc, actor: cfg.Actor, pos: pos})
}

// evidenceParent resolves --incident (ID or code) or --person.
func evidenceParent(ctx context.Context, st store.Store, incident, person string) (string, string, error) {
	switch {
	case incident != "" && person != "":
		return "", "", fmt.Errorf("%w: give --incident or --person, not both", ErrUsage)
	case incident != "":
		inc, err := st.GetIncident(ctx, incident)
		if errors.Is(err, store.ErrNotFound) {
			inc, err = st.GetIncidentByCode(ctx, incident)
		}
		if err != nil {
			return "", "", fmt.Errorf("incident %s: %w ('rasd search' finds incidents)", incident, err)
		}
		return store.KindIncident, inc.ID, nil
	case person != "":
		p, err := st.Persons().Get(ctx, person)
		if err != nil {
			return "", "", fmt.Errorf("person %s: %w", person, err)
		}
		return store.KindPerson, p.ID, nil
	}
	return "", "", nil
}

func evidenceAdd(ctx context.Context, io IO, svc *evidence.Service, actor, kind, parent string, files []string) error {
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		base, renamed := evidence.CleanName(filepath.Base(name))
		e, err := svc.Add(ctx, actor, kind, parent, base, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(io.Stdout, "%s  %s  %d bytes  sha256 %s\n", e.ID, e.Type, e.Size, svc.SHA256(e))
		if renamed {
			fmt.Fprintf(io.Stdout, "  kept as \"%s\": invisible direction controls, which can disguise a file's type, were removed from its name\n", base)
		}
	}
	return nil
}

func evidenceList(ctx context.Context, io IO, st store.Store, svc *evidence.Service, kind, parent string) error {
	list, err := st.ListEvidence(ctx, kind, parent)
	if err != nil {
		return err
	}
	codes := map[string]string{} // incident ID → code, each looked up once
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "EVIDENCE\tATTACHED TO\tTYPE\tBYTES\tSHA-256\tNAME")
	for _, e := range list {
		to := e.ParentKind + " " + e.ParentID
		if e.ParentKind == store.KindIncident {
			if _, ok := codes[e.ParentID]; !ok {
				codes[e.ParentID] = e.ParentID
				if inc, err := st.GetIncident(ctx, e.ParentID); err == nil && inc.Code != "" {
					codes[e.ParentID] = inc.Code
				}
			}
			to = codes[e.ParentID]
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", e.ID, to, e.Type, e.Size, svc.SHA256(&e), svc.Name(&e))
	}
	return w.Flush()
}

func evidenceShow(ctx context.Context, io IO, st store.Store, svc *evidence.Service, actor, id string) error {
	e, err := st.GetEvidence(ctx, id)
	if err != nil {
		return fmt.Errorf("evidence %s: %w ('rasd evidence list' shows the IDs)", id, err)
	}
	if err := st.LogCustody(ctx, model.Custody{EvidenceID: e.ID, Actor: actor, Action: model.CustodyView}); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "evidence  %s\nattached  %s %s\nname      %s\ntype      %s\nsize      %d bytes\nsha256    %s\nintake    %s by %s\n",
		e.ID, e.ParentKind, e.ParentID, svc.Name(e), e.Type, e.Size, svc.SHA256(e), e.CreatedAt.Format(time.RFC3339), e.CreatedBy)
	cs, err := st.Custody(ctx, e.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(io.Stdout, "\nchain of custody:")
	for _, c := range cs {
		fmt.Fprintf(io.Stdout, "  %s  %-18s %s %s\n", c.At.Format(time.RFC3339), c.Action, c.Actor, c.Note)
	}
	return nil
}

// evidenceExport writes the working copy (or the original) to a new file;
// a file that fails its check is removed, never left half-written.
func evidenceExport(ctx context.Context, cio IO, st store.Store, svc *evidence.Service, actor, id, out string, original bool) (err error) {
	e, err := st.GetEvidence(ctx, id)
	if err != nil {
		return fmt.Errorf("evidence %s: %w ('rasd evidence list' shows the IDs)", id, err)
	}
	var src io.Reader
	action := model.CustodyExportCopy
	if original {
		r, err := svc.Open(e)
		if err != nil {
			return err
		}
		defer r.Close()
		src, action = r, model.CustodyExportOrig
	} else {
		b, err := svc.WorkingCopy(e)
		if errors.Is(err, evidence.ErrCannotClean) {
			return fmt.Errorf("%w\nNo working copy of a %s; export the original with --original if its metadata may go with it", err, e.Type)
		}
		if err != nil {
			return err
		}
		src = bytes.NewReader(b)
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%w (choose a new file name)", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(out)
		}
	}()
	if _, err = io.Copy(f, src); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = st.LogCustody(ctx, model.Custody{EvidenceID: e.ID, Actor: actor, Action: action}); err != nil {
		return err
	}
	what := "the original, which matches"
	if !original {
		what = "a working copy of the original, which matched"
	}
	fmt.Fprintf(cio.Stdout, "Wrote %s (%s): %s its SHA-256 recorded at intake, %s.\nThe export is recorded in the chain of custody.\n",
		out, action, what, svc.SHA256(e))
	return nil
}

func evidenceVerify(ctx context.Context, io IO, svc *evidence.Service) error {
	bad := 0
	n, err := svc.Verify(ctx, func(e model.Evidence, err error) {
		bad++
		fmt.Fprintf(io.Stderr, "FAIL %s: %v\n", e.ID, err)
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d evidence files failed verification (listed above)", bad, n)
	}
	fmt.Fprintf(io.Stdout, "Evidence intact: %d original(s) decrypted and re-hashed, all match their intake SHA-256.\n", n)
	return nil
}

// startEvidence opens the evidence folder for serve and removes what
// interrupted intakes left behind (ciphertext only, older than the grace
// period, so that another rasd's upload in progress is not touched).
func startEvidence(ctx context.Context, in *instance.Instance, sf serveFlags, log *slog.Logger) (*evidence.Service, error) {
	svc, err := in.Evidence()
	if err != nil {
		return nil, err
	}
	svc.MaxSize = sf.evidenceMiB << 20
	if err := keyHashes(ctx, svc, func(msg string, args ...any) { log.Warn(fmt.Sprintf(msg, args...)) }); err != nil {
		return nil, err
	}
	if n, err := svc.Clean(ctx, evidence.DefaultGrace); err != nil {
		return nil, fmt.Errorf("evidence folder: %w", err)
	} else if n > 0 {
		log.Info("evidence: removed leftovers of interrupted uploads", "files", n)
	}
	return svc, nil
}

// keyHashes converts the hashes of evidence taken in before they were
// keyed (docs/evidence.md, "Hashes"), once, whenever the evidence folder
// is opened with the keyring; say tells what it did and which files it
// could not read.
func keyHashes(ctx context.Context, svc *evidence.Service, say func(msg string, args ...any)) error {
	n, err := svc.KeyHashes(ctx, "cli", func(e model.Evidence, err error) {
		say("evidence %s: its hash stays unkeyed until its file is restored: %v", e.ID, err)
	})
	if n > 0 {
		say("Keyed the SHA-256 of %d evidence file(s) taken in before rasd kept hashes keyed (docs/evidence.md, \"Hashes\").", n)
	}
	return err
}
