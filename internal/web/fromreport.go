package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/rasd-project/rasd/internal/extract"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// "New from a report" (docs/extract.md): paste or upload a news report,
// review what package extract proposes, each value beside the sentences
// it came from, and accept an incident. Nothing is stored until then;
// claims are shown, not saved; the protection and accountability facts
// ticked are saved with the incident (fromreport_proposals.go).

// reportForm is the first form: the report and how to read it.
type reportForm struct {
	Text, Published, Lang string
}

// draftForm is one proposed incident as the review form carries it.
type draftForm struct {
	Type, DateStart, Precision, Admin1, District, Locality string
	Victims                                                []draftVictim
	Perps                                                  []draftPerp
	Summary                                                string
	Sentences                                              []draftSentence
	Reliability, Credibility, Label, Published, Lang       string
	DateText, PlaceText, Keyword                           string
	Confidence                                             string
	Member                                                 bool // of the protection compartment: may save threats and lists
	Threats                                                []draftThreat
	Lists                                                  []draftList
	Promises                                               []draftPromise
	Committees                                             []draftCommittee
}

// draftVictim is a proposed victim; Link is the existing person chosen
// among Matches ("" for a new person).
type draftVictim struct {
	Name, Role, Outcome, Sentences, Link string
	Matches                              []victimMatch
}
type draftPerp struct{ Type, Description string }
type draftSentence struct {
	Index int
	Text  string
}

// reportPage is what fromreport.html shows: the first form, or the
// review of a report's proposals (Result), or one draft refused on accept.
type reportPage struct {
	Form     reportForm
	Error    string
	Result   *extract.Result
	Used     map[int]bool // sentences some proposal came from
	Drafts   []draftForm
	Errors   map[string]string
	General  []string
	Accepted bool // showing one draft refused on accept
}

func (s *Server) reportNew(req *request) error {
	s.render(req, http.StatusOK, "fromreport", &reportPage{})
	return nil
}

// reportRead reads the report (pasted, or an uploaded .txt or .html) and
// shows the proposals.
func (s *Server) reportRead(req *request) error {
	f, raw, format, err := s.readReportForm(req)
	if err != nil {
		return err
	}
	lang := i18n.Lang(req.lang)
	res, err := extract.Extract(extract.Input{Text: raw, Format: format, Lang: f.Lang, Published: f.Published, Now: s.now()})
	if err != nil {
		s.render(req, http.StatusUnprocessableEntity, "fromreport", &reportPage{Form: f, Error: extractError(lang, err)})
		return nil
	}
	p := &reportPage{Form: f, Result: res, Used: map[int]bool{}}
	member, err := s.prot.Member(req.r.Context(), req.user)
	if err != nil {
		return err
	}
	for _, inc := range res.Incidents {
		d := draftOf(res, inc)
		d.Label = i18n.T(lang, "extract.source_label", res.Published)
		d.Member = member
		if err := s.victimMatches(req, &d); err != nil {
			return err
		}
		p.Drafts = append(p.Drafts, d)
	}
	attachProposals(res, p.Drafts, member)
	mark := func(t extract.Trace) {
		for _, i := range t.Sentences {
			p.Used[i] = true
		}
	}
	for _, inc := range res.Incidents {
		mark(inc.Trace)
	}
	for _, c := range res.Claims {
		mark(c.Trace)
	}
	for _, r := range res.Protection.Relocations {
		mark(r.Trace)
	}
	for _, t := range res.Protection.Threats {
		mark(t.Trace)
	}
	for _, l := range res.Protection.Lists {
		mark(l.Trace)
	}
	for _, pr := range res.Accountability.Promises {
		mark(pr.Trace)
	}
	for _, c := range res.Accountability.Committees {
		mark(c.Trace)
	}
	s.render(req, http.StatusOK, "fromreport", p)
	return nil
}

func extractError(lang string, err error) string {
	key := "extract.error.unreadable"
	switch {
	case errors.Is(err, extract.ErrEmpty):
		key = "extract.error.empty"
	case errors.Is(err, extract.ErrTooLarge):
		return i18n.T(lang, "extract.error.too_large", extract.MaxBytes>>20)
	case errors.Is(err, extract.ErrBinary):
		key = "extract.error.binary"
	case errors.Is(err, extract.ErrFuture):
		key = "extract.error.future"
	case strings.Contains(err.Error(), "YYYY-MM-DD"):
		key = "extract.error.published"
	}
	return i18n.T(lang, key)
}

