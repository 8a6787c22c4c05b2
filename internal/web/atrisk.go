package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
)

// registerAtRisk declares the pages of people at risk (docs/protection.md):
// record kinds kept in the protection compartment, drawn by kindPages with
// three templates shared by all of them, the board, and what a case's and
// a list's pages add. To anyone but the compartment's members every one of
// these routes answers as a missing record does (docs/access.md).
func (s *Server) registerAtRisk() {
	writers := onlyRoles(model.RoleDocumenter, model.RoleAnalyst, model.RoleProtection, model.RoleCoordinator)
	p := s.prot
	const list, view, form = "atrisk_list", "atrisk_record", "atrisk_form"
	gate := s.membersOnly
	(&kindPages[model.Threat]{s: s, svc: p.Threats, list: list, view: view, form: form, countKey: "threat.count", gate: gate}).register(writers)
	(&kindPages[model.HitList]{s: s, svc: p.Lists, list: list, view: view, form: form, countKey: "hitlist.count", gate: gate,
		extra: s.hitListExtra}).register(writers)
	(&kindPages[model.HitListEntry]{s: s, svc: p.Entries, list: list, view: view, form: form, countKey: "hitentry.count", gate: gate}).register(writers)
	(&kindPages[model.ProtectionCase]{s: s, svc: p.Cases, list: list, view: view, form: form, countKey: "pcase.count", gate: gate,
		extra: s.caseExtra}).register(writers)
	(&kindPages[model.Assessment]{s: s, svc: p.Assessments, list: list, view: view, form: form, countKey: "assessment.count", gate: gate}).register(writers)
	(&kindPages[model.Measure]{s: s, svc: p.Measures, list: list, view: view, form: form, countKey: "measure.count", gate: gate}).register(writers)
	(&kindPages[model.Move]{s: s, svc: p.Moves, list: list, view: view, form: form, countKey: "move.count", gate: gate}).register(writers)
	(&kindPages[model.CheckIn]{s: s, svc: p.CheckIns, list: list, view: view, form: form, countKey: "checkin.count", gate: gate}).register(writers)
	s.route("GET /atrisk", signedIn, func(req *request) error {
		if err := s.membersOnly(req); err != nil {
			return err
		}
		return s.board(req)
	})
	s.route("GET /atrisk/figures", signedIn, func(req *request) error {
		if err := s.membersOnly(req); err != nil {
			return err
		}
		return s.atRiskFigures(req)
	})
	s.route("POST /cases/{id}/checkin", writers, func(req *request) error {
		if err := s.membersOnly(req); err != nil {
			return err
		}
		return s.quickCheckIn(req)
	})
}

// membersOnly answers 404, as for a missing record, to whoever is not a
// member of the protection compartment.
func (s *Server) membersOnly(req *request) error {
	ok, err := s.prot.Member(req.r.Context(), req.user)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	return nil
}

// board is the "At risk" board: cases by overdue check-ins, then risk.
func (s *Server) board(req *request) error {
	rows, more, err := s.prot.BoardTop(req.r.Context(), req.user, boardShown)
	if err != nil {
		return err
	}
	s.render(req, http.StatusOK, "atrisk_board", map[string]any{"Rows": rows, "More": more})
	return nil
}

// boardShown bounds the board: the most urgent cases come first, and the
// rest are in the list of cases and 'rasd risk list'.
const boardShown = 300

// event is one line of a case's timeline.
type event struct {
	Day, Kind, Path string
	Code            string // a vocabulary code, with Vocab
	Vocab           string
}

// caseExtra is what a case's page adds: its timeline (threats against its
// person, assessments, measures, moves, check-ins; their sealed text on
// their own pages), its check-in state and the quick check-in form.
func (s *Server) caseExtra(req *request, c *model.ProtectionCase) (map[string]any, error) {
	ctx, u, p := req.r.Context(), req.user, s.prot
	var tl []event
	threats, err := s.threatsAgainst(req, c.Person)
	if err != nil {
		return nil, err
	}
	for _, t := range threats {
		tl = append(tl, event{t.OccurredOn, "threat", "/threats/" + t.ID, t.Severity, "threat_severity"})
	}
	as, _, err := p.Assessments.ListWhere(ctx, u, "", "case_id", c.ID, 200, 0)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		tl = append(tl, event{a.AssessedOn, "assessment", "/assessments/" + a.ID, a.RiskLevel, "risk_level"})
	}
	ms, _, err := p.Measures.ListWhere(ctx, u, "", "case_id", c.ID, 200, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		tl = append(tl, event{max(m.StartedOn, m.EndedOn), "measure", "/measures/" + m.ID, m.Measure, "protection_measure"})
	}
	mv, _, err := p.Moves.ListWhere(ctx, u, "", "case_id", c.ID, 200, 0)
	if err != nil {
		return nil, err
	}
	for _, m := range mv {
		tl = append(tl, event{m.MovedOn, "move", "/moves/" + m.ID, "", ""})
	}
	cs, _, err := p.CheckIns.ListWhere(ctx, u, "", "case_id", c.ID, 200, 0)
	if err != nil {
		return nil, err
	}
	for _, ci := range cs {
		tl = append(tl, event{ci.CheckedOn, "checkin", "/checkins/" + ci.ID, ci.Result, "checkin_result"})
	}
	sort.SliceStable(tl, func(i, j int) bool { return tl[i].Day > tl[j].Day })
	return map[string]any{"Timeline": tl, "Due": protection.DueOf(c, s.now(), p.Grace), "Case": c,
		"Today": s.now().UTC().Format(time.DateOnly)}, nil
}

