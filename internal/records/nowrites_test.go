package records_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoKindWritesOutside: records of a kind (persons, organisations, and
// every kind after them) are written only through this package's Service:
// no other package calls Create or Update on a store.Kind it got from the
// store (docs/architecture.md).
func TestNoKindWritesOutside(t *testing.T) {
	root := filepath.Join("..", "..")
	var found []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		slash := filepath.ToSlash(path)
		if d.IsDir() && (strings.Contains(slash, "internal/store") || strings.HasSuffix(slash, "internal/records") ||
			d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			write, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || write.Sel.Name != "Create" && write.Sel.Name != "Update" {
				return true
			}
			inner, ok := write.X.(*ast.CallExpr)
			if !ok {
				return true
			}
			if kind, ok := inner.Fun.(*ast.SelectorExpr); ok && (kind.Sel.Name == "Persons" || kind.Sel.Name == "Organisations") {
				found = append(found, fset.Position(call.Pos()).String())
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("record kinds written around package records:\n  %s", strings.Join(found, "\n  "))
	}
}
