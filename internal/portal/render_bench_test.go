package portal

import (
	"io"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/redact"
)

type discard struct{}

func (discard) Create(string) (io.WriteCloser, error) { return nopCloser{io.Discard}, nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// BenchmarkIncidentPage renders one incident page (of the hundreds of
// thousands a large site has) to nowhere.
func BenchmarkIncidentPage(b *testing.B) {
	pages, err := parsePages()
	if err != nil {
		b.Fatal(err)
	}
	s := &site{out: &counter{out: discard{}}, pages: pages, chromes: map[string]chrome{}, opts: Options{Org: "rasd"}}
	lat, lon := 33.3, 44.4
	pub := &redact.Public{Code: "IQ-2020-0001", Type: "killing", Date: redact.Date{Start: "2020-01-02", End: "2020-01-02", Precision: "day"},
		Place:        redact.Place{Country: "IQ", Admin1: "IQ-BG", Admin1EN: "Baghdad", Admin1AR: "بغداد", Lat: &lat, Lon: &lon},
		Perpetrators: []string{"militia"}, VictimCount: 2, Victims: []redact.Victim{{Role: "journalist", Outcome: "killed"}, {Role: "activist", Outcome: "injured", NameLatin: "A B"}},
		SummaryEN: "x", Verification: "verified", Updated: time.Now()}
	d := incidentData{P: pub, Title: "Killing in Baghdad", Summary: "x"}
	for b.Loop() {
		if err := s.render("ar", incidentFile(pub.Code), "incident", pub.Code, d); err != nil {
			b.Fatal(err)
		}
	}
}
