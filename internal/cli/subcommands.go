package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// groups are the commands made of subcommands ('rasd keys grant', 'rasd
// user add'): each subcommand parses its own flags, so that its --help
// shows only what it takes. Files add their subcommands from init.
var groups = map[string]map[string]command{
	"keys": {}, "user": {}, "evidence": {}, "audit": {},
}

// runGroup dispatches 'rasd NAME SUBCOMMAND …'.
func runGroup(name string) func(context.Context, IO, []string) error {
	return func(ctx context.Context, rio IO, args []string) error {
		subs := groups[name]
		names := make([]string, 0, len(subs))
		for n := range subs {
			names = append(names, n)
		}
		sort.Strings(names)
		list := func(w io.Writer) {
			fmt.Fprintf(w, "Usage: rasd %s SUBCOMMAND [flags]\n\nSubcommands:\n", name)
			for _, n := range names {
				fmt.Fprintf(w, "  %-12s %s\n", n, subs[n].summary)
			}
			fmt.Fprintf(w, "\n'rasd help %s SUBCOMMAND' shows a subcommand's flags.\n", name)
		}
		if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
			list(rio.Stdout)
			return nil
		}
		sub, ok := subs[args[0]]
		if !ok {
			list(rio.Stderr)
			if strings.HasPrefix(args[0], "-") {
				return fmt.Errorf("%w: give the subcommand first, then its flags: rasd %s SUBCOMMAND %s (have: %s)", ErrUsage, name, args[0], strings.Join(names, ", "))
			}
			return fmt.Errorf("%w: unknown subcommand 'rasd %s %s' (have: %s)", ErrUsage, name, args[0], strings.Join(names, ", "))
		}
		return sub.run(ctx, rio, args[1:])
	}
}
