package portal_test

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestNothingAtRiskPublished (docs/counting.md, "Never published"): the
// records of people at risk about a person who is public and consented,
// and so is named on the portal, change no file of the public site or its
// open data, and none of their text, codes or IDs is in any file: names on
// a hit list, a case and everything in it, threat text, places.
func TestNothingAtRiskPublished(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	storetest.FastKDF(t)
	member, id := storetest.FirstMember(t, ctx, st, "rana", "rana password 1")
	defer id.Zero()
	person := &model.Person{NameLatin: "Publicname Consented", Visibility: model.VisibilityPublic, Consent: true}
	inc := &model.Incident{Type: "assault", Date: model.Date{Start: "2020-01-10", End: "2020-01-10", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BG"}, Verification: "verified", Visibility: model.VisibilityPublic,
		Consent: true, SummaryEN: "A journalist was beaten.", SummaryAR: "ضُرب صحفي.",
		Victims: []model.Victim{{Role: "journalist", Outcome: "injured", Person: person}}}
	if err := st.CreateIncident(ctx, "tester", inc); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetIncident(ctx, inc.ID)
	if err != nil || len(got.Victims) != 1 {
		t.Fatalf("the incident: %v", err)
	}
	pid := got.Victims[0].PersonID
	before := publishFiles(t, st)
	if !anyHolds(before, "Publicname Consented") {
		t.Fatal("the control: the public, consented person is not on the site, so the scan proves nothing")
	}

	svc := protection.New(st, nil)
	seal := func(ctx context.Context) (*keys.RecordSealer, string, error) {
		rs, err := keys.NewRecordSealer(ctx, st, id)
		return rs, "", err
	}
	var ids []string
	save := func(r any, errs record.Errors, err error) {
		t.Helper()
		if err != nil || len(errs) > 0 {
			t.Fatalf("save: %v %v", errs, err)
		}
		switch r := r.(type) {
		case *model.Threat:
			ids = append(ids, r.ID)
		case *model.HitList:
			ids = append(ids, r.ID)
		case *model.HitListEntry:
			ids = append(ids, r.ID)
		case *model.ProtectionCase:
			ids = append(ids, r.ID, r.Code)
		case *model.Move:
			ids = append(ids, r.ID)
		case *model.CheckIn:
			ids = append(ids, r.ID)
		}
	}
	th, errs, err := svc.Threats.Save(ctx, member, nil, form(kinds.Threat, "occurred_on", "2020-01-02", "delivery", "phone_call",
		"severity", "death", "persons", pid, "admin1", "IQ-BG", "incidents", inc.ID, "said", "Pubsaidcanary", "actor", "Pubactorcanary",
		"source", "Pubsourcecanary"), seal)
	save(th, errs, err)
	l, errs, err := svc.Lists.Save(ctx, member, nil, form(kinds.HitList, "name", "Pubtitlecanary", "issuer", "Pubissuercanary",
		"appeared_on", "2019-10-20", "obtained", "Pubobtainedcanary"), seal)
	save(l, errs, err)
	e, errs, err := svc.Entries.Save(ctx, member, nil, form(kinds.HitListEntry, "list_id", l.ID, "name_written",
		"Pubhitnamecanary اسمالقائمةالعام", "person", pid), seal)
	save(e, errs, err)
	c, errs, err := svc.Cases.Save(ctx, member, nil, form(kinds.ProtectionCase, "person", pid, "risk_level", "critical",
		"status", "open", "opened_on", "2020-01-05", "checkin_every", "7", "caseworker", "Pubcaseworkercanary",
		"notes", "Pubcasenotecanary"), seal)
	save(c, errs, err)
	m, errs, err := svc.Moves.Save(ctx, member, nil, form(kinds.Move, "case_id", c.ID, "moved_on", "2020-02-01",
		"city", "Pubcitycanary", "country", "Pubcountrycanary", "contacts", "+964 771 999 8877"), seal)
	save(m, errs, err)
	ci, errs, err := svc.SaveCheckIn(ctx, member, nil, form(kinds.CheckIn, "case_id", c.ID, "checked_on", "2020-02-03",
		"result", "needs_help", "note", "Pubchecknotecanary"), seal)
	save(ci, errs, err)
	if _, _, err := svc.SaveAssessment(ctx, member, nil, form(kinds.Assessment, "case_id", c.ID, "assessed_on", "2020-01-06",
		"risk_level", "critical", "reason", "Pubreasoncanary"), seal); err != nil {
		t.Fatal(err)
	}

	after := publishFiles(t, st)
	var changed []string
	for name, body := range after {
		if before[name] != body {
			changed = append(changed, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			changed = append(changed, name+" (gone)")
		}
	}
	sort.Strings(changed)
	if len(changed) > 0 {
		t.Errorf("%d files changed when people-at-risk records were added, e.g. %q", len(changed), changed[:min(len(changed), 8)])
	}
	canaries := append([]string{"Pubsaidcanary", "Pubactorcanary", "Pubsourcecanary", "Pubtitlecanary", "Pubissuercanary",
		"Pubobtainedcanary", "Pubhitnamecanary", "اسمالقائمةالعام", "Pubcaseworkercanary", "Pubcasenotecanary", "Pubcitycanary",
		"Pubcountrycanary", "999 8877", "Pubchecknotecanary", "Pubreasoncanary", "PC-"}, ids...)
	for name, body := range after {
		for _, c := range canaries {
			if strings.Contains(body, c) {
				t.Errorf("%s holds %q", name, c)
			}
		}
	}
	if count(after, "data/", "") == 0 {
		t.Error("the site has no open-data files to scan")
	}
}

func anyHolds(files map[string]string, s string) bool {
	for _, body := range files {
		if strings.Contains(body, s) {
			return true
		}
	}
	return false
}

func form[T any](k *record.Kind[T], kv ...string) record.Form {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return k.ReadForm("", v)
}
