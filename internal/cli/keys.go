package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
)

// keysCommands are the subcommands of 'rasd keys'. Each lives in its own
// file (keys_recover.go, …) and adds itself here from an init function, so
// that new ones need no edit of this file.
var keysCommands = map[string]command{}

func runKeys(ctx context.Context, rio IO, args []string) error {
	names := make([]string, 0, len(keysCommands))
	for n := range keysCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	list := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: rasd keys SUBCOMMAND [flags]\n\nSubcommands:")
		for _, n := range names {
			fmt.Fprintf(w, "  %-12s %s\n", n, keysCommands[n].summary)
		}
		fmt.Fprintln(w, "\n'rasd help keys SUBCOMMAND' shows a subcommand's flags.")
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
		list(rio.Stdout)
		return nil
	}
	sub, ok := keysCommands[args[0]]
	if !ok {
		list(rio.Stderr)
		return fmt.Errorf("%w: unknown subcommand 'rasd keys %s' (have: %s)", ErrUsage, args[0], strings.Join(names, ", "))
	}
	return sub.run(ctx, rio, args[1:])
}