// readReportForm reads the first form: a multipart upload (its CSRF token
// the first field, checked before anything else is read) or a plain form.
func (s *Server) readReportForm(req *request) (reportForm, []byte, string, error) {
	var f reportForm
	req.r.Body = http.MaxBytesReader(req.w, req.r.Body, 2*extract.MaxBytes+1<<16)
	mr, err := req.r.MultipartReader()
	if err != nil { // a plain form: its token was checked by wrap
		if err := req.r.ParseForm(); err != nil {
			return f, nil, "", tooLargeOr(err)
		}
		f = reportForm{Text: req.r.PostForm.Get("text"), Published: strings.TrimSpace(req.r.PostForm.Get("published")), Lang: req.r.PostForm.Get("lang")}
		return f, []byte(f.Text), extract.FormatAuto, nil
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "csrf" {
		return f, nil, "", errCSRF
	}
	tok, _ := io.ReadAll(io.LimitReader(part, 256))
	if !s.sessionCSRF(req, string(tok)) {
		return f, nil, "", errCSRF
	}
	var file []byte
	format := extract.FormatAuto
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f, nil, "", tooLargeOr(err)
		}
		switch part.FormName() {
		case "text":
			b, err := extract.ReadLimited(part)
			if err != nil {
				return f, nil, "", s.tooLargeReport(req, err)
			}
			f.Text = string(b)
		case "file":
			if part.FileName() == "" {
				continue
			}
			if file, err = extract.ReadLimited(part); err != nil {
				return f, nil, "", s.tooLargeReport(req, err)
			}
			name := strings.ToLower(part.FileName())
			switch {
			case strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm"):
				format = extract.FormatHTML
			case strings.HasSuffix(name, ".txt"):
				format = extract.FormatText
			default:
				return f, nil, "", &httpError{http.StatusUnsupportedMediaType, "extract.error.file_type"}
			}
		case "published", "lang":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			if part.FormName() == "published" {
				f.Published = strings.TrimSpace(string(b))
			} else {
				f.Lang = string(b)
			}
		}
	}
	if len(file) > 0 {
		return f, file, format, nil
	}
	return f, []byte(f.Text), extract.FormatAuto, nil
}

func tooLargeOr(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &httpError{http.StatusRequestEntityTooLarge, "extract.error.too_large_body"}
	}
	return errBadForm
}

func (s *Server) tooLargeReport(req *request, err error) error {
	if errors.Is(err, extract.ErrTooLarge) {
		return &httpError{http.StatusRequestEntityTooLarge, "extract.error.too_large_body"}
	}
	return tooLargeOr(err)
}

// draftOf turns a proposed incident into the review form's values.
func draftOf(res *extract.Result, inc extract.Incident) draftForm {
	d := draftForm{Type: inc.Type, Reliability: "F", Credibility: "6", Published: res.Published, Lang: res.Lang,
		Keyword: inc.Keyword, Confidence: strconv.FormatFloat(inc.Confidence, 'f', 2, 64)}
	if inc.Date != nil {
		d.DateStart, d.Precision, d.DateText = inc.Date.Start, inc.Date.Precision, inc.Date.Text
	}
	if p := inc.Place; p != nil {
		d.Admin1, d.District, d.PlaceText = p.Admin1, p.District, p.Name
		if p.Level == "town" {
			d.Locality = p.Name
		}
	}
	for _, v := range inc.Victims {
		d.Victims = append(d.Victims, draftVictim{Name: v.Name, Role: v.Role, Outcome: v.Outcome, Sentences: sentenceList(v.Sentences)})
	}
	for _, p := range inc.Perpetrators {
		d.Perps = append(d.Perps, draftPerp{Type: p.Type, Description: p.Description})
	}
	for _, i := range inc.Sentences {
		d.Sentences = append(d.Sentences, draftSentence{Index: i, Text: res.Sentences[i].Text})
	}
	if len(d.Sentences) > 0 {
		d.Summary = d.Sentences[0].Text
	}
	return d
}

func sentenceList(is []int) string {
	var out []string
	for _, i := range is {
		out = append(out, strconv.Itoa(i+1))
	}
	return strings.Join(out, ", ")
}

