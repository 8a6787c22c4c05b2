package sqlstore

import (
	"bytes"
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
