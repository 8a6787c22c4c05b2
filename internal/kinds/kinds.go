// Package kinds describes each kind of record rasd keeps through the
// generic machinery of package record: its fields, which are sealed when
// the record is restricted, what it is found by and the rules across its
// fields. The store, the domain services and the web all read these
// descriptions; docs/architecture.md says how to add a kind.
package kinds

import (
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Person is a person who appears in the records.
var Person = record.New(record.Kind[model.Person]{
	Name: "person", Path: "/persons", Group: model.GroupRecord,
	Title: []string{"name_ar", "name_latin"},
	Fields: []record.Field{
		{Name: "name_ar", Input: record.Text, Sealed: true, Search: true, Section: "names", Dir: "rtl"},
		{Name: "name_latin", Input: record.Text, Sealed: true, Search: true, Section: "names", Dir: "ltr"},
		{Name: "aliases", Input: record.Lines, Sealed: true, Search: true, Section: "names"},
		{Name: "gender", Input: record.Code, Vocab: vocab.Gender, Section: "about"},
		{Name: "birth_year", Input: record.Year, Section: "about"},
		{Name: "home_admin1", Input: record.Admin1, Section: "about", List: true},
		{Name: "affiliations", Input: record.Lines, Sealed: true, Section: "about"},
		{Name: "roles", Input: record.Codes, Vocab: vocab.VictimRole, Section: "roles", List: true},
		{Name: "status", Input: record.Code, Vocab: vocab.PersonStatus, Section: "situation", List: true},
		{Name: "date_of_death", Input: record.Date, Section: "situation"},
		{Name: "risk_level", Input: record.Code, Vocab: vocab.RiskLevel, Section: "situation"},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true, Section: "access"},
		{Name: "consent", Input: record.Bool, Section: "access"},
	},
	Check: func(p *model.Person, errs record.Errors) {
		if p.NameAR == "" && p.NameLatin == "" {
			errs.Add("name_ar", "person.error.name")
		}
		if p.DateOfDeath != "" && p.Status != "deceased" {
			errs.Add("date_of_death", "person.error.date_of_death")
		}
	},
	Defaults: func(p *model.Person) { p.Visibility = model.VisibilityInternal },
})

// Organisation is an NGO, media outlet, armed group, party or state body.
var Organisation = record.New(record.Kind[model.Organisation]{
	Name: "organisation", Messages: "org", Path: "/organisations", Group: model.GroupRecord,
	Title: []string{"name_ar", "name_en"},
	Fields: []record.Field{
		{Name: "name_ar", Input: record.Text, Sealed: true, Search: true, Section: "names", Dir: "rtl"},
		{Name: "name_en", Input: record.Text, Sealed: true, Search: true, Section: "names", Dir: "ltr"},
		{Name: "kind", Input: record.Code, Vocab: vocab.OrganisationKind, Required: true, Section: "about", List: true},
		{Name: "status", Input: record.Code, Vocab: vocab.OrganisationStatus, Required: true, Section: "about", List: true},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true, Section: "about"},
		{Name: "notes", Input: record.Textarea, Sealed: true, Section: "about"},
	},
	Check: func(o *model.Organisation, errs record.Errors) {
		if o.NameAR == "" && o.NameEN == "" {
			errs.Add("name_ar", "org.error.name")
		}
	},
	Defaults: func(o *model.Organisation) { o.Status, o.Visibility = "active", model.VisibilityInternal },
})
