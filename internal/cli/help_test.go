package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/archtest"
)

// helpNames is every command and subcommand, as 'rasd help' takes them.
func helpNames() [][]string {
	var all [][]string
	for n := range commands {
		all = append(all, []string{n})
	}
	for g, subs := range groups {
		for n := range subs {
			all = append(all, []string{g, n})
		}
	}
	return append(all, []string{"stats", "impunity"}, []string{"stats", "atrisk"})
}

// TestHelpOnStdout: asking for help is no error: the usage goes to
// standard output and rasd exits 0, the same as 'rasd help CMD'; a wrong
// flag prints it to standard error and exits 2.
func TestHelpOnStdout(t *testing.T) {
	for _, name := range helpNames() {
		for _, h := range []string{"--help", "-h"} {
			code, out, stderr := run(t, append(slices.Clone(name), h)...)
			if code != 0 || stderr != "" || !strings.Contains(out, "Usage: rasd "+strings.Join(name, " ")) {
				t.Errorf("rasd %s %s: exit %d, stdout %q, stderr %q", strings.Join(name, " "), h, code, out, stderr)
			}
			code, via, stderr := run(t, append([]string{"help"}, name...)...)
			if code != 0 || stderr != "" || via != out {
				t.Errorf("rasd help %s: exit %d, %q, differs from %s:\n%s\n----\n%s", strings.Join(name, " "), code, stderr, h, via, out)
			}
		}
		code, out, stderr := run(t, append(slices.Clone(name), "--no-such-flag")...)
		if code != 2 || out != "" || !strings.Contains(stderr, "Usage: rasd") || !strings.Contains(stderr, "no-such-flag") {
			t.Errorf("rasd %s --no-such-flag: exit %d, stdout %q, stderr %q", strings.Join(name, " "), code, out, stderr)
		}
	}
	for _, args := range [][]string{{}, {"help"}, {"--help"}, {"-h"}} {
		if code, out, stderr := run(t, args...); code != 0 || stderr != "" || !strings.Contains(out, "Commands:") {
			t.Errorf("rasd %v: %d %q %q", args, code, out, stderr)
		}
	}
	if code, out, stderr := run(t, "help", "frobnicate"); code != 2 || out != "" || !strings.Contains(stderr, "frobnicate") {
		t.Errorf("rasd help frobnicate: %d %q %q", code, out, stderr)
	}
	for _, v := range []string{"--version", "version"} {
		if code, out, stderr := run(t, v); code != 0 || stderr != "" || !strings.HasPrefix(out, "rasd ") {
			t.Errorf("rasd %s: %d %q %q", v, code, out, stderr)
		}
	}
}

