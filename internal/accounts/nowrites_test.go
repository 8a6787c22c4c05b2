package accounts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
)

// writes are the store.Accounts methods that change an account or a
// session: only this package calls them.
var writes = []string{
	"CreateUser", "UpdateUser", "ChangePassword", "UpdateUserEndSessions", "SetLoginState",
	"CountLoginAttempt", "UncountLoginAttempt", "UseTOTPStep", "UseRecoveryCode",
	"CreateSession", "UpdateSession", "DeleteSession", "DeleteSessions",
}

// TestWritesListed: every method of store.Accounts is a read, or in
// writes; a new write added to the store must be added here to be held.
func TestWritesListed(t *testing.T) {
	reads := []string{"GetUser", "GetUserByName", "ListUsers", "GetSession", "GetSessionUser"}
	typ := reflect.TypeFor[store.Accounts]()
	for i := range typ.NumMethod() {
		if m := typ.Method(i).Name; !slices.Contains(writes, m) && !slices.Contains(reads, m) {
			t.Errorf("store.Accounts.%s is neither a listed read nor a listed write", m)
		}
	}
	for _, w := range writes {
		if _, ok := typ.MethodByName(w); !ok {
			t.Errorf("%s is listed as a write of store.Accounts, which has no such method", w)
		}
	}
}

// TestNoAccountWritesOutside: no Go file of the program outside this
// package and the store (tests aside) calls, or takes as a value, a
// method named like a write of store.Accounts unless it is this package's
// (Service.ChangePassword): the web and the command line reach accounts
// and sessions through this package only. The packages are type-checked
// against their dependencies' export data, so that a method is known by
// where it is declared, whatever the variable holding it is called.
func TestNoAccountWritesOutside(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the export data of the whole program")
	}
	const module = "github.com/rasd-project/rasd"
	self := module + "/internal/accounts"
	cmd := exec.Command("go", "list", "-e", "-export", "-deps", "-json=ImportPath,Dir,GoFiles,Export,Standard,Error", module+"/...")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	type pkg struct {
		ImportPath, Dir, Export string
		GoFiles                 []string
		Standard                bool
		Error                   *struct{ Err string }
	}
	var pkgs []pkg
	exports := map[string]string{}
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Error != nil {
			t.Fatalf("%s: %s", p.ImportPath, p.Error.Err)
		}
		exports[p.ImportPath] = p.Export
		pkgs = append(pkgs, p)
	}
	var found []string
	checked := 0
	for _, p := range pkgs {
		if p.Standard || !strings.HasPrefix(p.ImportPath, module+"/") || p.ImportPath == self ||
			p.ImportPath == module+"/internal/store" || strings.HasPrefix(p.ImportPath, module+"/internal/store/") {
			continue
		}
		checked++
		found = append(found, accountWrites(t, p.Dir, p.ImportPath, p.GoFiles, exports, self)...)
	}
	if checked < 30 {
		t.Fatalf("only %d packages checked: the test looks in the wrong place", checked)
	}
	for _, f := range found {
		t.Errorf("%s: writes an account or session straight to the store; go through package accounts", f)
	}
}

// accountWrites type-checks a package and lists its selections of a
// method named like a write that is not declared in package self.
func accountWrites(t *testing.T, dir, path string, names []string, exports map[string]string, self string) []string {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		return os.Open(exports[path])
	})}
	info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := conf.Check(path, fset, files, info); err != nil {
		t.Fatalf("type-check %s: %v", path, err)
	}
	var out []string
	for sel, s := range info.Selections {
		obj := s.Obj()
		if _, ok := obj.(*types.Func); !ok || !slices.Contains(writes, obj.Name()) || obj.Pkg() != nil && obj.Pkg().Path() == self {
			continue
		}
		pos := fset.Position(sel.Sel.Pos())
		rel := strings.TrimPrefix(path, "github.com/rasd-project/rasd/") + "/" + filepath.Base(pos.Filename)
		out = append(out, fmt.Sprintf("%s:%d: .%s (%s)", rel, pos.Line, obj.Name(), obj.Pkg().Path()))
	}
	slices.Sort(out)
	return out
}
