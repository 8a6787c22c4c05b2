package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
)

// infoForm is the "add information" form of the incident page: a new
// source and what it said about this incident.
type infoForm struct {
	Type, Reliability, Label, Credibility, ObtainedOn, Summary string
}

func (s *Server) incidentAddInformation(req *request) error {
	inc, err := s.editableIncident(req)
	if err != nil {
		return err
	}
	get := func(k string) string { return strings.TrimSpace(req.r.PostFormValue(k)) }
	f := infoForm{Type: get("source_type"), Reliability: get("reliability"), Label: get("label"),
		Credibility: get("credibility"), ObtainedOn: normDigits(get("obtained_on")),
		Summary: strings.ReplaceAll(get("info_summary"), "\r\n", "\n")}
	errs := newFormErrors()
	src := &model.Source{Type: f.Type, Reliability: f.Reliability, Label: f.Label}
	info := &model.Information{ObtainedOn: f.ObtainedOn, Summary: f.Summary}
	credibility, err := strconv.Atoi(f.Credibility)
	if f.Credibility != "" && (err != nil || credibility == 0) {
		errs.add("credibility", "form.error.vocab") // no value the form offers
	}
	info.Credibility = credibility
	errs.addProblems(incidents.ValidateInformation(src, info, s.now()), infoField)
	// About a restricted incident, the label and summary are sealed with
	// its text: a member's key, held for their session, seals them.
	rs, errKey, err := s.recordSealer(req, incidents.InformationNeedsSealer(inc, src, info))
	if err != nil {
		return err
	}
	defer rs.Close()
	if errKey == "sealedrecords.error.need_key" {
		errKey = "sealedrecords.error.need_key_info"
	}
	if errKey != "" {
		errs.add("info", errKey)
	}
	if !errs.empty() {
		return s.renderIncident(req, http.StatusUnprocessableEntity, inc, f, errs)
	}
	if _, err := refused(src, s.incidents.AddSource(req.r.Context(), req.user, inc, src, info, rs)); err != nil {
		return err
	}
	return errRedirect("/incidents/" + inc.ID + "?notice=information#sources")
}

// infoField maps a path of incidents.ValidateInformation to the input of
// the source form it came from.
func infoField(path string) string {
	switch path {
	case "source.type":
		return "source_type"
	case "source.reliability":
		return "reliability"
	case "source.label":
		return "label"
	case "summary":
		return "info_summary"
	}
	return path // credibility, obtained_on
}
