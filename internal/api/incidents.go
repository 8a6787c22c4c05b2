package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// incidentIn is what a client writes of an incident: the values, and for
// a change the version it read. The rest (ID, code, bookkeeping) is the
// server's.
type incidentIn struct {
	Version      *int                `json:"version"`
	Type         string              `json:"type"`
	Date         model.Date          `json:"date"`
	Place        model.Place         `json:"place"`
	Perpetrators []model.Perpetrator `json:"perpetrators"`
	Victims      []victimIn          `json:"victims"`
	Fatalities   int                 `json:"fatalities"`
	SummaryEN    string              `json:"summary_en"`
	SummaryAR    string              `json:"summary_ar"`
	NarrativeEN  string              `json:"narrative_en"`
	NarrativeAR  string              `json:"narrative_ar"`
	Verification string              `json:"verification"`
	MotiveLink   string              `json:"motive_link"`
	Visibility   string              `json:"visibility"`
	Consent      bool                `json:"consent"`
	Tags         []string            `json:"tags"`
}

// victimIn names a person by ID: persons are written at /persons.
type victimIn struct {
	PersonID string `json:"person_id"`
	Role     string `json:"role"`
	Outcome  string `json:"outcome"`
}

func (in incidentIn) incident(base model.Incident) *model.Incident {
	inc := base
	inc.Type, inc.Date, inc.Place, inc.Perpetrators = in.Type, in.Date, in.Place, in.Perpetrators
	inc.Victims = nil
	for _, v := range in.Victims {
		inc.Victims = append(inc.Victims, model.Victim{PersonID: v.PersonID, Role: v.Role, Outcome: v.Outcome})
	}
	inc.Fatalities, inc.SummaryEN, inc.SummaryAR = in.Fatalities, in.SummaryEN, in.SummaryAR
	inc.NarrativeEN, inc.NarrativeAR = in.NarrativeEN, in.NarrativeAR
	inc.Verification, inc.MotiveLink, inc.Visibility, inc.Consent, inc.Tags = in.Verification, in.MotiveLink, in.Visibility, in.Consent, in.Tags
	if inc.Verification == "" {
		inc.Verification = "reported"
	}
	incidents.ApplyDefaults(&inc)
	return &inc
}

// incidentOut is an incident as the API shows it. Sealed says its text
// (summaries, narratives, names) is sealed in the protection compartment:
// a token holds no key, so it is left out.
type incidentOut struct {
	model.Incident
	Sealed bool `json:"sealed"`
}

func showIncident(inc *model.Incident) incidentOut {
	out := incidentOut{Incident: *inc, Sealed: inc.Visibility == model.VisibilityRestricted}
	out.Victims = nil
	for _, v := range inc.Victims { // persons are read at /persons, as their reader may
		out.Victims = append(out.Victims, model.Victim{PersonID: v.PersonID, Role: v.Role, Outcome: v.Outcome})
	}
	return out
}

// hitOut is a line of a list or a search.
type hitOut struct {
	ID         string `json:"id"`
	Code       string `json:"code"`
	Type       string `json:"type"`
	DateStart  string `json:"date_start"`
	Precision  string `json:"date_precision"`
	Admin1     string `json:"admin1"`
	SummaryEN  string `json:"summary_en"`
	SummaryAR  string `json:"summary_ar"`
	Visibility string `json:"visibility"`
	Fatalities int    `json:"fatalities"`
}

func showHits(hits []store.IncidentHit) []hitOut {
	out := make([]hitOut, 0, len(hits))
	for _, h := range hits {
		out = append(out, hitOut{ID: h.ID, Code: h.Code, Type: h.Type, DateStart: h.DateStart, Precision: h.Precision,
			Admin1: h.Admin1, SummaryEN: h.SummaryEN, SummaryAR: h.SummaryAR, Visibility: h.Visibility, Fatalities: h.Fatalities})
	}
	return out
}

// page is one page of a list and the cursor of the next ("" at the end).
type page[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor,omitempty"`
}

var incidentParams = []string{"type", "status", "gov", "from", "to", "perp", "role", "vis", "q", "sort", "dir", "limit", "cursor"}

var sortColumns = map[string]string{"date": "date", "code": "code", "type": "type", "governorate": "admin1", "updated": "updated"}

