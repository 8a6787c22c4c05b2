package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rasd-project/rasd/internal/stats"
)

// sayBelow tells, on w, how many incidents matching q are not counted
// only because they are not yet verified enough (stats.Below), how to see
// them and how to move them on: after an import everything is
// "reported", and "No incidents counted" alone leaves a user stuck.
// again is the command, without verification flags, that lists them.
func sayBelow(ctx context.Context, w io.Writer, st stats.Counter, q stats.Query, again string) error {
	f, under, err := stats.Below(ctx, st, q)
	if err != nil || f.Incidents == 0 {
		return err
	}
	counted, _ := stats.Counted(q.MinVerification)
	n, are := fmt.Sprintf("%d incidents", f.Incidents), "are"
	if f.Incidents == 1 {
		n, are = "1 incident", "is"
	}
	fmt.Fprintf(w, "Not counted: %s matching %s only %s, under the threshold (%s counted; docs/counting.md).\n",
		n, are, strings.Join(under, " or "), strings.Join(counted, " and "))
	fmt.Fprintf(w, "  See them:     %s --min-verification %s --receipt\n", again, under[0])
	fmt.Fprintf(w, "  Verify them:  rasd verify CODE… --status corroborated --account ANALYST --source LABEL --source-type TYPE\n")
	fmt.Fprintf(w, "                (an analyst or coordinator, once a second independent source confirms them; or on each incident's page)\n")
	return nil
}
