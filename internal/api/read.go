package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/stats"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// search finds incidents, persons and organisations the user may see.
func (a *API) search(c *call) error {
	v := c.r.URL.Query()
	if err := onlyParams(v, []string{"q", "limit"}); err != nil {
		return err
	}
	q := strings.TrimSpace(v.Get("q"))
	if q == "" {
		return bad("q", "is required: the words to find")
	}
	n, err := limit(v)
	if err != nil {
		return err
	}
	hits, err := a.o.Incidents.Search(c.ctx, incidents.As(c.user), q, n)
	if err != nil {
		return err
	}
	persons, err := a.o.People.Persons.Search(c.ctx, c.user, q, n)
	if err != nil {
		return err
	}
	orgs, err := a.o.People.Organisations.Search(c.ctx, c.user, q, n)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, map[string]any{"incidents": showHits(hits), "persons": nonNil(persons), "organisations": nonNil(orgs)})
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

var statsParams = []string{stats.ParamSince, stats.ParamUntil, stats.ParamLast, stats.ParamToday, stats.ParamType,
	stats.ParamGovernorate, stats.ParamRole, stats.ParamPerpetrator, stats.ParamOutcome, stats.ParamMinVerification,
	stats.ParamBy, stats.ParamGroup, "lang", "receipt", "limit", "cursor"}

// statistics counts as `rasd stats --as USER` does, by the same
// parameters (stats.Params), for the token's user: restricted incidents
// count only if the user may list them (docs/counting.md). With
// receipt=true the incidents behind the figure follow, those the user
// may see listed, the others counted as withheld.
func (a *API) statistics(c *call) error {
	v := c.r.URL.Query()
	if err := onlyParams(v, statsParams); err != nil {
		return err
	}
	p := stats.Params{Since: v.Get(stats.ParamSince), Until: v.Get(stats.ParamUntil), Last: v.Get(stats.ParamLast),
		Today: v.Get(stats.ParamToday), Types: v[stats.ParamType], Governorates: v[stats.ParamGovernorate],
		Roles: v[stats.ParamRole], Perpetrators: v[stats.ParamPerpetrator], Outcomes: v[stats.ParamOutcome],
		MinVerification: v.Get(stats.ParamMinVerification), By: v.Get(stats.ParamBy), Group: v.Get(stats.ParamGroup)}
	q, err := p.Query(a.o.Now())
	var pe *stats.ParamError
	if errors.As(err, &pe) {
		return bad(pe.Param, pe.Err.Error())
	}
	if err != nil {
		return err
	}
	lang := v.Get("lang")
	switch {
	case lang == "":
		lang = "en"
	case !locale.Stored(lang):
		return bad("lang", "is en or ar")
	}
	receipt := false
	if s := v.Get("receipt"); s != "" {
		if receipt, err = strconv.ParseBool(s); err != nil {
			return bad("receipt", "is true or false")
		}
	}
	q.Reader = access.Visible(c.user)
	res, err := stats.Count(c.ctx, a.o.Store, q)
	if err != nil {
		return err
	}
	out := stats.NewJSON(res, nil, lang)
	if receipt {
		n, err := limit(v)
		if err != nil {
			return err
		}
		off, err := readCursor(v.Get("cursor"), v)
		if err != nil {
			return err
		}
		rc, err := stats.Receipt(c.ctx, a.o.Store, q, q.Reader, n, off)
		if err != nil {
			return err
		}
		out.Receipt = stats.ReceiptJSON(rc)
		if listed := rc.Total - rc.Withheld; off+len(rc.Incidents) < listed {
			out.Receipt.NextCursor = makeCursor(off+len(rc.Incidents), v)
		}
	}
	return reply(c, http.StatusOK, out)
}

// termOut is a vocabulary term with its labels in both languages.
type termOut struct {
	Code string `json:"code"`
	EN   string `json:"en"`
	AR   string `json:"ar"`
	Rank int    `json:"rank,omitempty"`
}

func (a *API) vocabularies(c *call) error {
	if err := onlyParams(c.r.URL.Query(), nil); err != nil {
		return err
	}
	return reply(c, http.StatusOK, map[string][]string{"vocabularies": vocab.Names()})
}

func (a *API) vocabulary(c *call) error {
	if err := onlyParams(c.r.URL.Query(), nil); err != nil {
		return err
	}
	name := c.r.PathValue("name")
	known := false
	for _, n := range vocab.Names() {
		known = known || n == name
	}
	if !known {
		return store.ErrNotFound
	}
	out := []termOut{}
	for _, t := range vocab.Get(name).Terms {
		out = append(out, termOut{Code: t.Code, EN: t.Label("en"), AR: t.Label("ar"), Rank: t.Rank})
	}
	return reply(c, http.StatusOK, map[string]any{"name": name, "terms": out})
}

// placeOut is a governorate or a district of the gazetteer.
type placeOut struct {
	Code   string  `json:"code"`
	PCode  string  `json:"pcode,omitempty"`
	Parent string  `json:"parent"`
	EN     string  `json:"en"`
	AR     string  `json:"ar"`
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
}

func (a *API) gazetteer(c *call) error {
	v := c.r.URL.Query()
	if err := onlyParams(v, []string{"country"}); err != nil {
		return err
	}
	country := v.Get("country")
	if country == "" {
		country = "IQ"
	}
	g := vocab.GazetteerFor(country)
	if g == nil {
		return bad("country", "has no gazetteer here")
	}
	show := func(p vocab.Place) placeOut {
		return placeOut{Code: p.Code, PCode: p.PCode, Parent: p.Parent, EN: p.Label("en"), AR: p.Label("ar"), Lat: p.Lat, Lon: p.Lon}
	}
	govs, districts := []placeOut{}, []placeOut{}
	for _, p := range g.Governorates() {
		govs = append(govs, show(p))
		for _, d := range g.Districts(p.Code) {
			districts = append(districts, show(d))
		}
	}
	return reply(c, http.StatusOK, map[string]any{"country": country, "governorates": govs, "districts": districts})
}
