package protection

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// Demo fills the protection compartment with fictional records for 'rasd
// demo', written by u (a member) and sealed by seal: threats, a hit list
// of nine names whose outcomes vary (from the demo's incidents), and cases
// of which some have overdue check-ins, so that the board is alive.
func (s *Service) Demo(ctx context.Context, u *model.User, seal records.Sealer) error {
	d := demo{s: s, ctx: ctx, u: u, seal: seal, today: s.Now().UTC()}
	const appeared = "2019-10-20"
	used := map[string]bool{}
	victim := func(typ string) string {
		hits, _, err := s.st.ListIncidents(ctx, store.IncidentFilter{Types: []string{typ}, From: "2019-10-21",
			Visible: access.Visible(u), Limit: 20})
		if d.err == nil {
			d.err = err
		}
		for _, h := range hits {
			inc, err := s.st.GetIncident(ctx, h.ID)
			if err != nil {
				continue
			}
			for _, v := range inc.Victims {
				if v.PersonID != "" && !used[v.PersonID] {
					used[v.PersonID] = true
					return v.PersonID
				}
			}
		}
		return d.person("Fictional person (" + typ + ")")
	}
	list := save(&d, s.Lists, "name", "Fictional memo naming nine activists", "issuer", "A fictional command",
		"appeared_on", appeared, "obtained", "Fictional: passed to the demo by a fictional source.", "obtained_on", "2019-11-02")
	persons := []string{victim("killing"), victim("kidnapping"), victim("assault")}
	for i := 4; i <= 8; i++ {
		persons = append(persons, d.person(fmt.Sprintf("Fictional activist %d", i)))
	}
	for i, p := range append(persons, "") {
		save(&d, s.Entries, "list_id", list.ID, "name_written", fmt.Sprintf("Fictional name %d, as the memo writes it", i+1),
			"person", p)
	}
	save(&d, s.Threats, "occurred_on", "2020-02-11", "delivery", "phone_call", "severity", "death", "persons", persons[3],
		"perpetrator_type", "militia", "said", "Fictional: \"leave the square or you are next\".", "admin1", "IQ-BG")
	save(&d, s.Threats, "occurred_on", "2019-10-05", "delivery", "message", "severity", "intimidation",
		"persons", persons[0], "said", "Fictional message on social media.", "admin1", "IQ-DQ")
	save(&d, s.Threats, "occurred_on", "2019-10-15", "delivery", "named_on_list", "severity", "death",
		"persons", persons[0]+"\n"+persons[1]+"\n"+persons[2], "admin1", "IQ-BG")
	// Cases: relocated (a move abroad, a relocation within Iraq), safe, and
	// some whose check-ins are overdue.
	for i, c := range []struct {
		person, risk           string
		every, opened, last    int // days before today
		move, country, measure string
	}{
		{persons[4], "critical", 7, 120, 19, "Fictional city A", "TR", "relocation_abroad"},
		{persons[5], "high", 14, 200, 3, "Fictional city B", "IQ", "relocation_in_country"},
		{persons[6], "medium", 7, 90, 2, "", "", "digital_security"},
		{persons[3], "high", 3, 40, 9, "", "", "legal_aid"},
		{d.person("Fictional journalist 9"), "medium", 10, 30, 0, "", "", ""},
		{d.person("Fictional lawyer 10"), "low", 30, 100, 35, "", "", "advocacy"},
	} {
		pc := save(&d, s.Cases, "person", c.person, "risk_level", c.risk, "status", "open", "caseworker", u.Username,
			"opened_on", d.day(c.opened), "checkin_every", fmt.Sprint(c.every),
			"notes", fmt.Sprintf("Fictional case notes %d.", i+1))
		if pc == nil {
			break
		}
		if d.err == nil {
			_, errs, err := s.SaveAssessment(ctx, u, nil, d.form(s.Assessments.Kind, "case_id", pc.ID,
				"assessed_on", d.day(c.opened), "risk_level", c.risk, "assessor", u.Username,
				"reason", "Fictional: named on a list and threatened."), seal)
			d.check(errs, err)
		}
		if c.measure != "" {
			save(&d, s.Measures, "case_id", pc.ID, "measure", c.measure, "status", "done", "started_on", d.day(c.opened-5))
		}
		if c.move != "" {
			save(&d, s.Moves, "case_id", pc.ID, "moved_on", d.day(c.opened-10), "city", c.move, "country", c.country,
				"contacts", "Fictional messenger handle")
		}
		if c.last > 0 && d.err == nil {
			_, errs, err := s.SaveCheckIn(ctx, u, nil, d.form(s.CheckIns.Kind, "case_id", pc.ID, "checked_on", d.day(c.last),
				"result", "safe", "channel", "secure_messenger", "note", "Fictional: all well."), seal)
			d.check(errs, err)
		}
	}
	return d.err
}

type demo struct {
	s     *Service
	ctx   context.Context
	u     *model.User
	seal  records.Sealer
	today time.Time
	err   error
}

func (d *demo) day(daysAgo int) string { return d.today.AddDate(0, 0, -daysAgo).Format(time.DateOnly) }

func (d *demo) check(errs record.Errors, err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
	if d.err == nil && len(errs) > 0 {
		d.err = fmt.Errorf("demo protection record: %v", errs)
	}
}

func (d *demo) form(k interface {
	ReadForm(string, url.Values) record.Form
}, kv ...string) record.Form {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return k.ReadForm("", v)
}

func (d *demo) person(name string) string {
	p := model.Person{NameLatin: name, Visibility: model.VisibilityInternal, Roles: []string{"activist"}}
	if d.err == nil {
		d.err = d.s.st.Persons().Create(d.ctx, d.u.Username, &p)
	}
	return p.ID
}

func save[T any](d *demo, svc *records.Service[T], kv ...string) *T {
	if d.err != nil {
		return nil
	}
	r, errs, err := svc.Save(d.ctx, d.u, nil, d.form(svc.Kind, kv...), d.seal)
	d.check(errs, err)
	return r
}