// TestHelpOwnFlags: each subcommand shows its own flags, not
// another's ('keys list' once showed grant's).
func TestHelpOwnFlags(t *testing.T) {
	_, list, _ := run(t, "keys", "list", "--help")
	_, grant, _ := run(t, "keys", "grant", "--help")
	for _, f := range []string{"--user", "--compartment", "--member"} {
		if strings.Contains(list, f) {
			t.Errorf("keys list --help shows %s:\n%s", f, list)
		}
		if !strings.Contains(grant, f) {
			t.Errorf("keys grant --help lacks %s:\n%s", f, grant)
		}
	}
	_, recover, _ := run(t, "keys", "recover", "--help")
	if !strings.Contains(recover, "--share") || strings.Contains(recover, "--compartment") {
		t.Errorf("keys recover --help:\n%s", recover)
	}
	// user, evidence and audit subcommands once shared one flag set.
	for _, c := range []struct {
		sub        []string
		has, hasnt []string
	}{
		{[]string{"user", "list"}, nil, []string{"--role", "--lang", "RASD_NEW_PASSWORD"}},
		{[]string{"user", "add"}, []string{"--role", "--lang", "RASD_NEW_PASSWORD"}, nil},
		{[]string{"user", "role"}, []string{"--role"}, []string{"--lang"}},
		{[]string{"user", "password"}, []string{"RASD_USER_PASSWORD"}, []string{"--role"}},
		{[]string{"evidence", "show"}, nil, []string{"--incident", "--out", "--grace", "--max-mib"}},
		{[]string{"evidence", "export"}, []string{"--out", "--original"}, []string{"--incident", "--grace"}},
		{[]string{"evidence", "add"}, []string{"--incident", "--person", "--max-mib"}, []string{"--out"}},
		{[]string{"audit", "verify"}, []string{"--checkpoint"}, []string{"--key\n", "--reset"}},
		{[]string{"audit", "checkpoint"}, []string{"--key\n", "--reset"}, []string{"--checkpoint"}},
	} {
		_, out, _ := run(t, append(slices.Clone(c.sub), "--help")...)
		for _, f := range c.has {
			if !strings.Contains(out, f) {
				t.Errorf("%v --help lacks %s:\n%s", c.sub, f, out)
			}
		}
		for _, f := range c.hasnt {
			if strings.Contains(out, f) {
				t.Errorf("%v --help shows %s:\n%s", c.sub, f, out)
			}
		}
	}
	if code, _, stderr := run(t, "user", "--data", "x", "list"); code != 2 || !strings.Contains(stderr, "subcommand first") {
		t.Errorf("rasd user --data x list: %d %q", code, stderr)
	}
	// --member and --actor are two flags; --as is said to be the old spelling.
	_, show, _ := run(t, "show", "--help")
	for _, want := range []string{"--member account", "--actor name", "old spelling"} {
		if !strings.Contains(show, want) {
			t.Errorf("show --help lacks %q:\n%s", want, show)
		}
	}
}

// TestEnvironmentDocumented: every environment variable rasd's source
// reads is described in envVars, listed in README.md and in the help of
// each command that reads it.
func TestEnvironmentDocumented(t *testing.T) {
	read := regexp.MustCompile(`(?:Getenv|LookupEnv|envOr|userPassword\(io,)\(?"([A-Z_]+)"`)
	found := map[string]bool{}
	archtest.Files(t, parser.PackageClauseOnly, func(rel string, _ *token.FileSet, _ *ast.File) {
		if !archtest.Under(rel, "internal/cli", "internal/config") {
			return
		}
		src, err := os.ReadFile(filepath.Join("..", "..", rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			found[m[1]] = true
		}
	})
	if len(found) < 8 {
		t.Fatalf("found only %v: the pattern no longer matches how variables are read", found)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for v := range found {
		if envVars[v] == "" {
			t.Errorf("%s is read but not described in envVars", v)
		}
		if !strings.Contains(string(readme), v) {
			t.Errorf("%s is read but not listed in README.md", v)
		}
	}
	readers := map[string][][]string{
		"RASD_USER_PASSWORD":  {{"show"}, {"search"}, {"import"}, {"user", "password"}, {"verify"}, {"keys", "grant"}, {"keys", "revoke"}, {"keys", "seal-records"}},
		"RASD_NEW_PASSWORD":   {{"init"}, {"user", "add"}, {"user", "reset"}, {"user", "password"}},
		"RASD_NEW_PASSPHRASE": {{"keys", "recover"}},
		"GOMEMLIMIT":          {{"serve"}, {"demo"}},
	}
	for _, v := range dataEnv {
		readers[v] = [][]string{{"init"}, {"show"}, {"stats"}, {"publish"}, {"keys", "list"}, {"evidence", "list"}, {"audit", "verify"}, {"user", "list"}}
	}
	for v := range found {
		if readers[v] == nil {
			t.Errorf("%s: say in this test which commands read it", v)
		}
	}
	for v, cmds := range readers {
		for _, c := range cmds {
			if _, out, _ := run(t, append(slices.Clone(c), "--help")...); !strings.Contains(out, "\n  "+v+" ") {
				t.Errorf("rasd %s --help does not list %s:\n%s", strings.Join(c, " "), v, out)
			}
		}
	}
}
