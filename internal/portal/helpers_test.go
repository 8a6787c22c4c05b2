package portal_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// today is the day the tests publish on.
var today = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func openStore(t testing.TB) store.Store { return teststores.SQLite(t) }

// publish generates the site of st into a new directory and returns it.
func publish(t testing.TB, st store.Store, opts portal.Options) (string, portal.Report) {
	t.Helper()
	dir := t.TempDir()
	if opts.Now.IsZero() {
		opts.Now = today
	}
	rep, err := portal.Generate(context.Background(), st, portal.NewDir(dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	return dir, rep
}

// files reads every file of the site: path from the root → content.
func files(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func count(m map[string]string, prefix, suffix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) && strings.HasSuffix(k, suffix) {
			n++
		}
	}
	return n
}
