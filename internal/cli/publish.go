package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// publishFlags are the portal's settings, shared by publish and serve.
type publishFlags struct {
	baseURL, tagAuthority, org, threshold, digits string
}

func (f *publishFlags) register(fs interface {
	StringVar(*string, string, string, string)
}, baseHelp string) {
	fs.StringVar(&f.baseURL, "base-url", "", baseHelp)
	fs.StringVar(&f.tagAuthority, "tag-authority", "", "tag: URI authority of the feed entries' IDs, a domain and a date (example.org,2024);\n"+
		"keep it from one publication to the next (default: the base URL's host and this year)")
	fs.StringVar(&f.org, "org", "", "name of the publishing organisation, shown on every page (default rasd)")
	fs.StringVar(&f.threshold, "min-verification", "", "least verification status the figures count (default corroborated)")
	fs.StringVar(&f.digits, "digits", "latn", "digits of the Arabic pages, charts and map: arab (٠١٢…) or latn (012…)")
}

func (f *publishFlags) options() (portal.Options, error) {
	if f.digits != "arab" && f.digits != "latn" {
		return portal.Options{}, fmt.Errorf("%w: --digits is arab (Arabic-Indic ٠١٢…) or latn (012…), not %q", ErrUsage, f.digits)
	}
	return portal.Options{BaseURL: f.baseURL, TagAuthority: f.tagAuthority, Org: f.org, Threshold: f.threshold,
		ArabicDigits: f.digits == "arab"}, nil
}

func runPublish(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "publish", "")
	cfg.Register(fs)
	out := fs.String("out", "", "directory to write the public site into (required)")
	force := fs.Bool("force", false, "replace the site already in --out (it must be one rasd published)")
	var pf publishFlags
	pf.register(fs, "absolute URL the site will be served at, e.g. https://example.org/; needed for the Atom feeds")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: give --out DIR, the directory to write the site into", ErrUsage)
	}
	opts, err := pf.options()
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	if err := checkOut(dir, *force); err != nil {
		return err
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	// The site is written beside DIR and moved into place at the end, so
	// that a failure leaves the previous site whole.
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".publish-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone after the swap; removes a half-written site
	report, done := func(int) {}, func() {}
	opts.Progress = func(n, total int) {
		if n == 1 {
			report, done = progress(io, total, "publishing")
		}
		report(n)
	}
	start := time.Now()
	rep, err := portal.Generate(ctx, st, portal.NewDir(tmp), opts)
	done()
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := swap(tmp, dir); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "Published %s in %s: %d files, %.1f MB.\n", dir, time.Since(start).Round(time.Millisecond), rep.Files, float64(rep.Bytes)/1e6)
	fmt.Fprintf(io.Stdout, "  %d public incidents, one page each in Arabic and English (%d list pages per language)\n", rep.Incidents, rep.ListPages)
	fmt.Fprintf(io.Stdout, "  %d counted incidents in the figures, %d of them not published; %d figures with their receipts\n", rep.Counted, rep.Unpublished, rep.Receipts)
	fmt.Fprintf(io.Stdout, "  %d memorial entries; open data in %s\n", rep.Memorial, filepath.Join(dir, "data"))
	if rep.Withheld > 0 {
		fmt.Fprintf(io.Stdout, "  %d incidents marked public were withheld by redaction (merged, rejected, or without a code, type or valid date)\n", rep.Withheld)
	}
	if rep.Feeds {
		fmt.Fprintf(io.Stdout, "  Atom feeds: ar/feed.atom, en/feed.atom\n")
	} else {
		fmt.Fprintf(io.Stdout, "  no Atom feeds: give --base-url to write them\n")
	}
	fmt.Fprintf(io.Stdout, "Open %s in a browser, or copy the directory to any web host.\n", filepath.Join(dir, "index.html"))
	if rep.Incidents == 0 {
		if err := sayNonePublic(ctx, io.Stdout, st); err != nil {
			return err
		}
	}
	return sayBelow(ctx, io.Stdout, st, stats.Query{MinVerification: opts.Threshold}, "rasd stats --data "+cfg.DataDir)
}

// sayNonePublic says why a site lists no incident: the site lists public
// incidents only, and imports and new incidents are internal unless made
// public.
func sayNonePublic(ctx context.Context, w io.Writer, st store.Store) error {
	_, n, err := incidents.New(st, nil).List(ctx, incidents.Operator, store.IncidentFilter{Limit: 1}, "")
	if err != nil || n == 0 {
		return err
	}
	fmt.Fprintf(w, "No incident is listed: the site lists public incidents only, and none of the %d stored is public.\n"+
		"  Incidents are internal unless made public: an analyst or coordinator sets Visibility on an incident's page,\n"+
		"  or an import file says \"visibility\": \"public\" (docs/import-json.md). 'rasd search' lists what is stored.\n", n)
	return nil
}

// checkOut refuses to write over a directory that is not empty, unless
// force is given and the directory holds a site rasd published (its
// index.html and portal.css): --force on the wrong directory must not
// delete it.
func checkOut(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0:
		return nil
	case err != nil:
		return err
	case !force:
		return fmt.Errorf("%w: %s is not empty: give --force to replace the site in it", ErrUsage, dir)
	}
	for _, f := range []string{"index.html", "portal.css"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("%w: %s does not hold a site rasd published (no %s): not replacing it", ErrUsage, dir, f)
		}
	}
	return nil
}

// swap moves the new site tmp to dir, removing the site dir held.
func swap(tmp, dir string) error {
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
