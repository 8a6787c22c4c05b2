package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/duplicates"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The review of incidents proposed as duplicates (docs/duplicates.md):
// the queue of probable pairs, one incident's candidates, a pair side by
// side with the reasons of its score, and the decisions on it (merge,
// "not the same event", undoing a merge). Deciding is a verifier's, as
// it changes what is counted (incidents.Service.Merge).

// queueMax bounds the pairs the queue shows, best first.
const queueMax = 100

func (s *Server) registerDuplicates() {
	creators := onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	s.route("GET /duplicates", signedIn, s.duplicateQueue)
	s.route("GET /incidents/{id}/duplicates", signedIn, s.incidentDuplicates)
	s.route("POST /incidents/{id}/duplicates", creators, s.incidentDecide)
}

// dupRow is a proposed pair: the page's incident (or the queue's first)
// and the other, with the score and its reasons.
type dupRow struct {
	A, B    *model.Incident
	Percent string
	Why     []duplicates.Reason
	Compare string
}

type duplicateQueuePage struct {
	Rows      []dupRow
	More      bool
	Notice    string
	CanDecide bool
}

// duplicateQueue lists the probable pairs kept (docs/duplicates.md, "The
// queue": found on save, by an import's check and by rasd duplicates)
// whose incidents the reader may see, best first, less those merged and
// the pairs found to be two events. The reasons are said again from the
// two incidents as the reader reads them.
func (s *Server) duplicateQueue(req *request) error {
	ctx := req.r.Context()
	pairs, more, err := s.st.ListDuplicatePairs(ctx, access.Visible(req.user), queueMax)
	if err != nil {
		return err
	}
	d := &duplicateQueuePage{CanDecide: access.CanVerify(req.user), More: more,
		Notice: decisionNotices[req.r.URL.Query().Get("notice")]}
	for _, p := range pairs {
		a, errA := s.incidents.Get(ctx, incidents.As(req.user), p.A)
		b, errB := s.incidents.Get(ctx, incidents.As(req.user), p.B)
		if errA != nil || errB != nil {
			continue // gone meanwhile, or not the reader's to see
		}
		_, why := duplicates.Explain(a, b)
		d.Rows = append(d.Rows, dupRow{A: a, B: b, Percent: percent(p.Score), Why: why, Compare: compareURL(a.ID, b.ID)})
	}
	s.render(req, http.StatusOK, "duplicates", d)
	return nil
}

func percent(score float64) string { return fmt.Sprintf("%.0f%%", 100*score) }

func compareURL(a, b string) string {
	return "/incidents/" + a + "/duplicates?with=" + url.QueryEscape(b)
}

// decisionNotices are the messages a decision's redirect asks for.
var decisionNotices = map[string]string{"merged": "duplicates.notice.merged", "distinct": "duplicates.notice.distinct",
	"unmerged": "duplicates.notice.unmerged"}

// dupSide is one incident of a comparison.
type dupSide struct {
	Inc      *model.Incident
	Victims  []string // names the reader may see
	District string
	Sources  int
}

type incidentDuplicatesPage struct {
	Inc        *model.Incident
	Candidates []dupRow // without With: the incident's probable duplicates
	Merges     []mergeLine
	// With the other incident of a comparison:
	A, B      *dupSide
	Percent   string
	Why       []duplicates.Reason
	CanDecide bool // the reader may merge or mark the pair
	// CanDecideMerged: the incident is merged into another and the
	// reader may undo it.
	CanDecideMerged bool
	Distinct        bool // the pair was found to be two events
	Error           string
	Notice          string
}

// mergeLine is a merge the page's incident was in.
type mergeLine struct {
	Other  refLink
	Away   bool // the page's incident went into Other
	By, At string
	Undone bool
}

// incidentDuplicates is an incident's probable duplicates, or, with
// ?with=ID, the two side by side.
func (s *Server) incidentDuplicates(req *request) error {
	inc, err := s.visibleIncident(req)
	if err != nil {
		return err
	}
	return s.renderDuplicates(req, http.StatusOK, inc, req.r.URL.Query().Get("with"), "")
}

func (s *Server) renderDuplicates(req *request, status int, inc *model.Incident, with, errKey string) error {
	ctx := req.r.Context()
	d := &incidentDuplicatesPage{Inc: inc, Error: errKey, Notice: decisionNotices[req.r.URL.Query().Get("notice")]}
	if inc.MergedInto != "" {
		if into, err := s.incidents.Get(ctx, incidents.As(req.user), inc.MergedInto); err == nil {
			d.CanDecideMerged = access.CanVerify(req.user) && access.CanEdit(req.user, inc.Visibility, inc.CreatedBy) &&
				access.CanEdit(req.user, into.Visibility, into.CreatedBy)
		}
	}
	ms, err := s.incidents.Merges(ctx, incidents.As(req.user), inc.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		l := mergeLine{Away: m.From == inc.ID, By: m.MergedBy, At: m.MergedAt.UTC().Format("2006-01-02 15:04"), Undone: m.UndoneAt != nil}
		other := m.From
		if l.Away {
			other = m.Into
		}
		l.Other = s.refText(req, "incident", other)
		d.Merges = append(d.Merges, l)
	}
	if with == "" {
		if d.Candidates, err = s.candidates(req, inc); err != nil {
			return err
		}
		s.render(req, status, "duplicate", d)
		return nil
	}
	other, err := refused(s.incidents.Get(ctx, incidents.As(req.user), with))
	if err != nil {
		return err // one the reader may not see answers as a missing one
	}
	if d.A, err = s.dupSide(req, inc); err != nil {
		return err
	}
	if d.B, err = s.dupSide(req, other); err != nil {
		return err
	}
	score, why := duplicates.Explain(inc, other)
	d.Percent, d.Why = percent(score), why
	d.CanDecide = access.CanVerify(req.user) && access.CanEdit(req.user, inc.Visibility, inc.CreatedBy) &&
		access.CanEdit(req.user, other.Visibility, other.CreatedBy)
	distinct, err := s.st.DistinctPairs(ctx, inc.ID)
	if err != nil {
		return err
	}
	d.Distinct = distinct[store.PairKey(inc.ID, other.ID)]
	s.render(req, status, "duplicate", d)
	return nil
}

