package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/extract"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store"
)

// What a report proposes beside its incidents, saved with an accepted
// draft when ticked (docs/extract.md, "Accepting a draft"): threats and
// hit lists into the protection compartment, for its members only;
// commitments and committees for everyone who records cases. And the
// persons a victim's name possibly names (internal/names, through package
// people): the documenter links one or keeps a new person.

// Each proposal's Keep is its tick: ticked ones are saved; all are shown
// again, ticked as they were, when the draft is refused.
type draftThreat struct {
	Keep            bool
	Victim          int // the draft's victim threatened, by its place in the form
	Date, Said      string
	Severity, Means string
}

type draftList struct {
	Keep                      bool
	Name, Issuer, Date, Names string
}

type draftPromise struct {
	Keep                                     bool
	By, AuthorityType, Kind, Date, Due, Said string
}

type draftCommittee struct {
	Keep                   bool
	Name, By, ByType, Date string
}

// victimMatch is an existing person a victim's name possibly names.
type victimMatch struct {
	ID, Name, Percent string
	Reasons           []string
}

// nearestDraft is the draft a sentence's proposal goes with: the last one
// whose first sentence is not after it, else the first.
func nearestDraft(drafts []draftForm, sentence int) int {
	best := 0
	for i, d := range drafts {
		if len(d.Sentences) > 0 && d.Sentences[0].Index <= sentence {
			best = i
		}
	}
	return best
}

func dateOr(d *extract.Date, published string) string {
	if d != nil && d.Start != "" {
		return d.Start
	}
	return published
}

// attachProposals gives each draft the proposals nearest it; threats and
// lists only for a member of the protection compartment, threats only
// against a victim of the draft.
func attachProposals(res *extract.Result, drafts []draftForm, member bool) {
	if len(drafts) == 0 {
		return
	}
	at := func(t extract.Trace) *draftForm { return &drafts[nearestDraft(drafts, t.Sentences[0])] }
	said := func(t extract.Trace) string { return res.Sentences[t.Sentences[0]].Text }
	if member {
		for _, t := range res.Protection.Threats {
			d := at(t.Trace)
			v := -1
			for k, dv := range d.Victims {
				if v < 0 || strings.EqualFold(dv.Name, t.Target) {
					v = k
				}
			}
			if v >= 0 {
				d.Threats = append(d.Threats, draftThreat{Victim: v, Date: dateOr(t.Date, res.Published), Said: said(t.Trace), Severity: "death", Means: "other"})
			}
		}
		for _, l := range res.Protection.Lists {
			name := strings.TrimSpace(l.Who)
			if name == "" {
				name = said(l.Trace)
			}
			at(l.Trace).Lists = append(at(l.Trace).Lists, draftList{Name: name, Issuer: l.Issuer, Date: res.Published})
		}
	}
	for _, p := range res.Accountability.Promises {
		at(p.Trace).Promises = append(at(p.Trace).Promises, draftPromise{By: p.By, AuthorityType: orOther(p.AuthorityType), Kind: "investigation",
			Date: res.Published, Due: p.Due, Said: said(p.Trace)})
	}
	for _, c := range res.Accountability.Committees {
		at(c.Trace).Committees = append(at(c.Trace).Committees, draftCommittee{Name: c.Name, By: c.FormedBy, ByType: orOther(c.FormedByType), Date: dateOr(c.Date, res.Published)})
	}
}

// orOther is an authority_type code, "other" where none was recognised.
func orOther(code string) string {
	if code == "" {
		return "other"
	}
	return code
}

// victimMatches fills in the persons each victim's name possibly names.
func (s *Server) victimMatches(req *request, d *draftForm) error {
	for k := range d.Victims {
		v := &d.Victims[k]
		p := &model.Person{}
		if arabicScript(v.Name) {
			p.NameAR = v.Name
		} else {
			p.NameLatin = v.Name
		}
		cands, err := s.people.Matches(req.r.Context(), req.user, p)
		if err != nil {
			return err
		}
		for _, c := range cands {
			v.Matches = append(v.Matches, victimMatch{ID: c.Person.ID, Name: c.Names[1], Percent: fmt.Sprintf("%.0f%%", 100*c.Score), Reasons: c.Reasons})
		}
	}
	return nil
}

