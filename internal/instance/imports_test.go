package instance

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// backends are the packages that choose and open a storage backend.
var backends = []string{
	"github.com/rasd-project/rasd/internal/store/sqlite",
	"github.com/rasd-project/rasd/internal/store/postgres",
	"github.com/rasd-project/rasd/internal/store/sqlstore",
}

// chooses are the folders whose code may import a backend: the backends
// themselves, this package (the composition root) and the benchmark
// programs. Tests anywhere may, to look beneath the store.
var chooses = []string{"internal/store", "internal/instance", "bench"}

// TestOnlyInstanceChoosesBackend reads the imports of every non-test Go
// file of the module (as go list's Imports would list them) and fails on
// any outside chooses that imports a backend: cli, web and every domain
// package work through store.Store and this package.
func TestOnlyInstanceChoosesBackend(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		seen[filepath.ToSlash(filepath.Dir(rel))] = true
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		allowed := slices.ContainsFunc(chooses, func(p string) bool { return rel == p || strings.HasPrefix(rel, p+"/") })
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if slices.Contains(backends, p) && !allowed {
				t.Errorf("%s imports %s: open data through internal/instance, work through store.Store", rel, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A walk that missed the packages it is about proves nothing.
	for _, dir := range []string{"internal/cli", "internal/web", "internal/backup", "cmd/rasd"} {
		if !seen[dir] {
			t.Errorf("%s was not read", dir)
		}
	}
}