// reportAccept stores one reviewed draft through incidents.CreateFromReport.
func (s *Server) reportAccept(req *request) error {
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	v := req.r.PostForm
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	d := draftForm{Type: get("type"), DateStart: normDigits(get("date_start")), Precision: get("precision"), Admin1: get("admin1"),
		District: get("district"), Locality: get("locality"), Summary: get("summary"), Reliability: get("reliability"),
		Credibility: get("credibility"), Label: get("label"), Published: get("published"), Lang: get("report_lang")}
	keep := func(list string, i int) bool { return keepOf(v, list, i) }
	member, err := s.prot.Member(req.r.Context(), req.user)
	if err != nil {
		return err
	}
	d.Member = member
	names, roles, outcomes := v["victim_name"], v["victim_role"], v["victim_outcome"]
	formAt := make([]int, len(names)) // a victim's place in the form → in d.Victims, -1 if dropped
	for i := range names {
		formAt[i] = -1
		dv := draftVictim{Name: strings.TrimSpace(names[i]), Link: get("victim_link_" + strconv.Itoa(i))}
		if i < len(roles) {
			dv.Role = roles[i]
		}
		if i < len(outcomes) {
			dv.Outcome = outcomes[i]
		}
		if keep("victim_keep", i) {
			formAt[i] = len(d.Victims)
			d.Victims = append(d.Victims, dv)
		}
	}
	readProposals(v, &d)
	for i := range d.Threats { // against a victim by its place in d.Victims
		t := &d.Threats[i]
		if t.Victim >= 0 && t.Victim < len(formAt) {
			t.Victim = formAt[t.Victim]
		} else {
			t.Victim = -1
		}
	}
	descs := v["perp_description"]
	for i, t := range v["perp_type"] {
		if i < len(descs) && keep("perp_keep", i) {
			d.Perps = append(d.Perps, draftPerp{Type: t, Description: descs[i]})
		}
	}
	idx := v["sentence_index"]
	for i, text := range v["sentence"] {
		n := 0
		if i < len(idx) {
			n, _ = strconv.Atoi(idx[i])
		}
		if keep("sentence_keep", i) {
			d.Sentences = append(d.Sentences, draftSentence{Index: n, Text: text})
		}
	}
	inc := &model.Incident{Type: d.Type, Date: model.Date{Start: d.DateStart, Precision: d.Precision},
		Place:        model.Place{Country: defaultCountry, Admin1: d.Admin1, District: d.District, Locality: d.Locality},
		Verification: "reported", Visibility: model.VisibilityInternal}
	arabic := locale.Arabic(d.Lang)
	if arabic {
		inc.SummaryAR = d.Summary
	} else {
		inc.SummaryEN = d.Summary
	}
	for _, dv := range d.Victims {
		if dv.Name == "" {
			continue
		}
		if dv.Link != "" { // an existing person the name matched
			inc.Victims = append(inc.Victims, model.Victim{PersonID: dv.Link, Role: dv.Role, Outcome: dv.Outcome})
			if dv.Outcome == "killed" {
				inc.Fatalities++
			}
			continue
		}
		p := &model.Person{}
		if arabicScript(dv.Name) {
			p.NameAR = dv.Name
		} else {
			p.NameLatin = dv.Name
		}
		if dv.Role != "" {
			p.Roles = []string{dv.Role}
		}
		inc.Victims = append(inc.Victims, model.Victim{Person: p, Role: dv.Role, Outcome: dv.Outcome})
		if dv.Outcome == "killed" {
			inc.Fatalities++ // at least the victims named as killed
		}
	}
	for _, p := range d.Perps {
		inc.Perpetrators = append(inc.Perpetrators, model.Perpetrator{Type: p.Type, ModusOperandi: p.Description})
	}
	src := &model.Source{Type: "media", Reliability: d.Reliability, Label: d.Label}
	cred, _ := strconv.Atoi(d.Credibility)
	var said []model.Information
	for _, st := range d.Sentences {
		said = append(said, model.Information{Credibility: cred, ObtainedOn: d.Published, Summary: st.Text})
	}
	errs := newFormErrors()
	recs, err := s.proposalRecords(req, &d, errs)
	if err == nil && errs.empty() {
		err = s.incidents.CreateFromReport(req.r.Context(), req.user, inc, src, said, recs...)
		recs = nil // closed by CreateFromReport
		if err == nil {
			return errRedirect("/incidents/" + inc.ID + "?notice=created")
		}
	}
	(&store.Draft{Records: recs}).Close()
	if err == nil { // only proposals refused
		return s.refusedDraft(req, d, errs)
	}
	var one *incidents.Error
	var list incidents.ErrorList
	if errors.Is(err, incidents.ErrForbidden) || !errors.As(err, &one) && !errors.As(err, &list) {
		_, err = refused(0, err)
		return err
	}
	errs.addProblems(err, draftField)
	return s.refusedDraft(req, d, errs)
}

// refusedDraft shows draft d again with what is wrong, its victims'
// possible persons drawn again so that a link chosen stays chosen.
func (s *Server) refusedDraft(req *request, d draftForm, errs *formErrors) error {
	if err := s.victimMatches(req, &d); err != nil {
		return err
	}
	p := &reportPage{Drafts: []draftForm{d}, Accepted: true}
	p.Errors, p.General = errs.translate(i18n.Lang(req.lang))
	s.render(req, http.StatusUnprocessableEntity, "fromreport", p)
	return nil
}

// victimIndex is the place among the incident's victims of victim k of
// vs (those with a name: the others are not stored), -1 for none.
func victimIndex(vs []draftVictim, k int) int {
	if k < 0 || k >= len(vs) || vs[k].Name == "" {
		return -1
	}
	n := 0
	for _, v := range vs[:k] {
		if v.Name != "" {
			n++
		}
	}
	return n
}

// draftField maps a problem's path to the review form's input.
func draftField(path string) string {
	switch {
	case path == "date.start":
		return "date_start"
	case path == "date.precision":
		return "precision"
	case path == "place.admin1", path == "place.country":
		return "admin1"
	case path == "source.reliability":
		return "reliability"
	case path == "credibility":
		return "credibility"
	case path == "source.label":
		return "label"
	case path == "type":
		return "type"
	}
	return "" // shown above the form
}

func arabicScript(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}
