package opendata

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/redact"
)

// TestACLEDRoundTrip writes records as ACLED CSV, reads them back with
// rasd's own ACLED importer and compares what the mapping can keep.
// Lossy by design (docs/open-data.md): torture, enforced disappearance,
// attempted killings whose summary does not say so, political parties,
// further perpetrators, year precision and estimates, district precision.
func TestACLEDRoundTrip(t *testing.T) {
	consentless := func(i *model.Incident) { i.Consent = false }
	perp := func(typ string) func(*model.Incident) {
		return func(i *model.Incident) { i.Perpetrators = []model.Perpetrator{{Type: typ}} }
	}
	type want struct {
		typ, start, end, precision, admin1, district, geo, perp string
	}
	tests := []struct {
		inc  *model.Incident
		want want
	}{
		{incident("IQ-1", "killing"), want{"killing", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
		{incident("IQ-2", "assault", tagged("publish:precise"), perp("tribal")), want{"assault", "2019-10-25", "2019-10-25", "day", "IQ-BG", "Al-Risafa", "exact", "tribal"}},
		{incident("IQ-3", "kidnapping", tagged("publish:district"), dated("2019-10-21", "2019-10-27", "week")),
			want{"kidnapping", "2019-10-21", "2019-10-27", "week", "IQ-BG", "Al-Risafa", "near", "unidentified_gunmen"}},
		{incident("IQ-4", "arbitrary_detention", perp("security_forces"), dated("2019-11-01", "2019-11-30", "month")),
			want{"arbitrary_detention", "2019-11-01", "2019-11-30", "month", "IQ-BG", "", "governorate", "security_forces"}},
		{incident("IQ-5", "attack_on_property", perp("militia"), func(i *model.Incident) { i.Place.Admin1 = "IQ-DQ" }),
			want{"attack_on_property", "2019-10-25", "2019-10-25", "day", "IQ-DQ", "", "governorate", "militia"}},
		{incident("IQ-6", "attempted_killing", consentless), want{"attempted_killing", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
		{incident("IQ-7", "killing", perp("unknown")), want{"killing", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "unknown"}},
		{incident("IQ-8", "killing", func(i *model.Incident) { i.Perpetrators = nil }), want{"killing", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", ""}},
		// Lossy:
		{incident("IQ-9", "torture"), want{"assault", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
		{incident("IQ-10", "enforced_disappearance"), want{"kidnapping", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
		{incident("IQ-11", "attempted_killing"), want{"assault", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
		{incident("IQ-12", "assault", perp("political_party")), want{"assault", "2019-10-25", "2019-10-25", "day", "IQ-BG", "", "governorate", "militia"}},
		{incident("IQ-13", "assault", dated("2019-01-01", "2019-12-31", "year")), want{"assault", "2019-07-01", "2019-07-31", "month", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
		{incident("IQ-14", "assault", func(i *model.Incident) { i.Date.Estimated = true }),
			want{"assault", "2019-10-22", "2019-10-28", "week", "IQ-BG", "", "governorate", "unidentified_gunmen"}},
	}
	var in []redact.Public
	for _, tt := range tests {
		in = append(in, public(t, tt.inc))
	}
	skipped := []redact.Public{public(t, incident("IQ-S1", "death_threat")), public(t, incident("IQ-S2", "legal_harassment")),
		public(t, incident("IQ-S3", "killing", tagged("publish:country")))}
	var b bytes.Buffer
	w := NewACLED(&b, ACLEDOptions{})
	if _, err := WriteAll(w, slices.Values(append(in, skipped...))); err != nil {
		t.Fatal(err)
	}
	if w.Skipped() != len(skipped) {
		t.Errorf("skipped %d, want %d", w.Skipped(), len(skipped))
	}
	var incs []model.Incident
	err := importer.EachACLED(bytes.NewReader(b.Bytes()), "export.csv", func(inc *model.Incident) error {
		incs = append(incs, *inc)
		return nil
	})
	if err != nil {
		t.Fatalf("rasd cannot read its own ACLED export: %v\n%s", err, b.String())
	}
	if len(incs) != len(tests) {
		t.Fatalf("%d incidents read back, want %d", len(incs), len(tests))
	}
	for i, tt := range tests {
		got, p := incs[i], in[i]
		var perp string
		if len(got.Perpetrators) > 0 {
			perp = got.Perpetrators[0].Type
		}
		g := want{got.Type, got.Date.Start, got.Date.End, got.Date.Precision, got.Place.Admin1, got.Place.District, got.Place.GeoPrecision, perp}
		if g != tt.want {
			t.Errorf("%s: got %+v\nwant %+v", p.Code, g, tt.want)
		}
		if got.External.ID != p.Code || got.Fatalities != p.Fatalities || *got.Place.Lat != *p.Place.Lat || *got.Place.Lon != *p.Place.Lon ||
			!slices.Equal(got.Tags, p.Tags) || !strings.HasPrefix(got.NarrativeEN, p.SummaryEN) {
			t.Errorf("%s: read back as %+v", p.Code, got)
		}
	}
}

func tagged(tags ...string) func(*model.Incident) {
	return func(i *model.Incident) { i.Tags = append(i.Tags, tags...) }
}

func dated(start, end, precision string) func(*model.Incident) {
	return func(i *model.Incident) { i.Date = model.Date{Start: start, End: end, Precision: precision} }
}

func TestACLEDColumns(t *testing.T) {
	p := public(t, incident("IQ-2019-0042", "killing", tagged("publish:precise"), func(i *model.Incident) {
		i.Perpetrators = append(i.Perpetrators, model.Perpetrator{Type: "security_forces"})
		i.Victims = append(i.Victims, model.Victim{Role: "activist", Outcome: "killed"}, model.Victim{Role: "media_worker", Outcome: "killed"})
		i.Fatalities = 3
		i.Date = model.Date{Start: "2019-01-01", End: "2019-12-31", Precision: "year", Estimated: true}
	}))
	var b bytes.Buffer
	if _, err := WriteAll(NewACLED(&b, ACLEDOptions{Source: "Example Monitor", SourceScale: "Local"}), slices.Values([]redact.Public{p})); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], importer.ACLEDColumns) {
		t.Fatalf("header %q", recs[0])
	}
	row := map[string]string{}
	for i, c := range recs[0] {
		row[c] = recs[1][i]
	}
	want := map[string]string{
		"event_id_cnty": "IQ-2019-0042", "event_date": "2019-07-02", "year": "2019", "time_precision": "3",
		"disorder_type": "Political violence", "event_type": "Violence against civilians", "sub_event_type": "Attack",
		"actor1": "Unidentified Armed Group (Iraq)", "assoc_actor_1": "Security forces (Iraq)", "inter1": "3",
		"actor2": "Civilians (Iraq)", "assoc_actor_2": "Journalists (Iraq); Activists (Iraq)", "inter2": "7",
		"interaction": "37", "civilian_targeting": "Civilian targeting", "iso": "368", "region": "Middle East",
		"country": "Iraq", "admin1": "Baghdad", "admin2": "Al-Risafa", "admin3": "", "location": "Tahrir Square",
		"latitude": "33.3152", "longitude": "44.3661", "geo_precision": "1", "source": "Example Monitor", "source_scale": "Local",
		"notes":      "Gunmen attacked a journalist. Only the year 2019 is known. The date is estimated.",
		"fatalities": "3", "tags": "public:tishreen", "timestamp": "1583280000",
	}
	for c, v := range want {
		if row[c] != v {
			t.Errorf("%s = %q, want %q", c, row[c], v)
		}
	}
}

func TestInteraction(t *testing.T) {
	for _, c := range []struct {
		a, b int
		want string
	}{{3, 7, "37"}, {7, 1, "17"}, {0, 7, "70"}, {4, 0, "40"}, {0, 0, "0"}, {7, 7, "77"}} {
		if got := interaction(c.a, c.b); got != c.want {
			t.Errorf("interaction(%d, %d) = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}
