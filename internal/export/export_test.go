package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/export"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/incidents"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func ptr(f float64) *float64 { return &f }

// sample is a few incidents that use every column.
func sample() []*model.Incident {
	return []*model.Incident{
		{Type: "killing", Date: model.Date{Start: "2019-10-25"}, Fatalities: 2,
			Place:        model.Place{Admin1: "IQ-BG", District: "IQG08Q06", Locality: "Tahrir Square", Lat: ptr(33.3328), Lon: ptr(44.4183), GeoPrecision: "exact"},
			Perpetrators: []model.Perpetrator{{Type: "militia", Group: "=HYPERLINK(\"http://x\")", ModusOperandi: "sniper"}},
			SummaryEN:    "Two protesters were shot.", SummaryAR: "قُتل متظاهران بالرصاص.", NarrativeEN: "-Witnesses said\nshots came from a roof.",
			Verification: "reported", MotiveLink: "confirmed", Visibility: "public", Tags: []string{"tishreen", "protest"}},
		{Type: "kidnapping", Date: model.Date{Start: "2020-02-01", Precision: "month"},
			Place:        model.Place{Lat: ptr(36.335), Lon: ptr(43.1189)}, // derived: Nineveh
			Perpetrators: []model.Perpetrator{{Type: "unknown"}},
			SummaryAR:    "اختطاف ناشط من منزله.", Verification: "reported", Visibility: "internal"},
		{Type: "death_threat", Date: model.Date{Start: "2021-03-01", End: "2021-03-07", Precision: "week", Estimated: true},
			Place:        model.Place{Admin1: "IQ-BA", Locality: "@Zubair"},
			Perpetrators: []model.Perpetrator{{Type: "security_forces"}},
			SummaryEN:    "+A journalist was threatened.", Verification: "reported", Visibility: "internal"},
	}
}

