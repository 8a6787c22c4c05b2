package incidents

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// storeWrites are the store's methods that write incidents, sources and
// what sources said: only this package calls them.
var storeWrites = []string{"CreateIncident", "UpdateIncident", "ImportEach", "ImportIncidents",
	"CreateSource", "AddInformation", "AddSourceInformation"}

// writers are the folders whose code may name them: the store that
// implements them and this package.
var writers = []string{"internal/store", "internal/incidents"}

// TestNoDirectWrites reads every non-test Go file of the module and fails
// on any outside writers that names a store write of incidents (a call,
// or a method value): the command line, the web and every other package
// write through Service, so that no write skips a rule. Tests may write
// directly, to set up what they test.
func TestNoDirectWrites(t *testing.T) {
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
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") ||
			slices.ContainsFunc(writers, func(p string) bool { return strings.HasPrefix(rel, p+"/") }) {
			return nil
		}
		seen[filepath.ToSlash(filepath.Dir(rel))] = true
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && slices.Contains(storeWrites, sel.Sel.Name) {
				t.Errorf("%s: %s writes to the store directly: write through incidents.Service", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A walk that missed the packages it is about proves nothing.
	for _, dir := range []string{"internal/cli", "internal/web", "internal/importer", "cmd/rasd"} {
		if !seen[dir] {
			t.Errorf("%s was not read", dir)
		}
	}
}
