package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// SealedCanaries go into every restricted field there is: a restricted
// incident's text, its victim's names, a restricted organisation's, a
// person's protection details, a source's identity, and what sources said
// about restricted incidents (source labels, information summaries), both
// written sealed and sealed later.
var SealedCanaries = []string{
	"Summacanary", "ملخصالكناري", "Narracanary", "سردالكناري", "Localcanary", "35.1234567", "43.7654321",
	"Brigacanary", "Modicanary", "Tagcanary", "Origcanary", // incident text
	"Victicanary", "اسمالكناري", "Aliascanary", "Affilcanary", // its restricted victim
	"Orgacanary", "Notecanary", // a restricted organisation
	"Contactcanary", "Wherecanary", "Identcanary", // protection details, a source's identity
	"Labelcanary", "Infocanary", "مصدرالكناري", // a source and its information, on a restricted incident
	"Latelabelcanary", "Lateinfocanary", // the same, in the clear until the incident was restricted
}

// sealedControl goes into an internal incident's information, in the
// clear: the scan must find it, proving it reads where the data is.
const sealedControl = "Controlcanary Visibleton"

// testSealedEverywhere writes SealedCanaries into every restricted field,
// then reads every column of every table the database's catalogue lists:
// no canary may be there in any form.
func testSealedEverywhere(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	FastKDF(t)
	u, by := FirstMember(t, ctx, s, "rana", "rana password 1")
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, model.CompartmentSources, u); err != nil {
		t.Fatal(err)
	}
	rs, err := keys.NewRecordSealer(ctx, s, by)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	c := SealedCanaries
	lat, lon := 35.1234567, 43.7654321
	inc := Incident()
	inc.Visibility = model.VisibilityRestricted
	inc.SummaryEN, inc.SummaryAR, inc.NarrativeEN, inc.NarrativeAR = c[0]+" summary", "ملخص "+c[1], c[2]+" narrative", "سرد "+c[3]
	inc.Place.Locality, inc.Place.Lat, inc.Place.Lon = c[4]+"ville", &lat, &lon
	inc.Perpetrators = []model.Perpetrator{{Type: "militia", Group: c[7] + " Brigade", ModusOperandi: c[8] + " motorbike"}}
	inc.Tags = []string{c[9]}
	inc.External = &model.External{System: "test", ID: "canary-1", Original: map[string]string{"notes": c[10] + " original"}}
	inc.Victims = inc.Victims[:1]
	inc.Victims[0].Person = &model.Person{NameLatin: c[11] + " Hidden", NameAR: c[12], Aliases: []string{c[13]},
		Affiliations: []string{c[14] + " Union"}, Visibility: model.VisibilityRestricted}
	if err := rs.Incident(&inc); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIncident(ctx, "rana", &inc); err != nil {
		t.Fatal(err)
	}
	org := model.Organisation{NameEN: c[15] + " Collective", Notes: c[16] + " notes", Kind: "ngo", Status: "active",
		Visibility: model.VisibilityRestricted}
	if err := rs.Organisation(&org); err != nil {
		t.Fatal(err)
	}
	if err := s.Organisations().Create(ctx, "rana", &org); err != nil {
		t.Fatal(err)
	}
	victim := inc.Victims[0].PersonID
	if err := keys.Seal(ctx, s, "rana", by, store.KindPerson, victim, model.GroupPersonProtection,
		model.PersonProtection{Contacts: c[17] + " +964 771", Whereabouts: c[18]}); err != nil {
		t.Fatal(err)
	}

	// What sources said about the restricted incident.
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: c[20] + " S-7"}
	info := model.Information{IncidentID: inc.ID, Credibility: 2, ObtainedOn: "2021-05-06", Summary: c[21] + " saw it; " + c[22], Key: rs}
	if err := s.AddSourceInformation(ctx, "rana", &src, &info); err != nil {
		t.Fatal(err)
	}
	if err := keys.Seal(ctx, s, "rana", by, store.KindSource, src.ID, model.GroupSourceIdentity,
		model.SourceIdentity{Name: c[19], Contacts: c[17]}); err != nil {
		t.Fatal(err)
	}

	// An internal incident with a source in the clear, then restricted.
	late := Incident()
	late.Victims = nil
	if err := s.CreateIncident(ctx, "doc", &late); err != nil {
		t.Fatal(err)
	}
	lsrc := model.Source{Type: "eyewitness", Reliability: "C", Label: c[23]}
	linfo := model.Information{IncidentID: late.ID, Credibility: 3, Summary: c[24] + " heard it"}
	if err := s.AddSourceInformation(ctx, "doc", &lsrc, &linfo); err != nil {
		t.Fatal(err)
	}
	late.Visibility = model.VisibilityRestricted
	if err := rs.Incident(&late); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "rana", &late); err != nil {
		t.Fatal(err)
	}

	// The control, in the clear.
	open := Incident()
	open.Victims, open.NarrativeEN = nil, "Indexcontrolword"
	if err := s.CreateIncident(ctx, "doc", &open); err != nil {
		t.Fatal(err)
	}
	osrc := model.Source{Type: "eyewitness", Reliability: "B", Label: "S-1"}
	oinfo := model.Information{IncidentID: open.ID, Credibility: 2, Summary: sealedControl}
	if err := s.AddSourceInformation(ctx, "doc", &osrc, &oinfo); err != nil {
		t.Fatal(err)
	}

	if found, tables := ScanCatalogue(t, o.SQL, ScanNeedles(sealedControl)); len(found) == 0 {
		t.Fatalf("the scan of %d tables misses the control %q: it does not read where the data is", tables, sealedControl)
	} else if tables < 15 {
		t.Errorf("the catalogue listed %d tables: too few to be all of them", tables)
	}
	// The search index is read too: SQLite's through its vocabulary,
	// PostgreSQL's tsvector columns as text.
	index := map[string]string{"sqlite": "temp.scan_vocab_", "postgres": `".search: `}[s.Backend()]
	indexed := false
	found, _ := ScanCatalogue(t, o.SQL, ScanNeedles("Indexcontrolword"))
	for _, f := range found {
		indexed = indexed || strings.Contains(f, index)
	}
	if !indexed {
		t.Errorf("the scan misses the search index (%s): %v", index, found)
	}
	found, _ = ScanCatalogue(t, o.SQL, ScanNeedles(c...))
	for _, f := range found {
		t.Errorf("in the clear: %s", f)
	}
}
