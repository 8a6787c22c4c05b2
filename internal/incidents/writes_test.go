package incidents

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/archtest"
)

// storeWrites are the store's methods that write incidents, sources and
// what sources said: only this package calls them.
var storeWrites = []string{"CreateIncident", "UpdateIncident", "ImportEach", "ImportIncidents",
	"CreateSource", "AddInformation", "AddSourceInformation", "CreateDraft", "MergeIncidents", "UnmergeIncident", "MarkDistinct"}

// writers are the folders whose code may name them: the store that
// implements them and this package.
var writers = []string{"internal/store", "internal/incidents"}

// TestNoDirectWrites reads every non-test Go file of the module and fails
// on any outside writers that names a store write of incidents (a call,
// or a method value): the command line, the web and every other package
// write through Service, so that no write skips a rule. Tests may write
// directly, to set up what they test.
func TestNoDirectWrites(t *testing.T) {
	seen := archtest.Files(t, parser.SkipObjectResolution, func(rel string, fset *token.FileSet, f *ast.File) {
		if archtest.Under(rel, writers...) {
			return
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && slices.Contains(storeWrites, sel.Sel.Name) {
				t.Errorf("%s: %s writes to the store directly: write through incidents.Service", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	})
	// A walk that missed the packages it is about proves nothing.
	for _, dir := range []string{"internal/cli", "internal/web", "internal/importer", "cmd/rasd"} {
		if !seen[dir] {
			t.Errorf("%s was not read", dir)
		}
	}
}
