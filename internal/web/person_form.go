package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vocab"
)

// personForm is the person form as typed, all text, so that a refused
// value comes back exactly as it was entered. Field names are the form's
// input names and the record's JSON names.
type personForm struct {
	ID, Version           string
	NameAR, NameLatin     string
	Aliases, Affiliations string // one per line
	Gender, BirthYear     string
	Roles                 []string
	HomeAdmin1            string
	Status, RiskLevel     string
	Visibility            string
	Consent               bool
}

// personFormOf fills the form from a stored person.
func personFormOf(p *model.Person) personForm {
	f := personForm{ID: p.ID, Version: strconv.Itoa(p.Version), NameAR: p.NameAR, NameLatin: p.NameLatin,
		Aliases: strings.Join(p.Aliases, "\n"), Affiliations: strings.Join(p.Affiliations, "\n"),
		Gender: p.Gender, Roles: p.Roles, HomeAdmin1: p.HomeAdmin1, Status: p.Status,
		RiskLevel: p.RiskLevel, Visibility: p.Visibility, Consent: p.Consent}
	if p.BirthYear != 0 {
		f.BirthYear = strconv.Itoa(p.BirthYear)
	}
	return f
}

// readPersonForm reads a submitted person form.
func readPersonForm(r *http.Request) (personForm, error) {
	if err := r.ParseForm(); err != nil {
		return personForm{}, errBadForm
	}
	v := r.PostForm
	return personForm{ID: r.PathValue("id"), Version: v.Get("version"),
		NameAR: v.Get("name_ar"), NameLatin: v.Get("name_latin"),
		Aliases: v.Get("aliases"), Affiliations: v.Get("affiliations"),
		Gender: v.Get("gender"), BirthYear: v.Get("birth_year"), Roles: v["roles"],
		HomeAdmin1: v.Get("home_admin1"), Status: v.Get("status"), RiskLevel: v.Get("risk_level"),
		Visibility: v.Get("visibility"), Consent: v.Get("consent") != ""}, nil
}

// apply checks the form and, when every field is right, writes it into p.
// It returns the refused fields with the message key of each; p is
// untouched when there are any. Fields the form does not show are kept.
func (f personForm) apply(u *model.User, p *model.Person, thisYear int) map[string]string {
	errs := map[string]string{}
	nameAR, nameLatin := strings.TrimSpace(f.NameAR), strings.TrimSpace(f.NameLatin)
	if nameAR == "" && nameLatin == "" {
		errs["name_ar"] = "person.error.name"
	}
	peopleLine(errs, "name_ar", nameAR, peopleMaxName)
	peopleLine(errs, "name_latin", nameLatin, peopleMaxName)
	aliases, affiliations := peopleLines(f.Aliases), peopleLines(f.Affiliations)
	for _, l := range aliases {
		peopleLine(errs, "aliases", l, peopleMaxName)
	}
	for _, l := range affiliations {
		peopleLine(errs, "affiliations", l, peopleMaxName)
	}
	year := 0
	if y := peopleDigits(f.BirthYear); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > thisYear {
			errs["birth_year"] = "person.error.birth_year"
		}
		year = n
	}
	peopleCode(errs, "gender", vocab.Gender, f.Gender, false)
	peopleCode(errs, "status", vocab.PersonStatus, f.Status, false)
	peopleCode(errs, "risk_level", vocab.RiskLevel, f.RiskLevel, false)
	peopleCode(errs, "visibility", vocab.Visibility, f.Visibility, true)
	if errs["visibility"] == "" && !access.CanSetVisibility(u, f.Visibility) {
		errs["visibility"] = "people.error.code"
	}
	if _, ok := vocab.Admin1(f.HomeAdmin1); f.HomeAdmin1 != "" && !ok {
		errs["home_admin1"] = "people.error.code"
	}
	roles := vocab.Get(vocab.VictimRole)
	var picked []string
	for _, r := range f.Roles {
		if !roles.Has(r) {
			errs["roles"] = "people.error.code"
		}
	}
	for _, code := range roles.Codes() { // in the vocabulary's order, once each
		if slices.Contains(f.Roles, code) {
			picked = append(picked, code)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	p.NameAR, p.NameLatin, p.Aliases, p.Affiliations = nameAR, nameLatin, aliases, affiliations
	p.Gender, p.BirthYear, p.Roles, p.HomeAdmin1 = f.Gender, year, picked, f.HomeAdmin1
	p.Status, p.RiskLevel, p.Visibility, p.Consent = f.Status, f.RiskLevel, f.Visibility, f.Consent
	return nil
}

// personFields are the person's fields as its history page shows them.
var personFields = peopleFields{prefix: "person.",
	order: []string{"name_ar", "name_latin", "aliases", "gender", "birth_year", "home_admin1", "affiliations",
		"roles", "status", "risk_level", "visibility", "consent"},
	vocabs: map[string]string{"gender": vocab.Gender, "roles": vocab.VictimRole, "status": vocab.PersonStatus,
		"risk_level": vocab.RiskLevel, "visibility": vocab.Visibility}}
