package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store"
)

// A case is named here by its code only, never by its person, place or
// notes (docs/protection.md): what these commands print may go to cron
// mail or a monitoring system.

// dueCase is one line of 'rasd checkins due'.
type dueCase struct {
	Code      string `json:"code"`
	State     string `json:"state"` // due or overdue
	DueOn     string `json:"due_on"`
	DaysLate  int    `json:"days_late"`
	RiskLevel string `json:"risk_level"`
}

// openCases is what 'checkins due' and 'risk list' share: their flags,
// the subcommand, and the store opened for an enabled member of the
// protection compartment. The caller closes the store.
func openCases(ctx context.Context, io IO, args []string, name, sub string) (store.Store, *model.User, string, error) {
	var cfg config.Config
	fs := flags(io, name, sub+" --member ACCOUNT")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", "a member of the protection compartment, whose `account` opens the cases (only members know them)")
	format := fs.String("format", "text", "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, "", err
	}
	if len(pos) != 1 || pos[0] != sub {
		return nil, nil, "", fmt.Errorf("%w: rasd %s %s --member ACCOUNT [--format text|json]", ErrUsage, name, sub)
	}
	if *format != "text" && *format != "json" {
		return nil, nil, "", fmt.Errorf("%w: --format is text or json", ErrUsage)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return nil, nil, "", err
	}
	u, err := caseMember(ctx, st, cfg.Member)
	if err != nil {
		st.Close()
		return nil, nil, "", err
	}
	return st, u, *format, nil
}

func runCheckins(ctx context.Context, io IO, args []string) error {
	st, u, format, err := openCases(ctx, io, args, "checkins", "due")
	if err != nil {
		return err
	}
	defer st.Close()
	svc := protection.New(st, nil)
	rows, err := svc.Dues(ctx, u)
	if err != nil {
		return err
	}
	out := make([]dueCase, 0, len(rows))
	overdue := 0
	for _, r := range rows {
		if r.Due.State == protection.StateOverdue {
			overdue++
		}
		out = append(out, dueCase{Code: r.Case.Code, State: r.Due.State, DueOn: r.Due.DueOn, DaysLate: r.Due.Late,
			RiskLevel: r.Case.RiskLevel})
	}
	if format == "json" {
		e := json.NewEncoder(io.Stdout)
		e.SetIndent("", "  ")
		if err := e.Encode(struct {
			AsOf    string    `json:"as_of"`
			Overdue int       `json:"overdue"`
			Cases   []dueCase `json:"cases"`
		}{svc.Now().UTC().Format(time.DateOnly), overdue, out}); err != nil {
			return err
		}
	} else {
		for _, c := range out {
			fmt.Fprintf(io.Stdout, "%s\t%s\tdue %s\t%d days late\trisk %s\n", c.Code, c.State, c.DueOn, c.DaysLate, c.RiskLevel)
		}
		fmt.Fprintf(io.Stdout, "%d overdue, %d due.\n", overdue, len(out)-overdue)
	}
	if overdue > 0 {
		return exitStatus(3)
	}
	return nil
}

func runRisk(ctx context.Context, io IO, args []string) error {
	st, u, format, err := openCases(ctx, io, args, "risk", "list")
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := protection.New(st, nil).Board(ctx, u)
	if err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool {
		return protection.RiskRank(rows[i].Case.RiskLevel) > protection.RiskRank(rows[j].Case.RiskLevel)
	})
	type line struct {
		Code      string `json:"code"`
		RiskLevel string `json:"risk_level"`
		Status    string `json:"status"`
		CheckIns  string `json:"checkins"`
		DueOn     string `json:"due_on"`
	}
	out := make([]line, 0, len(rows))
	for _, r := range rows {
		out = append(out, line{r.Case.Code, r.Case.RiskLevel, r.Case.Status, r.Due.State, r.Due.DueOn})
	}
	if format == "json" {
		e := json.NewEncoder(io.Stdout)
		e.SetIndent("", "  ")
		return e.Encode(out)
	}
	for _, l := range out {
		fmt.Fprintf(io.Stdout, "%s\t%s\t%s\tcheck-in %s (due %s)\n", l.Code, l.RiskLevel, l.Status, l.CheckIns, l.DueOn)
	}
	fmt.Fprintf(io.Stdout, "%d cases.\n", len(out))
	return nil
}

// caseMember is the account named by --member, which must be an enabled member
// of the protection compartment: the cases exist for no one else. Only
// unsealed fields are read, so no password is asked.
func caseMember(ctx context.Context, st store.Store, name string) (*model.User, error) {
	u, err := userNamed(ctx, st, name, "give a member of the protection compartment with --member ('rasd keys list' shows them)")
	if err != nil {
		return nil, err
	}
	ok, err := keys.IsMember(ctx, st, model.CompartmentProtection, u.ID)
	if err != nil {
		return nil, err
	}
	if !ok || u.Disabled {
		return nil, fmt.Errorf("%s is not an enabled member of the protection compartment: give one with --member ('rasd keys list' shows them)", name)
	}
	return u, nil
}

// memberKey is name, an enabled member of the protection compartment
// (caseMember), and their key, opened with their password (the caller
// zeroes it).
func memberKey(ctx context.Context, io IO, st store.Store, name string) (*model.User, keys.Identity, error) {
	u, err := caseMember(ctx, st, name)
	if err != nil {
		return nil, keys.Identity{}, err
	}
	by, err := protectionMember(ctx, io, st, name)
	return u, by, err
}

// runThreats is 'rasd threats import FILE' (docs/import-json.md, "Threats"):
// all or nothing, as a member whose key seals the threats' text.
func runThreats(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "threats", "import --member ACCOUNT FILE")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", "a member of the protection compartment, whose `account` seals the threats (only members know them)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "import" {
		return fmt.Errorf("%w: rasd threats import --member ACCOUNT FILE (one file of threats)", ErrUsage)
	}
	pos = pos[1:]
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	forms, err := protection.ReadThreats(f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	u, by, err := memberKey(ctx, io, st, cfg.Member)
	if err != nil {
		return err
	}
	defer by.Zero()
	seal := func(ctx context.Context) (*keys.RecordSealer, string, error) {
		rs, err := keys.NewRecordSealer(ctx, st, by)
		return rs, "", err
	}
	n, err := protection.New(st, nil).ImportThreats(ctx, u, forms, seal)
	if err != nil {
		return fmt.Errorf("%s: %s", pos[0], inEnglish(err))
	}
	fmt.Fprintf(io.Stdout, "Imported %d threats.\n", n)
	return nil
}

// inEnglish is err with the message keys of its refused fields
// (record.Errors) replaced by their English text: "threat 2: persons:
// Nothing you may see is recorded under this: …".
func inEnglish(err error) string {
	msg := err.Error()
	var errs record.Errors
	if !errors.As(err, &errs) {
		return msg
	}
	for _, f := range errs.Fields() {
		if text, in := i18n.Message("en", errs[f]); in != "" && !strings.Contains(text, "%") {
			msg = strings.ReplaceAll(msg, f+": "+errs[f], f+": "+text)
		}
	}
	return msg
}