// quickCheckIn records a check-in from the case page's short form.
func (s *Server) quickCheckIn(req *request) error {
	if err := req.r.ParseForm(); err != nil {
		return errBadForm
	}
	id := req.r.PathValue("id")
	v := req.r.PostForm
	v.Set("case_id", id)
	f := s.prot.CheckIns.Kind.ReadForm("", v)
	_, errs, err := s.prot.SaveCheckIn(req.r.Context(), req.user, nil, f, s.sealerFor(req))
	switch {
	case err != nil:
		return err
	case len(errs) > 0:
		s.render(req, http.StatusUnprocessableEntity, "atrisk_form", map[string]any{"Msg": "checkin",
			"Form": formOfKind(s.prot.CheckIns.Kind, f), "Errors": errs, "New": true})
		return nil
	}
	return errRedirect("/cases/" + id)
}

// hitListExtra is the list's names in order with what became of each.
func (s *Server) hitListExtra(req *request, l *model.HitList) (map[string]any, error) {
	ctx := req.r.Context()
	links, done, err := s.atRiskLinks(req)
	if err != nil {
		return nil, err
	}
	defer done()
	entries, err := s.prot.ListEntries(ctx, req.user, l, links)
	if err != nil {
		return nil, err
	}
	// The names as written are sealed: opened for a member whose key the
	// server holds, each read audited.
	for i := range entries {
		e := &entries[i].HitListEntry
		if _, err := s.openSealed(req, kinds.HitListEntry.Name, e.ID, e.Visibility, func(by keys.Identity) error {
			_, err := keys.OpenRecord(ctx, s.st, req.user.Username, by, kinds.HitListEntry, e)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return map[string]any{"Entries": entries}, nil
}

// personAtRisk is what a person's page shows of people at risk: their
// cases, the threats against them and the lists naming them, to members
// only; nil for anyone else, whose page is then the page of a person of
// whom nothing of the kind is recorded. The links are sealed: they are
// found with the member's key the server holds (protection.Links), and a
// member whose key it does not hold is asked to sign in again.
func (s *Server) personAtRisk(req *request, person string) (map[string]any, error) {
	ctx, u := req.r.Context(), req.user
	if ok, err := s.prot.Member(ctx, u); err != nil || !ok {
		return nil, err
	}
	links, done, err := s.atRiskLinks(req)
	if err != nil || links == nil {
		return map[string]any{"SignInAgain": true}, err
	}
	defer done()
	cases, err := atRiskRecords(ctx, s.prot.Cases.Store, person, links.CasesOf)
	if err != nil {
		return nil, err
	}
	threats, err := atRiskRecords(ctx, s.prot.Threats.Store, person, links.ThreatsOf)
	if err != nil {
		return nil, err
	}
	entries, err := atRiskRecords(ctx, s.prot.Entries.Store, person, links.EntriesOf)
	if err != nil {
		return nil, err
	}
	if len(cases)+len(threats)+len(entries) == 0 {
		return nil, nil
	}
	return map[string]any{"Cases": cases, "Threats": threats, "Entries": entries}, nil
}

// atRiskRecords reads the records ids finds for person, in the order they
// were made.
func atRiskRecords[T any](ctx context.Context, st store.Kind[T], person string, ids func(context.Context, string) ([]string, error)) ([]T, error) {
	found, err := ids(ctx, person)
	if err != nil {
		return nil, err
	}
	slices.Sort(found) // IDs are UUIDv7: in the order made
	out := make([]T, 0, len(found))
	for _, id := range found {
		r, err := st.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, nil
}

// threatsAgainst are the threats against person, newest first, for a
// member whose key the server holds (none otherwise).
func (s *Server) threatsAgainst(req *request, person string) ([]model.Threat, error) {
	if person == "" {
		return nil, nil
	}
	links, done, err := s.atRiskLinks(req)
	if err != nil || links == nil {
		return nil, err
	}
	defer done()
	threats, err := atRiskRecords(req.r.Context(), s.prot.Threats.Store, person, links.ThreatsOf)
	slices.Reverse(threats)
	return threats, err
}

// atRiskLinks opens the links of people at risk for the member req is
// from, with the key the server holds for their session (nil Links if it
// holds none); done closes the key.
func (s *Server) atRiskLinks(req *request) (*protection.Links, func(), error) {
	rs, _, err := s.recordSealer(req, true)
	if err != nil || rs == nil {
		return nil, func() {}, err
	}
	links, err := s.prot.Links(req.r.Context(), req.user, rs)
	if err != nil {
		rs.Close()
		return nil, func() {}, err
	}
	return links, rs.Close, nil
}
