package kinds

import (
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The kinds of people at risk (docs/protection.md): all kept in the
// protection compartment. Rules that need other records (one open case per
// person, a check-in on an open case) are package protection's. The person
// a case, a threat or a list entry names is Sealed like its text: the link
// itself says that someone is at risk (docs/protection.md, "The records").

const protection = model.CompartmentProtection

// hidden is the visibility field of a compartment's kind: always
// restricted, set by package records.
var hidden = record.Field{Name: "visibility", Input: record.Code, Vocab: vocab.Visibility, Hidden: true}

func restricted(v *string) { *v = model.VisibilityRestricted }

// Threat is a threat against one or more persons.
var Threat = record.New(record.Kind[model.Threat]{
	Name: "threat", Path: "/threats", Group: model.GroupRecord, Compartment: protection,
	Title: []string{"occurred_on"}, Order: "-occurred_on",
	Fields: []record.Field{
		{Name: "occurred_on", Input: record.Date, Required: true, Section: "when", List: true},
		{Name: "date_precision", Input: record.Code, Vocab: vocab.DatePrecision, Section: "when"},
		{Name: "delivery", Input: record.Code, Vocab: vocab.ThreatDelivery, Required: true, Section: "what", List: true},
		{Name: "severity", Input: record.Code, Vocab: vocab.ThreatSeverity, Required: true, Section: "what", List: true},
		{Name: "said", Input: record.Textarea, Sealed: true, Section: "what"},
		{Name: "persons", Input: record.Refs, Ref: "person", Required: true, Sealed: true, Section: "who"},
		{Name: "perpetrator_type", Input: record.Code, Vocab: vocab.PerpetratorType, Section: "who"},
		{Name: "actor", Input: record.Text, Sealed: true, Section: "who"},
		{Name: "admin1", Input: record.Admin1, Section: "who", List: true},
		{Name: "source", Input: record.Text, Sealed: true, Section: "source"},
		{Name: "reliability", Input: record.Code, Vocab: vocab.Reliability, Section: "source"},
		{Name: "credibility", Input: record.Code, Vocab: vocab.Credibility, Section: "source"},
		{Name: "incidents", Input: record.Refs, Ref: "incident", Section: "source"},
		hidden,
	},
	Defaults: func(t *model.Threat) { t.DatePrecision = "day"; restricted(&t.Visibility) },
})

// HitList is a document naming people as targets.
var HitList = record.New(record.Kind[model.HitList]{
	Name: "hit_list", Messages: "hitlist", Path: "/hitlists", Group: model.GroupRecord, Compartment: protection,
	Title: []string{"name"}, Order: "-appeared_on",
	Fields: []record.Field{
		{Name: "name", Input: record.Text, Required: true, Sealed: true, Section: "about"},
		{Name: "issuer", Input: record.Text, Sealed: true, Section: "about"},
		{Name: "appeared_on", Input: record.Date, Required: true, Section: "about", List: true},
		{Name: "obtained", Input: record.Textarea, Sealed: true, Section: "obtained"},
		{Name: "obtained_on", Input: record.Date, Section: "obtained"},
		{Name: "evidence", Input: record.Lines, Section: "obtained"},
		hidden,
	},
	Defaults: func(l *model.HitList) { restricted(&l.Visibility) },
})

// HitListEntry is one name on a list, in its order.
var HitListEntry = record.New(record.Kind[model.HitListEntry]{
	Name: "hit_list_entry", Messages: "hitentry", Path: "/hitlist-entries", Group: model.GroupRecord,
	Compartment: protection, Parent: "list_id", Order: "seq", Title: []string{"name_written"},
	Fields: []record.Field{
		{Name: "list_id", Input: record.Ref, Ref: "hit_list", Required: true, Section: "about"},
		{Name: "seq", Input: record.Count, List: true, Section: "about"},
		{Name: "name_written", Input: record.Text, Required: true, Sealed: true, List: true, Section: "about"},
		{Name: "person", Input: record.Ref, Ref: "person", Sealed: true, Section: "about"},
		hidden,
	},
	Defaults: func(e *model.HitListEntry) { restricted(&e.Visibility) },
})

// ProtectionCase is a person at risk.
var ProtectionCase = record.New(record.Kind[model.ProtectionCase]{
	Name: "protection_case", Messages: "pcase", Path: "/cases", Group: model.GroupRecord, Compartment: protection,
	Title: []string{"code"},
	Fields: []record.Field{
		{Name: "code", Input: record.Text, Hidden: true, List: true},
		{Name: "person", Input: record.Ref, Ref: "person", Required: true, Sealed: true, Section: "case"},
		{Name: "risk_level", Input: record.Code, Vocab: vocab.RiskLevel, Required: true, Section: "case", List: true},
		{Name: "status", Input: record.Code, Vocab: vocab.CaseStatus, Required: true, Section: "case", List: true},
		{Name: "caseworker", Input: record.Text, Section: "case"},
		{Name: "opened_on", Input: record.Date, Required: true, Section: "case"},
		{Name: "checkin_every", Input: record.Count, Section: "checkins"},
		{Name: "schedule_since", Input: record.Date, Hidden: true},
		{Name: "last_checkin", Input: record.Date, Hidden: true},
		{Name: "notes", Input: record.Textarea, Sealed: true, Section: "case"},
		hidden,
	},
	Check: func(c *model.ProtectionCase, errs record.Errors) {
		if c.CheckInEvery <= 0 {
			errs.Add("checkin_every", "pcase.error.schedule")
		}
	},
	Defaults: func(c *model.ProtectionCase) {
		c.Status, c.RiskLevel, c.CheckInEvery = "open", "medium", 7
		restricted(&c.Visibility)
	},
})

// CaseDueOn is the day case c's next check-in is due (docs/protection.md,
// "Overdue check-ins"): its schedule's days after its last check-in, or
// after its opening before the first, but never before the day the
// schedule was last set, so that changing a schedule does not make a case
// overdue at once; "" for a closed case or one without a schedule. It
// depends on the case alone, not on today: the store keeps it beside the
// case (sqlstore, due_on) so that the board is sorted in SQL.
func CaseDueOn(c *model.ProtectionCase) string {
	if c.Status == "closed" || c.CheckInEvery <= 0 {
		return ""
	}
	from, err := time.Parse(time.DateOnly, max(c.LastCheckIn, c.OpenedOn))
	if err != nil {
		return ""
	}
	due := from.AddDate(0, 0, c.CheckInEvery).Format(time.DateOnly)
	if _, err := time.Parse(time.DateOnly, c.ScheduleSince); err == nil {
		due = max(due, c.ScheduleSince)
	}
	return due
}

// Assessment is a dated assessment of a case's risk.
var Assessment = record.New(record.Kind[model.Assessment]{
	Name: "assessment", Path: "/assessments", Group: model.GroupRecord, Compartment: protection,
	Parent: "case_id", Order: "-assessed_on", Title: []string{"assessed_on"},
	Fields: []record.Field{
		{Name: "case_id", Input: record.Ref, Ref: "protection_case", Required: true, Section: "about"},
		{Name: "assessed_on", Input: record.Date, Required: true, List: true, Section: "about"},
		{Name: "risk_level", Input: record.Code, Vocab: vocab.RiskLevel, Required: true, List: true, Section: "about"},
		{Name: "assessor", Input: record.Text, Section: "about"},
		{Name: "reason", Input: record.Textarea, Sealed: true, Section: "about"},
		hidden,
	},
	Defaults: func(a *model.Assessment) { restricted(&a.Visibility) },
})

// Measure is a protection measure taken for a case.
var Measure = record.New(record.Kind[model.Measure]{
	Name: "measure", Path: "/measures", Group: model.GroupRecord, Compartment: protection,
	Parent: "case_id", Order: "-started_on", Title: []string{"measure"},
	Fields: []record.Field{
		{Name: "case_id", Input: record.Ref, Ref: "protection_case", Required: true, Section: "about"},
		{Name: "measure", Input: record.Code, Vocab: vocab.ProtectionMeasure, Required: true, List: true, Section: "about"},
		{Name: "status", Input: record.Code, Vocab: vocab.MeasureStatus, Required: true, List: true, Section: "about"},
		{Name: "started_on", Input: record.Date, List: true, Section: "about"},
		{Name: "ended_on", Input: record.Date, Section: "about"},
		{Name: "note", Input: record.Textarea, Sealed: true, Section: "about"},
		hidden,
	},
	Check: func(m *model.Measure, errs record.Errors) {
		if m.EndedOn != "" && m.StartedOn != "" && m.EndedOn < m.StartedOn {
			errs.Add("ended_on", "measure.error.ended_before")
		}
	},
	Defaults: func(m *model.Measure) { m.Status = "planned"; restricted(&m.Visibility) },
})

// Move is a move of a case's person: where they are, how to reach them.
var Move = record.New(record.Kind[model.Move]{
	Name: "move", Path: "/moves", Group: model.GroupRecord, Compartment: protection,
	Parent: "case_id", Order: "-moved_on", Title: []string{"moved_on"},
	Fields: []record.Field{
		{Name: "case_id", Input: record.Ref, Ref: "protection_case", Required: true, Section: "about"},
		{Name: "moved_on", Input: record.Date, Required: true, List: true, Section: "about"},
		{Name: "city", Input: record.Text, Required: true, Sealed: true, Section: "about"},
		{Name: "country", Input: record.Text, Sealed: true, Section: "about"},
		{Name: "contacts", Input: record.Lines, Sealed: true, Section: "about"},
		{Name: "note", Input: record.Textarea, Sealed: true, Section: "about"},
		hidden,
	},
	Defaults: func(m *model.Move) { restricted(&m.Visibility) },
})

// CheckIn is one contact with a case's person.
var CheckIn = record.New(record.Kind[model.CheckIn]{
	Name: "checkin", Path: "/checkins", Group: model.GroupRecord, Compartment: protection,
	Parent: "case_id", Order: "-checked_on", Title: []string{"checked_on"},
	Fields: []record.Field{
		{Name: "case_id", Input: record.Ref, Ref: "protection_case", Required: true, Section: "about"},
		{Name: "checked_on", Input: record.Date, Required: true, List: true, Section: "about"},
		{Name: "result", Input: record.Code, Vocab: vocab.CheckInResult, Required: true, List: true, Section: "about"},
		{Name: "channel", Input: record.Code, Vocab: vocab.CheckInChannel, Section: "about"},
		{Name: "checked_by", Input: record.Text, Hidden: true},
		{Name: "note", Input: record.Textarea, Sealed: true, Section: "about"},
		hidden,
	},
	Defaults: func(c *model.CheckIn) { restricted(&c.Visibility) },
})
