package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// helpFlag is each command's own -h/--help: asked for help is not an
// error, so it prints to standard output and rasd exits 0; a wrong flag
// prints the same usage to standard error and exits 2.
type helpFlag struct {
	asked bool
	io    IO
	fs    *flag.FlagSet
	args  string
	env   []string // variables the command reads beyond the data flags'
}

func (h *helpFlag) String() string   { return "false" }
func (h *helpFlag) IsBoolFlag() bool { return true }
func (h *helpFlag) Set(s string) error {
	h.asked = s != "false"
	return nil
}

// print writes the command's usage, its own flags and the environment
// variables it reads.
func (h *helpFlag) print(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", strings.TrimSpace(h.fs.Name()+" [flags] "+h.args))
	h.fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "h" {
			return
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		usage = strings.ReplaceAll(usage, "\n", "\n    \t")
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			usage += fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, usage)
	})
	env := h.env
	if h.fs.Lookup("data") != nil {
		env = append(append([]string{}, dataEnv...), env...)
	}
	if len(env) > 0 {
		fmt.Fprintln(w, "\nEnvironment:")
		for _, e := range env {
			fmt.Fprintf(w, "  %-20s %s\n", e, envVars[e])
		}
	}
}

// helpOf is fs's help flag, set up by flags.
func helpOf(fs *flag.FlagSet) *helpFlag {
	if f := fs.Lookup("help"); f != nil {
		if h, ok := f.Value.(*helpFlag); ok {
			return h
		}
	}
	return nil
}

// readsEnv lists, in the help of fs's command, environment variables it
// reads beyond those of the data flags (dataEnv).
func readsEnv(fs *flag.FlagSet, names ...string) {
	if h := helpOf(fs); h != nil {
		h.env = append(h.env, names...)
	}
}

// dataEnv are read by every command that opens a data directory.
var dataEnv = []string{"RASD_DATA", "RASD_DB", "RASD_KEY_FILE", "RASD_PASSPHRASE", "RASD_ACTOR", "XDG_DATA_HOME"}

// envVars is every environment variable rasd reads (README.md lists them
// too; a test checks both).
var envVars = map[string]string{
	"RASD_DATA":           "data directory, as --data",
	"RASD_DB":             "postgres:// URL to use PostgreSQL instead of the embedded store, as --db",
	"RASD_KEY_FILE":       "unlock with this key file instead of a passphrase, as --key-file",
	"RASD_PASSPHRASE":     "the data directory's passphrase, for unattended use; otherwise asked without echo",
	"RASD_ACTOR":          "name recorded in history and the audit log, as --actor (default cli)",
	"XDG_DATA_HOME":       "the default data directory is $XDG_DATA_HOME/rasd (else ~/.local/share/rasd)",
	"RASD_USER_PASSWORD":  "password of the account named by --member (verify: --account), or of the account changing its password; otherwise asked",
	"RASD_NEW_PASSWORD":   "password of a new or reset account; otherwise a random one is shown once (or asked, for 'user password')",
	"RASD_NEW_PASSPHRASE": "the new passphrase after recovery; otherwise asked twice without echo",
	"GOMEMLIMIT":          "Go's soft memory limit; without it 'rasd serve' sets 96 MiB",
}

// runHelp is 'rasd help [COMMAND [SUBCOMMAND]]': the same text as
// 'rasd COMMAND [SUBCOMMAND] --help'.
func runHelp(ctx context.Context, io IO, args []string) error {
	args, err := parse(flags(io, "help", "[COMMAND [SUBCOMMAND]]"), args)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		usage(io.Stdout)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown command %q ('rasd help' lists them)", ErrUsage, args[0])
	}
	return cmd.run(ctx, io, append(append([]string{}, args[1:]...), "--help"))
}
