// Package cli is rasd's command line: one function per subcommand, each
// parsing its own flags and calling the packages that do the work.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/rasd-project/rasd/internal/instance"
)

// IO is where a command reads and writes; tests pass their own.
type IO struct {
	Stdin          *os.File
	Stdout, Stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, io IO, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"init":    {"create a data directory: keyring, encrypted database", runInit},
		"demo":    {"create a data directory filled with fictional sample data", runDemo},
		"search":  {"full-text search over incidents (Arabic and English); --member MEMBER opens sealed summaries", runSearch},
		"import":  {"import incidents from a JSON, ACLED or CPJ CSV file, or an XLSX or CSV file with a column mapping (all or nothing)", runImport},
		"stats":   {"count incidents by the counting rules (\"at least N\"), with receipts; 'stats impunity', 'stats atrisk' (members)", runStats},
		"show":    {"print one incident and its history; --member MEMBER opens its sealed text", runShow},
		"audit":   {"audit verify|checkpoint: check the audit log, its history and records; print its signed checkpoint", runGroup("audit")},
		"version": {"print the version", runVersion},
		"serve":   {"serve the web interface (and, with --portal, the public portal at /)", runServe},
		"publish": {"write the public portal as a static site: figures, incidents, memorial, open data", runPublish},
		"user":    {"user add|list|disable|enable|reset|password|role: manage accounts", runGroup("user")},
		"backup":  {"write an encrypted, signed backup of the data directory (SQLite)", runBackup},
		"restore": {"restore a backup into a new data directory", runRestore},
		"wipe":    {"panic wipe: destroy the keys, making the data unreadable for good", runWipe},
		"keys":    {"keys list|grant|revoke|recover|new-shares: compartment members and organisation recovery", runGroup("keys")},
	}
	commands["export"] = command{"write the incidents the list's filters select as CSV, XLSX or JSON", runExport}
	commands["extract"] = command{"propose draft records from a news report (text or HTML, Arabic or English); saves nothing", runExtract}
	commands["commitments"] = command{"commitments due: the official promises past their deadline (exit status 3 when any is)", runCommitments}
	commands["evidence"] = command{"evidence add|list|show|export|verify: files hashed and encrypted, chain of custody", runGroup("evidence")}
	commands["help"] = command{"help [COMMAND [SUBCOMMAND]]: this list, or a command's flags and environment", runHelp}
	commands["checkins"] = command{"checkins due: protection cases whose check-in is due or overdue, by code (exit 3 if overdue)", runCheckins}
	commands["risk"] = command{"risk list: open protection cases by risk level, by code", runRisk}
	commands["threats"] = command{"threats import: threats from a JSON file, sealed, as a protection member (all or nothing)", runThreats}
}

// exitStatus ends a command with that status and no message: 'rasd
// checkins due' exits 3 when a check-in is overdue, for cron.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// ErrUsage marks an error in how the command was called.
var ErrUsage = errors.New("usage")

// Main runs rasd with args (without the program name) and returns the exit
// status: 0 success, 1 failure, 2 wrong usage; 3 'commitments due' found
// a deadline passed.
func Main(ctx context.Context, io IO, args []string) int {
	switch {
	case len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help":
		usage(io.Stdout)
		return 0
	case args[0] == "--version" || args[0] == "-version":
		args = []string{"version"}
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(io.Stderr, "rasd: unknown command %q\n\n", args[0])
		usage(io.Stderr)
		return 2
	}
	err := cmd.run(ctx, io, args[1:])
	if status := exitStatus(0); errors.As(err, &status) {
		return int(status)
	}
	var status exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &status):
		return int(status)
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(io.Stderr, "rasd %s: %v\n", args[0], err)
		return 2
	case errors.As(err, new(*instance.OptionError)):
		fmt.Fprintf(io.Stderr, "rasd %s: %v: %v\n", args[0], ErrUsage, err)
		return 2
	default:
		fmt.Fprintf(io.Stderr, "rasd %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "rasd (رصد) documents attacks on activists, journalists and rights workers.")
	fmt.Fprintln(w, "\nUsage: rasd COMMAND [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'rasd help COMMAND' (or 'rasd COMMAND --help') for a command's flags and the environment")
	fmt.Fprintln(w, "variables it reads; 'rasd --version' for the version. Environment:")
	names = names[:0]
	for n := range envVars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-20s %s\n", n, envVars[n])
	}
}

// flags makes a command's flag set that reports errors instead of
// exiting, with its own -h/--help (see helpFlag).
func flags(io IO, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("rasd "+name, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	h := &helpFlag{io: io, fs: fs, args: args}
	fs.Var(h, "help", "show this help on standard output")
	fs.Var(h, "h", "show this help on standard output")
	fs.Usage = func() { h.print(io.Stderr) }
	return fs
}

// parse parses flags, allowing them after positional arguments too
// ("rasd search امجد --data dir").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		if h := helpOf(fs); h != nil && h.asked {
			h.print(h.io.Stdout)
			return nil, flag.ErrHelp
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}
