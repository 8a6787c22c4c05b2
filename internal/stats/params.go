package stats

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Params are a figure's filters as people write them, under the same
// names on the command line (`rasd stats --since …`) and in URLs (the
// dashboard's, /dashboard?since=…): since, until, last, today, type,
// governorate, role, perpetrator, outcome, min-verification, by and group.
// Query checks them and turns them into a Query; Query.Params goes back,
// so a figure's link states exactly the query behind it.
type Params struct {
	Since, Until string // YYYY-MM-DD; either may be left open
	// Last is a window counted back from Today: "365d", "8w", "12m" or
	// "2y" (see ParseLast), or "all" for all time. Not with Since or Until.
	Last  string
	Today string // YYYY-MM-DD: the day Last counts back from; "" = the caller's today
	// Types, Roles, Perpetrators and Outcomes are vocabulary codes;
	// Governorates are admin1 codes (IQ-BG) or names (Baghdad, بغداد).
	Types, Governorates, Roles, Perpetrators, Outcomes []string
	MinVerification                                    string // "" = DefaultThreshold
	By                                                 string // "", ByType, ByGovernorate or ByMonth
	// Group, with By, keeps one row: a type code, a governorate code or a
	// month (YYYY-MM); Unplaced for the unplaced row.
	Group string
}

// Unplaced is the Params.Group of the unplaced row (Query.Group "").
const Unplaced = "unplaced"

// AllTime is the Params.Last of a window open at both ends.
const AllTime = "all"

// The names of the parameters, as flags (with --) and URL parameters.
const (
	ParamSince           = "since"
	ParamUntil           = "until"
	ParamLast            = "last"
	ParamToday           = "today"
	ParamType            = "type"
	ParamGovernorate     = "governorate"
	ParamRole            = "role"
	ParamPerpetrator     = "perpetrator"
	ParamOutcome         = "outcome"
	ParamMinVerification = "min-verification"
	ParamBy              = "by"
	ParamGroup           = "group"
)

// ParamError is a mistake in one parameter: Param is its name.
type ParamError struct {
	Param string
	Err   error
}

func (e *ParamError) Error() string { return e.Param + ": " + e.Err.Error() }

func (e *ParamError) Unwrap() error { return e.Err }

func paramErr(param string, format string, args ...any) error {
	return &ParamError{Param: param, Err: fmt.Errorf(format, args...)}
}

// Query checks p and turns it into a Query; now is the default Today. A
// mistake is a *ParamError naming the parameter.
func (p Params) Query(now time.Time) (Query, error) {
	q := Query{MinVerification: p.MinVerification, By: p.By}
	if _, err := Counted(p.MinVerification); err != nil {
		return q, &ParamError{ParamMinVerification, err}
	}
	if _, ok := byStore[p.By]; !ok {
		return q, paramErr(ParamBy, "cannot group by %q: use %s, %s or %s", p.By, ByType, ByGovernorate, ByMonth)
	}
	switch {
	case p.Last != "" && (p.Since != "" || p.Until != ""):
		return q, paramErr(ParamLast, "give either last or since/until, not both")
	case p.Last == AllTime:
		if p.Today != "" {
			return q, paramErr(ParamToday, "today only goes with a last N window")
		}
	case p.Last != "":
		today := now
		if p.Today != "" {
			t, err := parse(p.Today)
			if err != nil {
				return q, &ParamError{ParamToday, err}
			}
			today = t
		}
		w, err := ParseLast(p.Last, today)
		if err != nil {
			return q, &ParamError{ParamLast, err}
		}
		q.Window = w
	case p.Today != "":
		return q, paramErr(ParamToday, "today only goes with last")
	default:
		q.Window = Between(p.Since, p.Until)
		for _, d := range []struct{ param, day string }{{ParamSince, p.Since}, {ParamUntil, p.Until}} {
			if d.day == "" {
				continue
			}
			if _, err := parse(d.day); err != nil {
				return q, &ParamError{d.param, err}
			}
		}
		if err := q.Window.Check(); err != nil {
			return q, &ParamError{ParamUntil, err}
		}
	}
	for _, c := range []struct {
		param, vocabulary string
		codes             []string
		into              *[]string
	}{
		{ParamType, vocab.IncidentType, p.Types, &q.Types},
		{ParamRole, vocab.VictimRole, p.Roles, &q.Roles},
		{ParamPerpetrator, vocab.PerpetratorType, p.Perpetrators, &q.Perpetrators},
		{ParamOutcome, vocab.Outcome, p.Outcomes, &q.Outcomes},
	} {
		for _, code := range c.codes {
			if err := vocab.Get(c.vocabulary).Check(code); err != nil {
				return q, &ParamError{c.param, err}
			}
			if !slices.Contains(*c.into, code) {
				*c.into = append(*c.into, code)
			}
		}
	}
	for _, g := range p.Governorates {
		pl, ok := vocab.Admin1(g)
		if !ok {
			pl, ok = vocab.Admin1ByName("", g)
		}
		if !ok {
			return q, paramErr(ParamGovernorate, "%q: no such governorate (give its ISO code, e.g. IQ-BG, or its name)", g)
		}
		if !slices.Contains(q.Governorates, pl.Code) {
			q.Governorates = append(q.Governorates, pl.Code)
		}
	}
	if p.Group != "" {
		if p.By == "" {
			return q, paramErr(ParamGroup, "a group needs a grouping (by)")
		}
		key, err := groupKey(p.By, p.Group)
		if err != nil {
			return q, &ParamError{ParamGroup, err}
		}
		q = q.InGroup(key)
	}
	_, err := q.Store() // every remaining rule, before any store is opened
	var pe *ParamError
	if err != nil && !errors.As(err, &pe) {
		err = &ParamError{ParamGroup, err}
	}
	return q, err
}

