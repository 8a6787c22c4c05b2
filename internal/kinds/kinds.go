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
	Fields: []record.Field{
		{Name: "name_ar", Input: record.Text, Sealed: true, Search: true},
		{Name: "name_latin", Input: record.Text, Sealed: true, Search: true},
		{Name: "aliases", Input: record.Lines, Sealed: true, Search: true},
		{Name: "gender", Input: record.Code, Vocab: vocab.Gender},
		{Name: "birth_year", Input: record.Year},
		{Name: "home_admin1", Input: record.Admin1},
		{Name: "affiliations", Input: record.Lines, Sealed: true},
		{Name: "roles", Input: record.Codes, Vocab: vocab.VictimRole},
		{Name: "status", Input: record.Code, Vocab: vocab.PersonStatus},
		{Name: "risk_level", Input: record.Code, Vocab: vocab.RiskLevel},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true},
		{Name: "consent", Input: record.Bool},
	},
	Check: func(p *model.Person, errs record.Errors) {
		if p.NameAR == "" && p.NameLatin == "" {
			errs.Add("name_ar", "person.error.name")
		}
	},
})

// Organisation is an NGO, media outlet, armed group, party or state body.
var Organisation = record.New(record.Kind[model.Organisation]{
	Name: "organisation", Messages: "org", Path: "/organisations", Group: model.GroupRecord,
	Fields: []record.Field{
		{Name: "name_ar", Input: record.Text, Sealed: true, Search: true},
		{Name: "name_en", Input: record.Text, Sealed: true, Search: true},
		{Name: "kind", Input: record.Code, Vocab: vocab.OrganisationKind, Required: true},
		{Name: "status", Input: record.Code, Vocab: vocab.OrganisationStatus, Required: true},
		{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Required: true},
		{Name: "notes", Input: record.Textarea, Sealed: true},
	},
	Check: func(o *model.Organisation, errs record.Errors) {
		if o.NameAR == "" && o.NameEN == "" {
			errs.Add("name_ar", "org.error.name")
		}
	},
})