func load(t *testing.T, st store.Store, incs []*model.Incident) {
	t.Helper()
	svc := incidents.New(st, nil)
	_, err := svc.Import(context.Background(), "op", len(incs), func(yield func(*model.Incident) error) error {
		for _, inc := range incs {
			c := *inc
			if err := yield(&c); err != nil {
				return err
			}
		}
		return nil
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
}

func exportAll(t *testing.T, st store.Store, r incidents.Reader, level, format string, f store.IncidentFilter) ([]byte, int) {
	t.Helper()
	var b bytes.Buffer
	svc := incidents.New(st, nil)
	n, err := export.Write(&b, format, func(fn func(*model.Incident) error) error {
		return svc.Each(context.Background(), r, f, level, fn)
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), n
}

func all(t *testing.T, st store.Store) []*model.Incident {
	t.Helper()
	var out []*model.Incident
	err := incidents.New(st, nil).Each(context.Background(), incidents.Operator, store.IncidentFilter{Sort: "date", Asc: true}, "", func(inc *model.Incident) error {
		out = append(out, inc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// roundTripMapping maps an export's own columns back (docs/spreadsheets.md).
const roundTripMapping = `{"format": "rasd-sheet-mapping", "version": 1, "system": "rasd-export",
 "columns": [
  {"column": "code", "field": "external.id"}, {"column": "type", "field": "type"},
  {"column": "date_start", "field": "date.start"}, {"column": "date_end", "field": "date.end"},
  {"column": "date_precision", "field": "date.precision"}, {"column": "date_estimated", "field": "date.estimated"}, {"column": "place_derived", "field": "place.derived"}, {"column": "country", "field": "place.country"},
  {"column": "admin1", "field": "place.admin1"}, {"column": "district", "field": "place.district"},
  {"column": "locality", "field": "place.locality"}, {"column": "lat", "field": "place.lat"}, {"column": "lon", "field": "place.lon"},
  {"column": "geo_precision", "field": "place.geo_precision"}, {"column": "fatalities", "field": "fatalities"},
  {"column": "perpetrator_type", "field": "perpetrator.type"}, {"column": "perpetrator_group", "field": "perpetrator.group"},
  {"column": "perpetrator_modus", "field": "perpetrator.modus"}, {"column": "verification", "field": "verification"},
  {"column": "motive_link", "field": "motive_link"}, {"column": "visibility", "field": "visibility"},
  {"column": "summary_en", "field": "summary_en"}, {"column": "summary_ar", "field": "summary_ar"},
  {"column": "narrative_en", "field": "narrative_en"}, {"column": "narrative_ar", "field": "narrative_ar"},
  {"column": "tags", "field": "tags"}
 ]}`

// comparable is what an export carries of an incident.
func comparable(inc *model.Incident) model.Incident {
	c := *inc
	c.ID, c.Code, c.External, c.Meta, c.Victims = "", "", nil, model.Meta{}, nil
	return c
}

// Export to XLSX, import with a mapping into a new instance: the same
// records, on every pair of backends.
func TestXLSXRoundTrip(t *testing.T) {
	teststores.Each(t, func(t *testing.T, src store.Store) {
		load(t, src, sample())
		data, n := exportAll(t, src, incidents.Operator, "", "xlsx", store.IncidentFilter{Sort: "date", Asc: true})
		if n != 3 {
			t.Fatalf("exported %d", n)
		}
		want := all(t, src)
		teststores.Each(t, func(t *testing.T, dst store.Store) {
			m, err := importer.ReadMapping(strings.NewReader(roundTripMapping))
			if err != nil {
				t.Fatal(err)
			}
			sh, err := importer.OpenSheet(bytes.NewReader(data), "export.xlsx", "xlsx", "")
			if err != nil {
				t.Fatal(err)
			}
			defer sh.Close()
			sf, err := importer.ReadSheet(sh, m, "export.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := incidents.New(dst, nil).Import(context.Background(), "op", sf.Len(), sf.Each, nil, nil); err != nil {
				t.Fatal(err)
			}
			got := all(t, dst)
			if len(got) != len(want) {
				t.Fatalf("%d incidents after the round trip, want %d", len(got), len(want))
			}
			for i := range want {
				w, g := comparable(want[i]), comparable(got[i])
				if wj, gj := mustJSON(w), mustJSON(g); wj != gj {
					t.Errorf("incident %d changed:\n got %s\nwant %s", i+1, gj, wj)
				}
				if got[i].External == nil || got[i].External.ID != want[i].Code {
					t.Errorf("incident %d: external %+v, want the source's code %s", i+1, got[i].External, want[i].Code)
				}
			}
		})
	})
}

// The CSV is formula-safe, labelled in both languages, and only what the
// reader may see.
func TestCSVExport(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		load(t, st, sample())
		data, _ := exportAll(t, st, incidents.Operator, "", "csv", store.IncidentFilter{Sort: "date", Asc: true})
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			t.Error("no byte-order mark")
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		h := recs[0]
		col := func(row int, name string) string { return recs[row][slices.Index(h, name)] }
		if len(recs) != 4 {
			t.Fatalf("%d rows", len(recs))
		}
		for _, c := range []struct {
			row        int
			name, want string
		}{
			{1, "perpetrator_group", `'=HYPERLINK("http://x")`},
			{1, "narrative_en", "'-Witnesses said\nshots came from a roof."},
			{3, "summary_en", "'+A journalist was threatened."},
			{3, "locality", "'@Zubair"},
			{1, "lat", "33.3328"},
			{1, "type_en", "Killing"},
			{1, "admin1_ar", "بغداد"},
			{2, "admin1", "IQ-NI"},
			{2, "place_derived", "yes"},
			{2, "admin1_en", "Nineveh"},
		} {
			if got := col(c.row, c.name); got != c.want && !(c.name == "type_en" && strings.HasPrefix(got, c.want)) {
				t.Errorf("row %d %s = %q, want %q", c.row, c.name, got, c.want)
			}
		}
		if col(1, "type_ar") == "" || col(1, "verification_ar") == "" {
			t.Error("no Arabic labels")
		}
		// A reader keeping only public records gets only the public one; a
		// disabled account gets nothing.
		if _, n := exportAll(t, st, incidents.Operator, model.VisibilityPublic, "csv", store.IncidentFilter{}); n != 1 {
			t.Errorf("public export: %d incidents", n)
		}
		analyst := &model.User{ID: "a", Username: "a", Role: model.RoleAnalyst, Disabled: true}
		if _, n := exportAll(t, st, incidents.As(analyst), "", "json", store.IncidentFilter{}); n != 0 {
			t.Errorf("a disabled account exported %d incidents", n)
		}
		// Filters are the list's.
		if _, n := exportAll(t, st, incidents.Operator, "", "csv", store.IncidentFilter{Admin1: "IQ-BA"}); n != 1 {
			t.Errorf("governorate filter: %d", n)
		}
	})
}

// The JSON export is rasd's import format.
func TestJSONExportImports(t *testing.T) {
	teststores.Each(t, func(t *testing.T, st store.Store) {
		load(t, st, sample())
		data, _ := exportAll(t, st, incidents.Operator, "", "json", store.IncidentFilter{})
		jf, err := importer.ReadJSON(bytes.NewReader(data), "export.json")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		if err := jf.Each(func(*model.Incident) error { n++; return nil }); err != nil || n != 3 {
			t.Fatalf("%d incidents, %v", n, err)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCSVFormulaSafety(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "-12.5": "-12.5", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)",
		"＝1": "'＝1", "\tcmd": "'\tcmd", "plain": "plain", "": "", "+964 770": "'+964 770"} {
		if got := export.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
