package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

func runShow(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	fs := flags(io, "show", "[--member MEMBER] CODE")
	cfg.Register(fs)
	cfg.RegisterMember(fs, "member", memberOpensUsage)
	readsEnv(fs, "RASD_USER_PASSWORD")
	lang := fs.String("lang", "en", langUsage+" (labels and vocabulary; the text is shown as written)")
	asJSON := fs.Bool("json", false, "print the incident as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: give one incident code, e.g. rasd show IQ-2019-0042", ErrUsage)
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	st, _, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := incidents.New(st, nil)
	inc, err := svc.GetByCode(ctx, incidents.Operator, pos[0])
	if errors.Is(err, incidents.ErrNotFound) {
		return noIncident(pos[0])
	}
	if err != nil {
		return err
	}
	infos, srcs, err := svc.Said(ctx, incidents.Operator, inc)
	if err != nil {
		return err
	}
	sealed, err := openShown(ctx, io, st, cfg.Member, cfg.Member != "", inc, infos, srcs)
	if err != nil {
		return err
	}
	if *asJSON {
		if sealed != "" {
			fmt.Fprintf(io.Stderr, "%s: %s\n", inc.Code, sealed)
		}
		e := json.NewEncoder(io.Stdout)
		e.SetIndent("", "  ")
		return e.Encode(inc)
	}
	hist, err := svc.History(ctx, incidents.Operator, inc)
	if err != nil {
		return err
	}
	printIncident(io.Stdout, inc, *lang, sealed)
	printSaid(io.Stdout, infos, srcs, *lang)
	printHistory(io.Stdout, hist, *lang)
	return nil
}

// openShown opens inc's sealed text, and what its sources said (infos,
// srcs), as actor when open is set (--member was given), before anything is
// printed, and says what show prints about it: "" when inc has none.
func openShown(ctx context.Context, io IO, st store.Store, actor string, open bool, inc *model.Incident,
	infos []model.Information, srcs map[string]*model.Source) (string, error) {
	sealed, err := keys.IncidentSealed(ctx, st, inc, nil)
	if err != nil {
		return "", err
	}
	if !sealed && !keys.InformationSealed(infos, srcs) {
		return "", nil
	}
	if !open {
		return "its text (summaries, narratives, place, perpetrator groups, tags, victims' names, what its sources said) is sealed: --member MEMBER opens it (" + sealedWho + ")", nil
	}
	by, err := protectionMember(ctx, io, st, actor)
	if err != nil {
		return "", fmt.Errorf("%s is sealed and was not opened: %w", inc.Code, err)
	}
	defer by.Zero()
	n, err := keys.OpenIncidentAll(ctx, st, actor, by, inc, nil)
	if err != nil {
		return "", fmt.Errorf("%s: %w", inc.Code, err)
	}
	m, err := keys.OpenInformation(ctx, st, actor, by, infos, srcs)
	if err != nil {
		return "", fmt.Errorf("%s: %w", inc.Code, err)
	}
	n += m
	return fmt.Sprintf("opened with the key of %s: %d sealed texts, each opening recorded in the audit log", actor, n), nil
}

