package web

import (
	"errors"
	"net/http"
	"sort"
	"strconv"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// incidentViewPage is what incident.html shows.
type incidentViewPage struct {
	Inc         *model.Incident
	Victims     []victimView
	District    string // the district's name, or what was stored
	Coords      string
	Window      string // the date's first and last day, when they differ
	Info        []infoView
	OrigKeys    []string // external.original, sorted
	CanEdit     bool
	Transitions []string // verification statuses the user may move to
	Notice      string
	InfoForm    infoForm
	InfoErrors  map[string]string
	Evidence    *evidenceSection
	Sealed      string // what the page says about sealed text (sealedrecords.go)
	// Responses and judicial track (accountability.go)
	Accountability *incidentAccountability
	// Probable duplicates (duplicates.go), and the incident this one was
	// merged into.
	Duplicates []dupRow
	MergedInto refLink
}

type victimView struct {
	model.Victim
	Visible bool // the user may see the person (else no name is shown)
}

type infoView struct {
	model.Information
	Source *model.Source
	Grade  string
	// SummarySealed, LabelSealed: sealed with the restricted incident's
	// text and not opened (the viewer holds no key).
	SummarySealed, LabelSealed bool
	// IdentityLink opens the source's sealed identity, for members of
	// the sources compartment only.
	IdentityLink string
}

// notices are the messages a redirect may ask the incident page to show.
var notices = map[string]string{"created": "incident.notice.created", "saved": "incident.notice.saved",
	"verification": "incident.notice.verification", "information": "incident.notice.information",
	"conflict": "incident.notice.conflict"}

func (s *Server) incidentView(req *request) error {
	inc, err := s.visibleIncident(req)
	if err != nil {
		return err
	}
	return s.renderIncident(req, http.StatusOK, inc, infoForm{}, nil)
}

func (s *Server) renderIncident(req *request, status int, inc *model.Incident, form infoForm, errs *formErrors) error {
	infos, srcs, err := s.incidents.Said(req.r.Context(), incidents.As(req.user), inc)
	if err != nil {
		return err
	}
	sealed, err := s.openIncidentSaid(req, inc, infos, srcs)
	if err != nil {
		return err
	}
	return s.renderIncidentPage(req, status, inc, form, errs, sealed, infos, srcs)
}

func (s *Server) renderIncidentPage(req *request, status int, inc *model.Incident, form infoForm, errs *formErrors, sealed string,
	infos []model.Information, srcs map[string]*model.Source) error {
	lang := i18n.Lang(req.lang)
	d := &incidentViewPage{Inc: inc, CanEdit: access.CanEdit(req.user, inc.Visibility, inc.CreatedBy),
		Notice: notices[req.r.URL.Query().Get("notice")], InfoForm: form, Sealed: sealed}
	if errs != nil {
		d.InfoErrors, _ = errs.translate(lang)
	}
	if d.CanEdit {
		d.Transitions = incidents.Transitions(req.user, inc.Verification)
	}
	for _, v := range inc.Victims {
		d.Victims = append(d.Victims, victimView{Victim: v,
			Visible: v.Person != nil && access.CanSee(req.user, v.Person.Visibility, v.Person.CreatedBy)})
	}
	d.District = districtName(lang, inc.Place.Country, inc.Place.District)
	if inc.Place.Lat != nil && inc.Place.Lon != nil {
		d.Coords = strconv.FormatFloat(*inc.Place.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(*inc.Place.Lon, 'f', -1, 64)
	}
	if inc.Date.End != "" && inc.Date.End != inc.Date.Start {
		d.Window = i18n.Date(lang, inc.Date.Start, "day") + " – " + i18n.Date(lang, inc.Date.End, "day")
	}
	if inc.External != nil {
		for k := range inc.External.Original {
			d.OrigKeys = append(d.OrigKeys, k)
		}
		sort.Strings(d.OrigKeys)
	}
	member, err := keys.IsMember(req.r.Context(), s.st, model.CompartmentSources, req.user.ID)
	if err != nil {
		return err
	}
	for _, in := range infos {
		src := srcs[in.SourceID]
		iv := infoView{Information: in, Source: src, Grade: in.Grade(*src),
			SummarySealed: in.Sealed && in.Summary == "", LabelSealed: src.Sealed && src.Label == ""}
		if member {
			iv.IdentityLink = "/sources/" + src.ID + "/identity"
		}
		d.Info = append(d.Info, iv)
	}
	if d.Evidence, err = s.evidenceSection(req, store.KindIncident, inc.ID, inc.Visibility, inc.CreatedBy); err != nil {
		return err
	}
	if d.Accountability, err = s.incidentAccountability(req, inc); err != nil {
		return err
	}
	if d.Duplicates, err = s.candidates(req, inc); err != nil {
		return err
	}
	if inc.MergedInto != "" {
		d.MergedInto = s.refText(req, "incident", inc.MergedInto)
	}
	s.render(req, status, "incident", d)
	return nil
}

// districtName is a district's name from the gazetteer, or the stored text.
func districtName(lang, country, code string) string {
	if g := vocab.GazetteerFor(country); g != nil && code != "" {
		if p, ok := g.Lookup(code); ok && p.Level == 2 {
			return p.Label(lang)
		}
	}
	return code
}

// incidentVerify moves the incident's verification status one step; the
// store records it in the history like any other change.
func (s *Server) incidentVerify(req *request) error {
	inc, err := s.editableIncident(req)
	if err != nil {
		return err
	}
	to := req.r.PostFormValue("status")
	switch err := incidents.MayMove(req.user, inc, to); {
	case errors.Is(err, incidents.ErrTransition):
		return errBadForm
	case err != nil:
		return errForbidden
	}
	version, err := strconv.Atoi(req.r.PostFormValue("version"))
	if err != nil {
		return errBadForm
	}
	err = s.incidents.SetVerification(req.r.Context(), req.user, inc, to, version)
	if errors.Is(err, store.ErrConflict) {
		return errRedirect("/incidents/" + inc.ID + "?notice=conflict")
	}
	if _, err := refused(inc, err); err != nil {
		return err
	}
	return errRedirect("/incidents/" + inc.ID + "?notice=verification")
}

// Paras splits user text into its paragraphs (paragraphs).
func (p *incidentViewPage) Paras(s string) []string { return paragraphs(s) }
