package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// longValue is how many characters of a changed value show before the
// rest folds away.
const longValue = 160

// historyPage is what incident_history.html shows: newest version first.
type historyPage struct {
	Inc      *model.Incident
	Versions []historyVersion
}

type historyVersion struct {
	Version             int
	When, Actor, Action string
	Changes             []historyChange
	Purged              bool // its text, sealed since, was taken out
}

type historyChange struct {
	Field    string
	Old, New historyValue
}

type historyValue struct {
	Text, Short string // Short is set when Text is long
}

// vocabFields are the history paths whose values are vocabulary codes.
var vocabFields = map[string]string{"type": vocab.IncidentType, "date.precision": vocab.DatePrecision,
	"place.geo_precision": vocab.GeoPrecision, "verification": vocab.VerificationStatus,
	"motive_link": vocab.MotiveLink, "visibility": vocab.Visibility}

func (s *Server) incidentHistory(req *request) error {
	inc, err := s.visibleIncident(req)
	if err != nil {
		return err
	}
	ctx := req.r.Context()
	versions, err := s.incidents.History(ctx, incidents.As(req.user), inc)
	if err != nil {
		return err
	}
	h := &historyFormatter{s: s, ctx: ctx, u: req.user, lang: i18n.Lang(req.lang), names: map[string]string{}}
	d := &historyPage{Inc: inc}
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		hv := historyVersion{Version: v.Version, Actor: v.Actor, When: h.when(v.At), Action: v.Action, Purged: v.Purged}
		if k := "history.action." + v.Action; i18n.Has(h.lang, k) {
			hv.Action = i18n.T(h.lang, k)
		}
		for _, c := range v.Changes {
			hv.Changes = append(hv.Changes, historyChange{Field: fieldLabel(h.lang, c.Field),
				Old: h.value(c.Field, purgedValue(h.lang, c, c.Old)), New: h.value(c.Field, purgedValue(h.lang, c, c.New))})
		}
		d.Versions = append(d.Versions, hv)
	}
	s.render(req, http.StatusOK, "incident_history", d)
	return nil
}

// purgedValue is v, or where the record's text was sealed since and v
// purged from the history, a note saying so.
func purgedValue(lang string, c store.Change, v any) any {
	if c.Purged && v == nil {
		return i18n.T(lang, "history.purged_value")
	}
	return v
}

// fieldLabel names a history path (date.start) in lang, or shows the path.
func fieldLabel(lang, path string) string {
	if k := "incident.field." + path; i18n.Has(lang, k) {
		return i18n.T(lang, k)
	}
	return path
}

// historyFormatter writes stored values for people: labels for codes,
// names of governorates, districts and visible persons.
type historyFormatter struct {
	s     *Server
	ctx   context.Context
	u     *model.User
	lang  string
	names map[string]string // person ID → what to show
}

func (h *historyFormatter) when(t time.Time) string {
	t = t.UTC()
	return i18n.T(h.lang, "history.when", i18n.Date(h.lang, t.Format(time.DateOnly), "day"), t.Format("15:04"))
}

func (h *historyFormatter) value(field string, v any) historyValue {
	text := h.text(field, v)
	hv := historyValue{Text: text}
	if r := []rune(text); len(r) > longValue {
		hv.Short = string(r[:longValue/2]) + "…"
	}
	return hv
}

func (h *historyFormatter) label(vocabulary, code string) string {
	if t, ok := vocab.Get(vocabulary).Lookup(code); ok {
		return t.Label(h.lang)
	}
	return code
}

func (h *historyFormatter) text(field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return i18n.T(h.lang, "incident.yes")
		}
		return i18n.T(h.lang, "incident.no")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return h.code(field, x)
	case []any:
		var parts []string
		for _, el := range x {
			if m, ok := el.(map[string]any); ok && (field == "perpetrators" || field == "victims") {
				parts = append(parts, h.entry(field, m))
			} else {
				parts = append(parts, h.text(field, el))
			}
		}
		if field == "perpetrators" || field == "victims" {
			return strings.Join(parts, "; ")
		}
		return strings.Join(parts, i18n.T(h.lang, "incident.sep"))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + h.text("", x[k])
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

func (h *historyFormatter) code(field, s string) string {
	if voc, ok := vocabFields[field]; ok {
		return h.label(voc, s)
	}
	switch field {
	case "place.admin1":
		if p, ok := vocab.Admin1(s); ok {
			return p.Label(h.lang)
		}
	case "place.district":
		return districtName(h.lang, defaultCountry, s)
	case "date.start", "date.end":
		return i18n.Date(h.lang, s, "day")
	}
	return s
}

// entry writes one perpetrator or victim of a stored list.
func (h *historyFormatter) entry(field string, m map[string]any) string {
	str := func(k string) string { s, _ := m[k].(string); return s }
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if field == "perpetrators" {
		add(h.label(vocab.PerpetratorType, str("type")))
		add(str("group"))
		add(str("modus_operandi"))
	} else {
		add(h.person(str("person_id")))
		if r := str("role"); r != "" {
			add(h.label(vocab.VictimRole, r))
		}
		add(h.label(vocab.Outcome, str("outcome")))
	}
	return strings.Join(parts, " · ")
}

// person names a victim if the user may see them.
func (h *historyFormatter) person(id string) string {
	if n, ok := h.names[id]; ok {
		return n
	}
	n := i18n.T(h.lang, "incident.person_hidden")
	if p, err := h.s.st.Persons().Get(h.ctx, id); err == nil && access.CanSee(h.u, p.Visibility, p.CreatedBy) {
		n = personLabel(p)
	}
	h.names[id] = n
	return n
}
