package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/model"
)

// SafeCell keeps a spreadsheet program from reading a text cell as a
// formula (=, +, -, @, tab or carriage return first, or their full-width
// forms): it puts an apostrophe before it, which spreadsheet programs
// show as text. A plain number is left as it is. The sheet importer
// takes the apostrophe off again.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, src Source) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	// A byte-order mark makes Excel read the file as UTF-8 (Arabic intact).
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	if err := cw.Write(Header()); err != nil {
		return 0, err
	}
	cells := make([]string, len(columns))
	n := 0
	err := src(func(inc *model.Incident) error {
		row(inc, cells)
		for i, c := range cells {
			cells[i] = SafeCell(c)
		}
		n++
		return cw.Write(cells)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	return n, err
}

// jsonIncident is an incident in rasd's JSON import format
// (docs/import-json.md), less victims: an export can be imported again.
type jsonIncident struct {
	Type         string              `json:"type"`
	Date         model.Date          `json:"date"`
	Place        model.Place         `json:"place"`
	Perpetrators []model.Perpetrator `json:"perpetrators"`
	Fatalities   int                 `json:"fatalities"`
	SummaryEN    string              `json:"summary_en,omitempty"`
	SummaryAR    string              `json:"summary_ar,omitempty"`
	NarrativeEN  string              `json:"narrative_en,omitempty"`
	NarrativeAR  string              `json:"narrative_ar,omitempty"`
	Verification string              `json:"verification"`
	MotiveLink   string              `json:"motive_link,omitempty"`
	Visibility   string              `json:"visibility"`
	Tags         []string            `json:"tags,omitempty"`
	External     *model.External     `json:"external"`
}

func writeJSON(w io.Writer, src Source) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"format": "rasd-incidents", "version": 1, "incidents": [`)
	n := 0
	err := src(func(inc *model.Incident) error {
		ext := inc.External
		if ext == nil { // its code, so that importing the file again updates, not duplicates
			ext = &model.External{System: "rasd", ID: inc.Code}
		}
		b, err := json.Marshal(jsonIncident{Type: inc.Type, Date: inc.Date, Place: inc.Place, Perpetrators: inc.Perpetrators,
			Fatalities: inc.Fatalities, SummaryEN: inc.SummaryEN, SummaryAR: inc.SummaryAR, NarrativeEN: inc.NarrativeEN,
			NarrativeAR: inc.NarrativeAR, Verification: inc.Verification, MotiveLink: inc.MotiveLink,
			Visibility: inc.Visibility, Tags: inc.Tags, External: ext})
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n")
		n++
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return n, err
	}
	bw.WriteString("\n]}\n")
	return n, bw.Flush()
}
