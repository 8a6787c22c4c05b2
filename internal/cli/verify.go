package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/accounts"
	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

func init() {
	commands["verify"] = command{"verify CODE… --status S --account ANALYST [--source LABEL …]: move incidents' verification, as on the web", runVerify}
}

// runVerify is the web's verification workflow from the command line
// (docs/counting.md, "Why an incident is not counted"): the same steps
// (incidents.Transitions), by an analyst or coordinator named with
// --account, whose password is asked, and who history names. Every code
// is checked before any is changed.
func runVerify(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "verify", "--status STATUS --account ANALYST [--source LABEL --source-type TYPE …] CODE…")
	cfg.Register(fs)
	statuses := strings.Join(vocab.Get(vocab.VerificationStatus).Codes(), "|")
	cfg.RegisterMember(fs, "account", "the `account` taking the step: an analyst or coordinator (a documenter may only go back to reported);\n"+
		"its password is asked (RASD_USER_PASSWORD), and history names it")
	readsEnv(fs, "RASD_USER_PASSWORD")
	status := fs.String("status", "", "the new verification `status`: "+statuses+
		"\n(one step at a time: reported → corroborated → verified; any → disputed, rejected or back to reported)")
	var src model.Source
	var info model.Information
	fs.StringVar(&src.Label, "source", "", "what the step rests on: a new source's `label`, e.g. \"Al-Mada, 26 October 2019\" (added to each incident)")
	fs.StringVar(&src.Type, "source-type", "", "with --source: the source's `type`: "+strings.Join(vocab.Get(vocab.SourceType).Codes(), ", "))
	fs.StringVar(&src.Reliability, "reliability", "F", "with --source: the source's reliability `grade` A–F (F: cannot be judged)")
	credibility := fs.Int("credibility", 6, "with --source: how credible what it said is, `1–6` (6: cannot be judged)")
	fs.StringVar(&info.ObtainedOn, "obtained", "", "with --source: the day it was obtained, `YYYY-MM-DD`")
	fs.StringVar(&info.Summary, "said", "", "with --source: what it said, in a few sentences")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return fmt.Errorf("%w: give the codes of the incidents to verify, e.g. rasd verify IQ-2019-0042 --status corroborated --account huda", ErrUsage)
	case *status == "":
		return fmt.Errorf("%w: give --status %s", ErrUsage, statuses)
	case cfg.Member == "":
		return fmt.Errorf("%w: give --account, the analyst or coordinator taking this step ('rasd user list' shows them)", ErrUsage)
	case src.Label == "" && (src.Type != "" || info.Summary != "" || info.ObtainedOn != ""):
		return fmt.Errorf("%w: --source-type, --obtained and --said describe a --source LABEL: give it too", ErrUsage)
	}
	var grounds *incidents.Grounds
	if src.Label != "" {
		info.Credibility = *credibility
		grounds = &incidents.Grounds{Source: &src, Info: &info}
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	u, pw, err := verifier(ctx, io, st, cfg.Member)
	if err != nil {
		return err
	}
	svc := incidents.New(st, nil)
	var incs []*model.Incident
	for _, code := range pos {
		inc, err := svc.GetByCode(ctx, incidents.Operator, code)
		if errors.Is(err, incidents.ErrNotFound) {
			return fmt.Errorf("%w; nothing was changed", noIncident(code))
		}
		if err != nil {
			return err
		}
		if err := checkStep(u, inc, *status, grounds); err != nil {
			return fmt.Errorf("%s: %w; nothing was changed", code, err)
		}
		incs = append(incs, inc)
	}
	if grounds != nil && needsSealer(incs, grounds) {
		if grounds.Sealer, err = verifierSealer(ctx, st, u, pw); err != nil {
			return err
		}
		defer grounds.Sealer.Close()
	}
	for i, inc := range incs {
		var g *incidents.Grounds
		if grounds != nil { // each incident its own source record
			s, in := *grounds.Source, *grounds.Info
			g = &incidents.Grounds{Source: &s, Info: &in, Sealer: grounds.Sealer}
		}
		if err := svc.Verify(ctx, u, inc, *status, g); err != nil {
			return fmt.Errorf("%s: %w (the %d before it were changed: %s)", inc.Code, verifyError(err), i, codesOf(incs[:i]))
		}
		fmt.Fprintf(io.Stdout, "%s: %s\n", inc.Code, *status)
	}
	return nil
}

// checkStep is every check of Verify that needs no write, so that no
// incident changes when one of them would be refused.
func checkStep(u *model.User, inc *model.Incident, to string, g *incidents.Grounds) error {
	if err := incidents.MayMove(u, inc, to); err != nil {
		return verifyError(err)
	}
	if g != nil {
		if err := incidents.ValidateInformation(g.Source, g.Info, time.Now()); err != nil {
			return err
		}
	}
	return nil
}

// verifyError says a refusal of the workflow in the command line's terms.
func verifyError(err error) error {
	switch {
	case errors.Is(err, incidents.ErrForbidden):
		return fmt.Errorf("%w: only an analyst or coordinator who may edit it takes a step past reported (docs/access.md)", err)
	case errors.Is(err, incidents.ErrTransition):
		return fmt.Errorf("%w (reported → corroborated → verified, one step at a time; any → disputed, rejected or reported)", err)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w: it was changed meanwhile; run the command again", err)
	}
	return err
}

// verifier is the account taking the step, its password checked as at
// sign-in (and counted towards its lockout).
func verifier(ctx context.Context, io IO, st store.Store, name string) (*model.User, string, error) {
	u, err := userNamed(ctx, st, name, "give an analyst or coordinator with --account ('rasd user list' shows them)")
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "", fmt.Errorf("%s is disabled: give another account with --account", name)
	}
	pw, err := userPassword(io, "RASD_USER_PASSWORD", "Password of "+u.Username+": ")
	if err != nil {
		return nil, "", err
	}
	v, err := accounts.New(st, accounts.Options{}).ConfirmPassword(ctx, u, pw)
	switch {
	case err != nil:
		return nil, "", err
	case v.Locked:
		return nil, "", fmt.Errorf("%s is locked after failed sign-ins; try again later", name)
	case !v.OK:
		return nil, "", fmt.Errorf("%s: %w: give that account's own password (RASD_USER_PASSWORD, or typed when asked)", name, keys.ErrWrongPassword)
	}
	return u, pw, nil
}

// needsSealer: the grounds of a restricted incident are sealed.
func needsSealer(incs []*model.Incident, g *incidents.Grounds) bool {
	for _, inc := range incs {
		if incidents.InformationNeedsSealer(inc, g.Source, g.Info) {
			return true
		}
	}
	return false
}

// verifierSealer opens the verifier's key to seal the grounds of
// restricted incidents; they must be a protection member.
func verifierSealer(ctx context.Context, st store.Store, u *model.User, pw string) (*keys.RecordSealer, error) {
	priv, err := keys.Unseal(u, pw)
	if err != nil {
		return nil, fmt.Errorf("%s: the source of a restricted incident is sealed, and this account's key does not open: %w", u.Username, err)
	}
	by := keys.UserIdentity(u, priv)
	defer by.Zero()
	rs, err := keys.NewRecordSealer(ctx, st, by)
	if errors.Is(err, keys.ErrNotMember) {
		return nil, fmt.Errorf("the source of a restricted incident is sealed: %s is not a member of the protection compartment ('rasd keys list'); nothing was changed", u.Username)
	}
	return rs, err
}

func codesOf(incs []*model.Incident) string {
	codes := make([]string, len(incs))
	for i, inc := range incs {
		codes[i] = inc.Code
	}
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}
