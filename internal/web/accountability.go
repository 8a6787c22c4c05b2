package web

import (
	"html/template"
	"sort"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/stats"
)

// registerAccountability declares the pages of commitments, committees
// and judicial steps: record kinds drawn by kindPages, writable by those
// who record incidents (docs/access.md).
func (s *Server) registerAccountability() {
	writers := onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	(&kindPages[model.Commitment]{s: s, svc: s.justice.Commitments, list: "commitments", view: "commitment",
		form: "commitment_form", countKey: "commitments.count", extra: s.commitmentExtra, listExtra: s.commitmentRows}).register(writers)
	(&kindPages[model.Committee]{s: s, svc: s.justice.Committees, list: "committees", view: "committee",
		form: "committee_form", countKey: "committees.count"}).register(writers)
	(&kindPages[model.JudicialStep]{s: s, svc: s.justice.Steps, list: "judicial_steps", view: "judicial_step",
		form: "judicial_step_form", countKey: "judicial.count"}).register(writers)
}

// today is the day deadlines are checked against: the server's clock.
func (s *Server) today() accountability.Day { return accountability.DayOf(s.now()) }

// commitmentItem is one commitment of a list: its promise and its
// sentence ("promised results within 3 months on 12 January 2020; 4
// months overdue").
type commitmentItem struct {
	Path, Visibility string
	Promise          string
	Row              stats.CommitmentRow
}

func (s *Server) commitmentRows(req *request, list []model.Commitment) (map[string]any, error) {
	items := make([]commitmentItem, len(list))
	for i := range list {
		c := &list[i]
		items[i] = commitmentItem{Path: "/commitments/" + c.ID, Visibility: c.Visibility,
			Promise: promiseIn(req.lang, c.PromiseAR, c.PromiseEN), Row: stats.RowOf(c, s.today())}
	}
	return map[string]any{"Items": items}, nil
}

// promiseIn is the promise's text in lang if it has one, else the other.
func promiseIn(lang, ar, en string) string {
	if locale.Arabic(lang) && ar != "" || en == "" {
		return ar
	}
	return en
}

// timelineEntry is one dated line of a commitment's page.
type timelineEntry struct {
	Day  string
	Key  string // message: "commitment.timeline.made", ".status", ".due", ".today"
	Code string // the status, for .status
	Note string
	Late bool
}

// commitmentExtra is a commitment's timeline: made, each status change,
// its due day, and today when it is overdue.
func (s *Server) commitmentExtra(req *request, c *model.Commitment) (map[string]any, error) {
	row := stats.RowOf(c, s.today())
	tl := []timelineEntry{{Day: c.MadeOn, Key: "commitment.timeline.made"}}
	made, err := accountability.ParseDay(c.MadeOn)
	if err == nil {
		h, _, _ := accountability.ParseHistory(c.StatusHistory, made, accountability.Date(9999, 12, 31))
		for _, ch := range h {
			tl = append(tl, timelineEntry{Day: ch.Day.String(), Key: "commitment.timeline.status", Code: ch.Status, Note: ch.Note})
		}
	}
	if row.Due != "" {
		tl = append(tl, timelineEntry{Day: row.Due, Key: "commitment.timeline.due"})
	}
	if row.Overdue {
		tl = append(tl, timelineEntry{Day: s.today().String(), Key: "commitment.timeline.today", Late: true})
	}
	sort.SliceStable(tl, func(i, j int) bool { return tl[i].Day < tl[j].Day })
	return map[string]any{"Row": row, "Timeline": tl}, nil
}

// Commitment is a commitment's sentence in the page's language
// (stats.PromiseSentence), numbers and dates isolated (<bdi>) in the
// page's digits.
func (p *page) Commitment(r stats.CommitmentRow) template.HTML {
	return template.HTML(stats.PromiseSentence(p.Lang, r, template.HTMLEscapeString, func(s string) string {
		return "<bdi>" + template.HTMLEscapeString(p.digits(s)) + "</bdi>"
	}))
}

// incidentAccountability is what an incident's page shows of the
// responses to it and of its judicial track, as the reader may see them.
type incidentAccountability struct {
	IncidentID  string
	Commitments []commitmentItem
	Committees  []model.Committee
	Steps       []model.JudicialStep
	Class       string
	CanCreate   bool
}

func (s *Server) incidentAccountability(req *request, inc *model.Incident) (*incidentAccountability, error) {
	ctx, u := req.r.Context(), req.user
	a := &incidentAccountability{IncidentID: inc.ID, CanCreate: access.CanCreate(u)}
	cs, _, err := s.justice.Commitments.ListWhere(ctx, u, "", "incidents", inc.ID, 100, 0)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		c := &cs[i]
		a.Commitments = append(a.Commitments, commitmentItem{Path: "/commitments/" + c.ID, Visibility: c.Visibility,
			Promise: promiseIn(req.lang, c.PromiseAR, c.PromiseEN), Row: stats.RowOf(c, s.today())})
	}
	if a.Committees, _, err = s.justice.Committees.ListWhere(ctx, u, "", "incidents", inc.ID, 100, 0); err != nil {
		return nil, err
	}
	tr, err := s.justice.TrackOf(ctx, u, inc.ID)
	if err != nil {
		return nil, err
	}
	a.Steps, a.Class = tr.Steps, tr.Class
	return a, nil
}

// promisesTile is the dashboard's tile: the commitment and committee
// figures for the reader, and the most overdue commitments.
type promisesTile struct {
	stats.Commitments
	Late []stats.CommitmentRow
}

// promisesShown is how many overdue commitments the tile lists.
const promisesShown = 3

func (s *Server) promises(req *request) (*promisesTile, error) {
	v := access.Visible(req.user)
	// Counted in the store: the tile reads only the commitments it lists.
	c, err := stats.CountCommitmentsPage(req.r.Context(), s.st, v, v, s.today(), promisesShown)
	if err != nil {
		return nil, err
	}
	return &promisesTile{Commitments: c, Late: c.Receipt}, nil
}
