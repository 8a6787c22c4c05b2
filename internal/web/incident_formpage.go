package web

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// incidentFormPage is what incident_form.html shows.
type incidentFormPage struct {
	F         *incidentForm
	Inc       *model.Incident // nil for a new incident
	Action    string
	Errors    map[string]string
	General   []string
	Statuses  []string       // verification statuses the user may choose
	Persons   []personOption // offered in every victim row
	Searched  bool
	Matches   []personOption // the person search's results
	FindError string         // why the person search could not run
	Districts []districtGroup
	// DistrictOther keeps a district that is not a gazetteer code (an
	// imported name) selectable.
	DistrictOther string
	Notice        string
	Changed       []string
}

// Err is the message of a field, for the template.
func (p *incidentFormPage) Err(field string) string { return p.Errors[field] }

// RowErr is the message of a row's field: RowErr "vic" 0 "outcome".
func (p *incidentFormPage) RowErr(kind string, i int, field string) string {
	return p.Errors[fmtField(kind, i, field)]
}

// personOption is a person a victim row may point at.
type personOption struct {
	ID, Label string
	Hidden    bool // the user may not see this person; only kept as it was
}

type districtGroup struct {
	Gov       vocab.Place
	Districts []vocab.Place
}

func fmtField(kind string, i int, field string) string {
	return fmt.Sprintf("%s.%d.%s", kind, i, field)
}

// isolate wraps user text for use where no markup is allowed (option
// labels), so that Arabic and Latin names do not reorder their neighbours.
func isolate(s string) string { return "\u2068" + s + "\u2069" }

func (s *Server) renderIncidentForm(req *request, status int, st formState) error {
	lang := i18n.Lang(req.lang)
	d := &incidentFormPage{F: st.f.withEmptyRows(), Inc: st.inc, Action: "/incidents", Notice: st.notice,
		Changed: st.changed, Districts: districtGroups(defaultCountry)}
	current := ""
	if st.inc != nil {
		d.Action, current = "/incidents/"+st.inc.ID, st.inc.Verification
	}
	if st.errs != nil {
		d.Errors, d.General = st.errs.translate(lang)
	}
	d.Statuses = incidents.VerificationChoices(req.user, current)
	if st.f.District != "" && districtName(lang, defaultCountry, st.f.District) == st.f.District {
		d.DistrictOther = st.f.District
	}
	ctx := req.r.Context()
	seen := map[string]bool{}
	for _, r := range st.f.Victims {
		if r.Person != "" && !seen[r.Person] {
			seen[r.Person] = true
			d.Persons = append(d.Persons, s.personOption(ctx, req.user, lang, r.Person))
		}
	}
	if st.find {
		d.Searched = true
		var err error
		if d.Matches, err = s.findPersons(ctx, req.user, st.f.Find); errors.Is(err, store.ErrQueryTooLong) {
			d.FindError = i18n.T(lang, "search.error.too_long", store.MaxQueryTerms, store.MaxQueryLen)
		} else if errors.Is(err, store.ErrQueryNoWords) {
			d.FindError = i18n.T(lang, "search.error.no_words")
		} else if err != nil {
			return err
		}
		for _, m := range d.Matches {
			if !seen[m.ID] {
				seen[m.ID] = true
				d.Persons = append(d.Persons, m)
			}
		}
	}
	s.render(req, status, "incident_form", d)
	return nil
}

// personOption describes a person for a select, hiding one u may not see.
func (s *Server) personOption(ctx context.Context, u *model.User, lang, id string) personOption {
	p, err := s.st.Persons().Get(ctx, id)
	if err != nil || !access.CanSee(u, p.Visibility, p.CreatedBy) {
		return personOption{ID: id, Label: i18n.T(lang, "incident.person_hidden"), Hidden: true}
	}
	return personOption{ID: p.ID, Label: personLabel(p)}
}

func personLabel(p *model.Person) string {
	var parts []string
	for _, n := range []string{p.NameAR, p.NameLatin} {
		if n != "" {
			parts = append(parts, isolate(n))
		}
	}
	l := strings.Join(parts, " · ")
	if p.BirthYear != 0 {
		l += " (" + strconv.Itoa(p.BirthYear) + ")"
	}
	return l
}

// findPersons answers the form's person search: by ID, or by name among
// the persons u may see.
func (s *Server) findPersons(ctx context.Context, u *model.User, q string) ([]personOption, error) {
	var found []model.Person
	if _, err := uuid.Parse(q); err == nil && len(q) == 36 {
		if p, err := s.st.Persons().Get(ctx, q); err == nil {
			found = append(found, *p)
		}
	} else if q != "" {
		var err error
		if found, err = s.st.Persons().Search(ctx, q, 60); err != nil {
			return nil, err
		}
	}
	var out []personOption
	for i := range found {
		p := &found[i]
		if access.CanSee(u, p.Visibility, p.CreatedBy) && len(out) < 20 {
			out = append(out, personOption{ID: p.ID, Label: personLabel(p)})
		}
	}
	return out, nil
}

// districtGroups lists every district under its governorate, for a
// select with one optgroup per governorate.
func districtGroups(country string) []districtGroup {
	g := vocab.GazetteerFor(country)
	if g == nil {
		return nil
	}
	var out []districtGroup
	for _, gov := range g.Governorates() {
		out = append(out, districtGroup{Gov: gov, Districts: g.Districts(gov.Code)})
	}
	return out
}
