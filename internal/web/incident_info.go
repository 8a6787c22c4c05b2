package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/textnorm"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Lengths of the source form's free text, in characters.
const (
	maxSourceLabel = 300
	maxInfoSummary = 5000
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
	code := func(field, vocabulary, value string) {
		switch {
		case value == "":
			errs.add(field, "form.error.required")
		case !vocab.Get(vocabulary).Has(value):
			errs.add(field, "form.error.vocab")
		}
	}
	code("source_type", vocab.SourceType, f.Type)
	code("reliability", vocab.Reliability, f.Reliability)
	code("credibility", vocab.Credibility, f.Credibility)
	if _, ok := textnorm.BidiControl(f.Label); ok {
		errs.add("label", "form.error.bidi")
	} else if utf8.RuneCountInString(f.Label) > maxSourceLabel {
		errs.add("label", "form.error.too_long", maxSourceLabel)
	}
	if utf8.RuneCountInString(f.Summary) > maxInfoSummary {
		errs.add("info_summary", "form.error.too_long", maxInfoSummary)
	}
	if f.ObtainedOn != "" {
		t, err := time.Parse(time.DateOnly, f.ObtainedOn)
		switch {
		case err != nil:
			errs.add("obtained_on", "form.error.date_format")
		case t.Year() < 1900 || t.After(s.now().AddDate(0, 0, 1)):
			errs.add("obtained_on", "form.error.date_plausible")
		}
	}
	// About a restricted incident, the label and summary are sealed with
	// its text: a member's key, held for their session, seals them.
	rs, errKey, err := s.recordSealer(req, inc.Visibility == model.VisibilityRestricted && (f.Label != "" || f.Summary != ""))
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
	src := &model.Source{Type: f.Type, Reliability: f.Reliability, Label: f.Label}
	credibility, _ := strconv.Atoi(f.Credibility)
	info := &model.Information{IncidentID: inc.ID, Credibility: credibility, ObtainedOn: f.ObtainedOn, Summary: f.Summary}
	if rs != nil {
		info.Key = rs
	}
	if err := s.st.AddSourceInformation(req.r.Context(), req.user.Username, src, info); err != nil {
		return err
	}
	return errRedirect("/incidents/" + inc.ID + "?notice=information#sources")
}
