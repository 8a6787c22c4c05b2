package records_test

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/archtest"
)

// TestNoKindWritesOutside: records of a kind (persons, organisations, and
// every kind after them) are written only through this package's Service:
// no other package calls Create or Update on a store.Kind it got from the
// store (docs/architecture.md).
func TestNoKindWritesOutside(t *testing.T) {
	var found []string
	seen := archtest.Files(t, 0, func(rel string, fset *token.FileSet, f *ast.File) {
		if archtest.Under(rel, "internal/store", "internal/records") {
			return
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
	})
	if len(found) > 0 {
		t.Errorf("record kinds written around package records:\n  %s", strings.Join(found, "\n  "))
	}
	if !seen["internal/cli"] || !seen["internal/web"] {
		t.Error("the walk missed cli or web")
	}
}