// listIncidents takes the web list's filters (docs/api.md), strictly: a
// parameter that is not one, or a code that is not in its vocabulary,
// is refused by name rather than ignored.
func (a *API) listIncidents(c *call) error {
	v := c.r.URL.Query()
	if err := onlyParams(v, incidentParams); err != nil {
		return err
	}
	codes := func(param, vocabulary string) ([]string, error) {
		for _, code := range v[param] {
			if !vocab.Get(vocabulary).Has(code) {
				return nil, bad(param, "is not a code of the "+vocabulary+" vocabulary (see /api/v1/vocabularies/"+vocabulary+")")
			}
		}
		return v[param], nil
	}
	one := func(param, vocabulary string) (string, error) {
		if len(v[param]) > 1 {
			return "", bad(param, "may be given once")
		}
		l, err := codes(param, vocabulary)
		if len(l) == 0 {
			return "", err
		}
		return l[0], err
	}
	f := store.IncidentFilter{Query: strings.TrimSpace(v.Get("q")), Sort: "date"}
	var err error
	if f.Types, err = codes("type", vocab.IncidentType); err != nil {
		return err
	}
	if f.Verification, err = codes("status", vocab.VerificationStatus); err != nil {
		return err
	}
	if f.PerpetratorType, err = one("perp", vocab.PerpetratorType); err != nil {
		return err
	}
	if f.VictimRole, err = one("role", vocab.VictimRole); err != nil {
		return err
	}
	vis, err := one("vis", vocab.Visibility)
	if err != nil {
		return err
	}
	if g := v.Get("gov"); g != "" {
		if _, ok := vocab.Admin1(g); !ok {
			return bad("gov", "is not a governorate code (see /api/v1/gazetteer)")
		}
		f.Admin1 = g
	}
	if s := v.Get("from"); s != "" {
		if f.From, _, err = dateWindow("from", s); err != nil {
			return err
		}
	}
	if s := v.Get("to"); s != "" {
		if _, f.To, err = dateWindow("to", s); err != nil {
			return err
		}
	}
	if s := v.Get("sort"); s != "" {
		col, ok := sortColumns[s]
		if !ok {
			return bad("sort", "is one of date, code, type, governorate, updated")
		}
		f.Sort = col
	}
	switch v.Get("dir") {
	case "", "desc":
	case "asc":
		f.Asc = true
	default:
		return bad("dir", "is asc or desc")
	}
	if f.Limit, err = limit(v); err != nil {
		return err
	}
	if f.Offset, err = readCursor(v.Get("cursor"), v); err != nil {
		return err
	}
	rows, total, err := a.o.Incidents.List(c.ctx, incidents.As(c.user), f, vis)
	if err != nil {
		return err
	}
	p := page[hitOut]{Items: showHits(rows), Total: total}
	if f.Offset+len(rows) < total {
		p.NextCursor = makeCursor(f.Offset+len(rows), v)
	}
	return reply(c, http.StatusOK, p)
}

func (a *API) getIncident(c *call) error {
	inc, err := a.findIncident(c, c.r.PathValue("id"))
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, showIncident(inc))
}

// findIncident finds an incident the user may see by ID or code.
func (a *API) findIncident(c *call, id string) (*model.Incident, error) {
	as := incidents.As(c.user)
	if strings.Count(id, "-") == 2 && len(id) < 30 { // a code: IQ-2019-0042
		return a.o.Incidents.GetByCode(c.ctx, as, id)
	}
	return a.o.Incidents.Get(c.ctx, as, id)
}

// createIncident refuses a role that records no cases before reading
// the body, so that the answer depends on the role alone.
func (a *API) createIncident(c *call) error {
	if !access.CanCreate(c.user) {
		return incidents.ErrForbidden
	}
	var in incidentIn
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Version != nil {
		return bad("version", "is given when changing an incident, not when creating one")
	}
	inc := in.incident(model.Incident{})
	if err := a.o.Incidents.Create(c.ctx, c.user, inc, nil); err != nil {
		return err
	}
	c.w.Header().Set("Location", "/api/v1/incidents/"+inc.ID)
	return reply(c, http.StatusCreated, showIncident(inc))
}

// updateIncident replaces an incident's values (PUT: every field, as for
// a create) at the version the client read; store.ErrConflict (409) if
// someone saved meanwhile.
func (a *API) updateIncident(c *call) error {
	old, err := a.findIncident(c, c.r.PathValue("id"))
	if err != nil {
		return err
	}
	if !access.CanEdit(c.user, old.Visibility, old.CreatedBy) { // before the body: the answer is the role's
		return incidents.ErrForbidden
	}
	var in incidentIn
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return bad("version", "is required: the version of the incident you read")
	}
	base := *old
	base.Version = *in.Version
	inc := in.incident(base)
	if err := a.o.Incidents.Update(c.ctx, c.user, inc, old, nil); err != nil {
		return err
	}
	got, err := a.o.Incidents.Get(c.ctx, incidents.As(c.user), inc.ID)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, showIncident(got))
}

// onlyParams refuses a query parameter that is not one of known.
func onlyParams(v url.Values, known []string) error {
	for k := range v {
		if !slices.Contains(known, k) {
			return bad(k, "is not a parameter of this route (see /api/openapi.json)")
		}
	}
	return nil
}
