package portal

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rasd-project/rasd/internal/store"
)

// Live keeps a generated site for a server (rasd serve --portal): Run
// generates it into a temporary directory, then again every Every, and
// swaps each new site in whole; FS returns the current one. The site of
// the generation before stays on disk until the next, so that a request
// that began on it can finish.
type Live struct {
	Store   store.Store
	Options Options
	// Dir is where the temporary directories are made; "" is the
	// system's temporary directory.
	Dir string
	// Every is the time between generations; 0 generates once.
	Every time.Duration
	// Log, if set, is told of each generation and failure.
	Log func(msg string, args ...any)

	cur atomic.Pointer[liveSite]
}

type liveSite struct {
	dir  string
	fsys fs.FS
}

// FS is the current site, nil until the first generation is done.
func (l *Live) FS() fs.FS {
	if s := l.cur.Load(); s != nil {
		return s.fsys
	}
	return nil
}

// Run generates the site until ctx ends, then removes what it wrote. It
// returns the first generation's error; later failures are logged and
// the site before is kept.
func (l *Live) Run(ctx context.Context) error {
	var prev string
	defer func() {
		if s := l.cur.Swap(nil); s != nil {
			os.RemoveAll(s.dir)
		}
		if prev != "" {
			os.RemoveAll(prev)
		}
	}()
	for first := true; ; first = false {
		err := l.generate(ctx, &prev)
		if err != nil && first {
			return err
		}
		if err != nil {
			l.log("portal: generating failed, the previous site is kept", "err", err)
		}
		if l.Every <= 0 {
			<-ctx.Done()
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(l.Every):
		}
	}
}

func (l *Live) generate(ctx context.Context, prev *string) error {
	// A site is built under rasd-building-* and renamed rasd-portal-*
	// whole once done: on disk there are at most two finished sites (this
	// one and the one before) besides the one being built.
	build, err := os.MkdirTemp(l.Dir, "rasd-building-*")
	if err != nil {
		return err
	}
	start := time.Now()
	rep, err := Generate(ctx, l.Store, NewDir(build), l.Options)
	if err != nil {
		os.RemoveAll(build)
		return err
	}
	dir := filepath.Join(filepath.Dir(build), "rasd-portal-"+strings.TrimPrefix(filepath.Base(build), "rasd-building-"))
	if err := os.Rename(build, dir); err != nil {
		os.RemoveAll(build)
		return err
	}
	old := l.cur.Swap(&liveSite{dir: dir, fsys: os.DirFS(dir)})
	if *prev != "" {
		os.RemoveAll(*prev)
	}
	if old != nil {
		*prev = old.dir
	}
	l.log("portal: generated", "incidents", rep.Incidents, "files", rep.Files, "ms", time.Since(start).Milliseconds())
	return nil
}

func (l *Live) log(msg string, args ...any) {
	if l.Log != nil {
		l.Log(msg, args...)
	}
}