// groupKey is the row group names in the grouping by: a type code, a
// governorate (code or name, as its code) or a month YYYY-MM; "" for
// Unplaced, which only governorates and months have (every incident has
// a type).
func groupKey(by, group string) (string, error) {
	switch {
	case group == Unplaced && by != ByType:
		return "", nil
	case by == ByType:
		return group, vocab.Get(vocab.IncidentType).Check(group)
	case by == ByGovernorate:
		if pl, ok := vocab.Admin1(group); ok {
			return pl.Code, nil
		}
		if pl, ok := vocab.Admin1ByName("", group); ok {
			return pl.Code, nil
		}
		return "", fmt.Errorf("%q: no such governorate (give its ISO code, e.g. IQ-BG, its name, or %s)", group, Unplaced)
	}
	if t, err := time.Parse("2006-01", group); err != nil || len(group) != 7 || t.Year() < 1000 {
		return "", fmt.Errorf("%q is not a month: write it as YYYY-MM, e.g. 2019-10, or %s", group, Unplaced)
	}
	return group, nil
}

// Params is q written as parameters, its window as fixed days (Since and
// Until, or Last AllTime for all time), so that a link made from them
// names the same incidents tomorrow.
func (q Query) Params() Params {
	p := Params{Since: q.Window.From, Until: q.Window.To, MinVerification: q.MinVerification, By: q.By,
		Types: q.Types, Governorates: q.Governorates, Roles: q.Roles, Perpetrators: q.Perpetrators, Outcomes: q.Outcomes}
	if p.Since == "" && p.Until == "" {
		p.Last = AllTime
	}
	if q.OnlyGroup {
		p.Group = q.Group
		if p.Group == "" {
			p.Group = Unplaced
		}
	}
	return p
}

// ParseValues reads Params from URL parameters. A list may be given as
// repeated parameters or separated by commas; empty values are left out.
func ParseValues(v url.Values) Params {
	one := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	list := func(k string) []string {
		var out []string
		for _, s := range v[k] {
			for _, x := range strings.Split(s, ",") {
				if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
		}
		return out
	}
	return Params{Since: one(ParamSince), Until: one(ParamUntil), Last: one(ParamLast), Today: one(ParamToday),
		Types: list(ParamType), Governorates: list(ParamGovernorate), Roles: list(ParamRole),
		Perpetrators: list(ParamPerpetrator), Outcomes: list(ParamOutcome),
		MinVerification: one(ParamMinVerification), By: one(ParamBy), Group: one(ParamGroup)}
}

// Values writes p as URL parameters, leaving out what is empty and the
// default threshold; lists are repeated parameters.
func (p Params) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set(ParamSince, p.Since)
	set(ParamUntil, p.Until)
	set(ParamLast, p.Last)
	set(ParamToday, p.Today)
	for k, l := range map[string][]string{ParamType: p.Types, ParamGovernorate: p.Governorates, ParamRole: p.Roles,
		ParamPerpetrator: p.Perpetrators, ParamOutcome: p.Outcomes} {
		if len(l) > 0 {
			v[k] = slices.Clone(l)
		}
	}
	if p.MinVerification != DefaultThreshold {
		set(ParamMinVerification, p.MinVerification)
	}
	set(ParamBy, p.By)
	set(ParamGroup, p.Group)
	return v
}