func printIncident(w io.Writer, inc *model.Incident, lang, sealed string) {
	t := func(key string) string { return i18n.T(lang, "cli.show."+key) }
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-14s %s\n", k+":", v)
		}
	}
	line(t("code"), inc.Code)
	line(t("type"), label(vocab.IncidentType, inc.Type, lang))
	d := inc.Date
	when := dateLabel(d.Start, d.Precision)
	if d.End != "" && d.End != d.Start {
		when += " (" + i18n.T(lang, "cli.show.date_between", d.Start, d.End) + ")"
	}
	if d.Estimated {
		when += ", " + t("date_estimated")
	}
	line(t("date"), when)
	where := admin1Label(inc.Place.Admin1, lang)
	if inc.Place.Locality != "" {
		where = inc.Place.Locality + ", " + where
	}
	line(t("place"), where)
	line(t("verification"), label(vocab.VerificationStatus, inc.Verification, lang))
	line(t("motive_link"), label(vocab.MotiveLink, inc.MotiveLink, lang))
	line(t("visibility"), label(vocab.Visibility, inc.Visibility, lang))
	line(t("fatalities"), fmt.Sprint(inc.Fatalities))
	for _, p := range inc.Perpetrators {
		s := label(vocab.PerpetratorType, p.Type, lang)
		if p.Group != "" {
			s += " — " + p.Group
		}
		if p.ModusOperandi != "" {
			s += " (" + p.ModusOperandi + ")"
		}
		line(t("perpetrator"), s)
	}
	for _, v := range inc.Victims {
		name := ""
		if p := v.Person; p != nil {
			var names []string
			for _, n := range []string{p.NameAR, p.NameLatin} {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
			name = strings.Join(names, " / ")
			if name == "" && p.Visibility == model.VisibilityRestricted {
				name = t("name_sealed")
			}
		}
		line(t("victim"), fmt.Sprintf("%s — %s, %s", name, label(vocab.VictimRole, v.Role, lang), label(vocab.Outcome, v.Outcome, lang)))
	}
	line(t("summary_en"), inc.SummaryEN)
	line(t("summary_ar"), inc.SummaryAR)
	line(t("narrative_en"), inc.NarrativeEN)
	line(t("narrative_ar"), inc.NarrativeAR)
	line(t("tags"), strings.Join(inc.Tags, ", "))
	if inc.External != nil {
		line(t("imported_from"), inc.External.System+" "+inc.External.ID)
	}
	line(t("sealed"), sealed)
}

// printSaid prints what sources said, one line each; sealed text not
// opened shows as "(sealed)".
func printSaid(w io.Writer, infos []model.Information, srcs map[string]*model.Source, lang string) {
	if len(infos) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", i18n.T(lang, "cli.show.sources"))
	sealed := func(s string, is bool) string {
		if is && s == "" {
			return i18n.T(lang, "cli.show.sealed_value")
		}
		return s
	}
	for _, in := range infos {
		src := srcs[in.SourceID]
		grade := in.Grade(*src)
		if grade == "" {
			grade = "--"
		}
		when := in.ObtainedOn
		if when == "" {
			when = i18n.T(lang, "cli.show.undated")
		}
		fmt.Fprintf(w, "  %s  %s %s, %s: %s\n", grade, label(vocab.SourceType, src.Type, lang), sealed(src.Label, src.Sealed),
			when, sealed(in.Summary, in.Sealed))
	}
}

func printHistory(w io.Writer, hist []store.Version, lang string) {
	fmt.Fprintf(w, "\n%s:\n", i18n.T(lang, "cli.show.history"))
	for _, v := range hist {
		fmt.Fprintf(w, "  v%d  %s  %s  %s\n", v.Version, v.At.UTC().Format("2006-01-02 15:04:05Z"), v.Actor, v.Action)
		if v.Purged {
			fmt.Fprintln(w, "        "+i18n.T(lang, "cli.show.purged"))
		}
		for _, c := range v.Changes {
			value := func(x any) string {
				if c.Purged && x == nil {
					return i18n.T(lang, "cli.show.sealed_value")
				}
				return short(x)
			}
			fmt.Fprintf(w, "        %s: %s → %s\n", c.Field, value(c.Old), value(c.New))
		}
	}
}

func short(v any) string {
	if v == nil {
		return "∅"
	}
	b, _ := json.Marshal(v)
	return clip(string(b), 60)
}

// codeRE is the shape of an incident code: country, year, number.
var codeRE = regexp.MustCompile(`^[A-Z]{2}-[0-9]{4}-[0-9]{4,}$`)

// noIncident says that no incident has code, and how to find one: an
// example of the shape only when code does not have it, so that a code
// is never offered as its own example.
func noIncident(code string) error {
	if !codeRE.MatchString(code) {
		return fmt.Errorf("%q is not an incident code: codes are a country, a year and a number, like IQ-2019-0042; 'rasd search WORDS' finds incidents", code)
	}
	year := code[:7]
	return fmt.Errorf("no incident has the code %s; 'rasd search %s' lists the codes of that year, 'rasd search WORDS' finds incidents by what they say", code, year)
}