// candidates are the probable duplicates of inc the reader may see.
func (s *Server) candidates(req *request, inc *model.Incident) ([]dupRow, error) {
	ctx := req.r.Context()
	pairs, err := duplicates.For(ctx, s.st, inc, duplicates.DefaultMin)
	if err != nil {
		return nil, err
	}
	var out []dupRow
	for _, p := range pairs {
		b, err := s.incidents.Get(ctx, incidents.As(req.user), p.B)
		if err != nil {
			continue
		}
		out = append(out, dupRow{A: inc, B: b, Percent: percent(p.Score), Why: p.Why, Compare: compareURL(inc.ID, b.ID)})
	}
	return out, nil
}

func (s *Server) dupSide(req *request, inc *model.Incident) (*dupSide, error) {
	side := &dupSide{Inc: inc, District: districtName(i18n.Lang(req.lang), inc.Place.Country, inc.Place.District)}
	for _, v := range inc.Victims {
		if p := v.Person; p != nil && access.CanSee(req.user, p.Visibility, p.CreatedBy) {
			if n := joinNames(p.NameAR, p.NameLatin); n != "" {
				side.Victims = append(side.Victims, n)
			}
		}
	}
	infos, _, err := s.incidents.Said(req.r.Context(), incidents.As(req.user), inc)
	if err != nil {
		return nil, err
	}
	side.Sources = len(infos)
	return side, nil
}

func joinNames(ar, latin string) string {
	switch {
	case ar == "":
		return latin
	case latin == "":
		return ar
	}
	return ar + " · " + latin
}

// incidentDecide takes a decision on the page's incident and the one
// the form names (with): merge (with goes into the page's incident),
// distinct (two events), or unmerge (the page's incident counts again).
func (s *Server) incidentDecide(req *request) error {
	inc, err := s.visibleIncident(req)
	if err != nil {
		return err
	}
	if !access.CanVerify(req.user) || !access.CanEdit(req.user, inc.Visibility, inc.CreatedBy) {
		return errForbidden
	}
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	ctx := req.r.Context()
	with, decision := req.r.PostForm.Get("with"), req.r.PostForm.Get("decision")
	switch decision {
	case "merge":
		if with == "" {
			return s.renderDuplicates(req, http.StatusUnprocessableEntity, inc, "", "duplicates.error.with")
		}
		_, err = s.incidents.Merge(ctx, req.user, with, inc.ID)
		if err == nil {
			return errRedirect("/incidents/" + inc.ID + "/duplicates?notice=merged")
		}
	case "distinct":
		if with == "" {
			return s.renderDuplicates(req, http.StatusUnprocessableEntity, inc, "", "duplicates.error.with")
		}
		if err = s.incidents.TwoEvents(ctx, req.user, inc.ID, with); err == nil {
			return errRedirect("/duplicates?notice=distinct")
		}
	case "unmerge":
		if err = s.incidents.Unmerge(ctx, req.user, inc.ID); err == nil {
			return errRedirect("/incidents/" + inc.ID + "/duplicates?notice=unmerged")
		}
		with = ""
	default:
		return s.renderDuplicates(req, http.StatusUnprocessableEntity, inc, "", "duplicates.error.decision")
	}
	key := ""
	switch {
	case errors.Is(err, store.ErrIncidentMergeSelf):
		key, with = "duplicates.error.self", ""
	case errors.Is(err, store.ErrIncidentMerged):
		key = "duplicates.error.merged"
	case errors.Is(err, store.ErrNotMerged):
		key = "duplicates.error.not_merged"
	case errors.Is(err, incidents.ErrNotFound):
		key, with = "duplicates.error.not_found", "" // the same for one not there and one not visible
	case errors.Is(err, incidents.ErrForbidden):
		key, with = "duplicates.error.forbidden", ""
	default:
		return err
	}
	return s.renderDuplicates(req, http.StatusUnprocessableEntity, inc, with, key)
}

// Reason is a reason of a duplicate score in the page's language, its
// codes as vocabulary labels.
func (p *page) Reason(r duplicates.Reason) string {
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		switch r.Key {
		case "same_type", "types_differ":
			a = p.Label(vocab.IncidentType, a)
		case "same_perpetrator":
			a = p.Label(vocab.PerpetratorType, a)
		case "dates_overlap":
			a = p.Label(vocab.DatePrecision, a)
		case "victims_alike":
			if i == 2 { // names of either script: isolated, so that neither reorders the sentence
				a = "\u2068" + a + "\u2069"
			} else {
				a = p.digits(a)
			}
		default:
			a = p.digits(a)
		}
		args[i] = a
	}
	return i18n.T(p.Lang, "duplicates.reason."+r.Key, args...)
}
