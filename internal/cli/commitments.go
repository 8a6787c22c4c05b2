package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
)

// ExitOverdue is the exit status of 'rasd commitments due' when a
// deadline has passed, so that a scheduled job can act on it ('rasd serve
// --notify-cmd' also sends a notice when one passes).
const ExitOverdue = 3

func runCommitments(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "commitments", "due")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "viewer", "list as this `account` would see them: its restricted commitments count too; without --viewer none does (docs/counting.md)")
	format := fs.String("format", "text", "output: text or json")
	todayFlag := fs.String("today", "", "the day deadlines are checked against (YYYY-MM-DD; default today where rasd runs)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "due" {
		return fmt.Errorf("%w: rasd commitments due [--viewer ACCOUNT] [--format text|json] [--today YYYY-MM-DD]", ErrUsage)
	}
	pos = pos[1:]
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected %q", ErrUsage, pos[0])
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format text or json (got %q)", ErrUsage, *format)
	}
	today := accountability.DayOf(time.Now())
	if *todayFlag != "" {
		if today, err = accountability.ParseDay(*todayFlag); err != nil {
			return fmt.Errorf("%w: --today: %v", ErrUsage, err)
		}
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	var reader store.Visible
	if cfg.Member != "" {
		if reader, err = statsReader(ctx, st, cfg.Member); err != nil {
			return err
		}
	}
	all := store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	res, err := stats.CountCommitmentsPage(ctx, st, reader, all, today, 0)
	if err != nil {
		return err
	}
	due := res.Receipt // every overdue commitment, most overdue first
	if *format == "json" {
		e := json.NewEncoder(io.Stdout)
		e.SetIndent("", "  ")
		if err := e.Encode(struct {
			Today   string                `json:"today"`
			Overdue []stats.CommitmentRow `json:"overdue"`
		}{res.Today, append([]stats.CommitmentRow{}, due...)}); err != nil {
			return err
		}
	} else {
		writeDue(io.Stdout, res, due)
	}
	if len(due) > 0 {
		return exitStatus(ExitOverdue)
	}
	return nil
}

func writeDue(w io.Writer, res stats.Commitments, due []stats.CommitmentRow) {
	fmt.Fprintf(w, "On %s: %d commitments, %d open, %d past their deadline.\n", res.Today, res.Total, res.Open, len(due))
	for _, r := range due {
		fmt.Fprintf(w, "  %s  made %s by %s%s, due %s: %d days overdue (%d months)\n",
			r.ID, r.MadeOn, r.AuthorityType, authorityName(r.Authority), r.Due, r.DaysOverdue, r.MonthsOverdue)
	}
}

func authorityName(a string) string {
	if a == "" {
		return ""
	}
	return " (" + a + ")"
}
