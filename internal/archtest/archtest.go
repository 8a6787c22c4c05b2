// Package archtest reads the module's Go source for the tests that hold
// its architecture (docs/architecture.md): which packages may import a
// storage backend, which may write which records. Only tests import it.
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files parses every non-test Go file of the module, from a test running
// in a package two folders below its root (internal/x), skipping hidden
// folders and testdata, and calls fn with each file's path relative to
// the root (slashes) and its syntax. It returns the folders it read, so
// that a test can check it saw the ones it means to hold.
func Files(t testing.TB, mode parser.Mode, fn func(rel string, fset *token.FileSet, f *ast.File)) map[string]bool {
	t.Helper()
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
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, mode)
		if err != nil {
			return err
		}
		fn(rel, fset, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seen
}

// Under reports whether rel is in one of the folders (or is one).
func Under(rel string, folders ...string) bool {
	for _, f := range folders {
		if rel == f || strings.HasPrefix(rel, f+"/") {
			return true
		}
	}
	return false
}
