package instance

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/rasd-project/rasd/internal/archtest"
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
	seen := archtest.Files(t, parser.ImportsOnly, func(rel string, _ *token.FileSet, f *ast.File) {
		allowed := archtest.Under(rel, chooses...)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if slices.Contains(backends, p) && !allowed {
				t.Errorf("%s imports %s: open data through internal/instance, work through store.Store", rel, p)
			}
		}
	})
	// A walk that missed the packages it is about proves nothing.
	for _, dir := range []string{"internal/cli", "internal/web", "internal/api", "internal/backup", "cmd/rasd"} {
		if !seen[dir] {
			t.Errorf("%s was not read", dir)
		}
	}
}
