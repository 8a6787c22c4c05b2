package sqlstore

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestIncidentSnapshotExt: the snapshot made with the original columns'
// JSON given is incidentSnapshot's, byte for byte, whatever the columns
// hold (HTML, quotes, escapes, other scripts, empty values).
func TestIncidentSnapshotExt(t *testing.T) {
	lat := 31.5
	for _, orig := range []map[string]string{
		{"event_id_cnty": "IRQ1", "notes": `He said "stop" <b>& left</b>`},
		{"a": "", "z": "\u2028\t\n\\", "خبر": "اغتيال ناشط", "\"external\":{": "}"},
		{"k": "\x00\x7f\ufffd"},
		nil,
		{},
	} {
		for _, sys := range []string{"acled", `sys"tem`, ""} {
			inc := &model.Incident{Type: "killing", Date: model.Date{Start: "2019-12-08"}, Tags: []string{"x"},
				Place:    model.Place{Lat: &lat, Admin1: "IQ-BG"},
				Victims:  []model.Victim{{PersonID: "p", Role: "activist"}},
				External: &model.External{System: sys, ID: "id\"1", Original: orig}}
			want := incidentSnapshot(inc)
			if got := incidentSnapshotExt(inc, externalCols(inc)); !bytes.Equal(got, want) {
				t.Errorf("original %q, system %q:\n got %s\nwant %s", orig, sys, got, want)
			}
		}
	}
	inc := &model.Incident{Type: "killing"}
	if got, want := incidentSnapshotExt(inc, externalCols(inc)), incidentSnapshot(inc); !bytes.Equal(got, want) {
		t.Errorf("no external:\n got %s\nwant %s", got, want)
	}
}

// TestIncidentTextWithCode: the search text made from the code and the
// words worked out before it (withCode, incidentWords) is the text made
// with the code leading the incident's texts, as it was before imports
// worked the words out ahead of their writer.
func TestIncidentTextWithCode(t *testing.T) {
	led := func(inc *model.Incident) string {
		c := *inc
		c.SummaryEN = inc.Code + " \n" + inc.SummaryEN
		return strings.Join(incidentWords(&c), " ")
	}
	for _, code := range []string{"IQ-2019-0001", "", "XX-0000-12345"} {
		for _, inc := range []*model.Incident{
			{Code: code, Type: "killing", SummaryEN: "Killing of an activist in Basra, 2019", SummaryAR: "اغتيال ناشط في البصرة",
				NarrativeEN: "iq 2019 0001 again", Place: model.Place{Country: "IQ", Admin1: "IQ-BA", Locality: "Al-Zubair"},
				Perpetrators: []model.Perpetrator{{Type: "unidentified_gunmen"}},
				External:     &model.External{System: "acled", ID: "IRQ1"}},
			{Code: code},
			{Code: code, NarrativeAR: "٢٠١٩ iq"},
		} {
			if got, want := withCode(inc.Code, incidentWords(inc)), led(inc); got != want {
				t.Errorf("code %q:\n got %q\nwant %q", code, got, want)
			}
			if got, want := incidentText(inc), led(inc); got != want {
				t.Errorf("incidentText, code %q:\n got %q\nwant %q", code, got, want)
			}
		}
	}
}