// readProposals reads the accept form's proposals into d.
func readProposals(v url.Values, d *draftForm) {
	at := func(k string, i int) string {
		if i < len(v[k]) {
			return strings.TrimSpace(v[k][i])
		}
		return ""
	}
	kept := func(list string, i int) bool { return keepOf(v, list, i) }
	for i := range v["threat_said"] {
		n, _ := strconv.Atoi(at("threat_victim", i))
		t := draftThreat{Keep: kept("threat_keep", i), Victim: n, Date: normDigits(at("threat_date", i)), Said: at("threat_said", i), Severity: at("threat_severity", i), Means: at("threat_delivery", i)}
		d.Threats = append(d.Threats, t)
	}
	for i := range v["list_name"] {
		l := draftList{Keep: kept("list_keep", i), Name: at("list_name", i), Issuer: at("list_issuer", i), Date: normDigits(at("list_date", i)), Names: at("list_names", i)}
		d.Lists = append(d.Lists, l)
	}
	for i := range v["promise_said"] {
		p := draftPromise{Keep: kept("promise_keep", i), By: at("promise_by", i), AuthorityType: at("promise_authority_type", i), Kind: at("promise_kind", i),
			Date: normDigits(at("promise_date", i)), Due: normDigits(at("promise_due", i)), Said: at("promise_said", i)}
		d.Promises = append(d.Promises, p)
	}
	for i := range v["committee_name"] {
		c := draftCommittee{Keep: kept("committee_keep", i), Name: at("committee_name", i), By: at("committee_by", i), ByType: at("committee_by_type", i), Date: normDigits(at("committee_date", i))}
		d.Committees = append(d.Committees, c)
	}
}

func keepOf(v url.Values, list string, i int) bool {
	for _, k := range v[list] {
		if k == strconv.Itoa(i) {
			return true
		}
	}
	return false
}

// proposalRecords prepares the ticked proposals as records of the draft.
// A refused one is a general problem naming it and its field.
func (s *Server) proposalRecords(req *request, d *draftForm, errs *formErrors) ([]store.DraftRecord, error) {
	ctx, u, seal := req.r.Context(), req.user, s.sealerFor(req)
	arabic := arabicScript(d.Summary) || locale.Arabic(d.Lang)
	var out []store.DraftRecord
	lang := i18n.Lang(req.lang)
	// refused names each refused field by the kind's label for it, in the
	// page's language (the field's own name if the catalogue has none).
	refused := func(what string, n int, re record.Errors, kind interface{ Label(string) string }) {
		for _, f := range re.Fields() {
			label, in := i18n.Message(lang, kind.Label(f))
			if in == "" {
				label = f
			}
			errs.put("", formError{Key: "extract.proposal_refused", Args: []any{i18n.T(lang, what), n + 1, label, i18n.T(lang, re[f])}})
		}
	}
	for i, t := range d.Threats {
		if !t.Keep {
			continue
		}
		victim := victimIndex(d.Victims, t.Victim)
		if victim < 0 {
			errs.put("", formError{Key: "extract.threat_no_victim", Args: []any{i + 1}})
			continue
		}
		f := record.Form{Values: url.Values{"occurred_on": {t.Date}, "delivery": {t.Means}, "severity": {t.Severity},
			"said": {t.Said}, "source": {d.Label}, "reliability": {d.Reliability}, "credibility": {d.Credibility}}}
		r, re, err := s.prot.ReportThreat(ctx, u, f, victim, seal)
		if err != nil {
			return out, err
		}
		if len(re) > 0 {
			refused("extract.threat", i, re, kinds.Threat)
			continue
		}
		out = append(out, r)
	}
	for i, l := range d.Lists {
		if !l.Keep {
			continue
		}
		var names []string
		for _, n := range strings.Split(l.Names, "\n") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		f := record.Form{Values: url.Values{"name": {l.Name}, "issuer": {l.Issuer}, "appeared_on": {l.Date}, "obtained": {d.Label}, "obtained_on": {d.Published}}}
		rs, re, err := s.prot.ReportList(ctx, u, f, names, seal)
		if err != nil {
			return out, err
		}
		if len(re) > 0 {
			refused("extract.list", i, re, kinds.HitList)
			continue
		}
		out = append(out, rs...)
	}
	promise, name := "promise_en", "name_en"
	if arabic {
		promise, name = "promise_ar", "name_ar"
	}
	for i, p := range d.Promises {
		if !p.Keep {
			continue
		}
		f := record.Form{Values: url.Values{"authority_type": {p.AuthorityType}, "authority": {p.By}, "made_on": {p.Date}, "kind": {p.Kind},
			promise: {p.Said}, "deadline_date": {p.Due}, "sources": {d.Label}, "visibility": {model.VisibilityInternal}}}
		r, re, err := s.justice.ReportCommitment(ctx, u, f, seal)
		if err != nil {
			return out, err
		}
		if len(re) > 0 {
			refused("extract.promise", i, re, kinds.Commitment)
			continue
		}
		out = append(out, r)
	}
	for i, c := range d.Committees {
		if !c.Keep {
			continue
		}
		f := record.Form{Values: url.Values{name: {c.Name}, "formed_by": {c.By}, "formed_by_type": {c.ByType}, "formed_on": {c.Date},
			"sources": {d.Label}, "visibility": {model.VisibilityInternal}}}
		r, re, err := s.justice.ReportCommittee(ctx, u, f, seal)
		if err != nil {
			return out, err
		}
		if len(re) > 0 {
			refused("extract.committee", i, re, kinds.Committee)
			continue
		}
		out = append(out, r)
	}
	return out, nil
}
