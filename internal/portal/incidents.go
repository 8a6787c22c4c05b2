package portal

import (
	"errors"
	"strings"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/opendata"
	"github.com/rasd-project/rasd/internal/redact"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The open data files, under data/, in the order the data page lists them.
var dataFiles = []struct{ name, format string }{
	{"incidents.csv", "csv"}, {"incidents.json", "json"}, {"incidents.jsonl", "jsonl"},
	{"incidents.geojson", "geojson"}, {"incidents-acled.csv", "acled"},
}

// publicOnly lists public records only.
var publicOnly = store.Visible{Levels: []string{model.VisibilityPublic}}

// incidentData is what an incident's page shows.
type incidentData struct {
	P         *redact.Public
	Title     string // the generated summary, without its full stop
	Summary   string // the published summary in the page's language
	Generated bool   // the summary was generated, not written
}

// listHead heads the incident list and the memorial.
type listHead struct {
	Total, Named int
}

// writeIncidents makes, in one pass over the public incidents (newest
// first), each incident's page in both languages, the incident list, the
// memorial and the open data files.
func (s *site) writeIncidents() error {
	total := 0
	if s.opts.Progress != nil {
		var err error
		if _, total, err = s.st.ListIncidents(s.ctx, store.IncidentFilter{Visible: publicOnly, Limit: 1}); err != nil {
			return err
		}
	}
	files := make([]*file, len(dataFiles))
	writers := make([]opendata.Writer, len(dataFiles))
	for i, d := range dataFiles {
		f, err := s.out.create("data/" + d.name)
		if err != nil {
			return err
		}
		defer f.dst.Close() // after a failure; Close below on success
		files[i] = f
		switch d.format {
		case "csv":
			writers[i] = opendata.NewCSV(f, opendata.CSVOptions{BOM: true})
		case "json":
			writers[i] = opendata.NewJSON(f)
		case "jsonl":
			writers[i] = opendata.NewJSONLines(f)
		case "geojson":
			writers[i] = opendata.NewGeoJSON(f)
		case "acled":
			writers[i] = opendata.NewACLED(f, opendata.ACLEDOptions{})
		}
	}
	data := opendata.Tee(writers...)
	lists, mems := map[string]*paged[*redact.Public]{}, map[string]*paged[redact.Memorial]{}
	for _, l := range Langs {
		lists[l] = newPaged[*redact.Public](s, l, "incidents", "list", s.t(l, "portal.list.title"))
		mems[l] = newPaged[redact.Memorial](s, l, "memorial", "memorial", s.t(l, "portal.memorial.title"))
	}
	pg := &opendata.Pager{Store: s.st, Redact: s.opts.Redact, Sort: "date", Desc: true}
	var err error
	named := 0
	for p, ms := range pg.Published(s.ctx) {
		if err = s.incident(&p, data, lists); err != nil {
			break
		}
		for _, m := range ms {
			if m.NameAR != "" || m.NameLatin != "" {
				named++
			}
			for _, l := range Langs {
				if err = mems[l].add(m); err != nil {
					break
				}
			}
		}
		s.rep.Memorial += len(ms)
		if s.rep.Incidents++; s.opts.Progress != nil {
			s.opts.Progress(s.rep.Incidents, total)
		}
		if err == nil {
			err = s.ctx.Err()
		}
		if err != nil {
			break
		}
	}
	s.rep.Withheld = pg.Withheld
	err = errors.Join(err, pg.Err(), data.Close())
	for _, f := range files {
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		return err
	}
	for i, d := range dataFiles {
		s.dataSizes[d.name] = files[i].bytes
	}
	for _, l := range Langs {
		n, err := lists[l].close(listHead{Total: s.rep.Incidents})
		if err != nil {
			return err
		}
		s.rep.ListPages = n
		if _, err := mems[l].close(listHead{Total: s.rep.Memorial, Named: named}); err != nil {
			return err
		}
	}
	return nil
}

// incident writes one published incident: its pages, its list rows and
// its open data records.
func (s *site) incident(p *redact.Public, data opendata.Writer, lists map[string]*paged[*redact.Public]) error {
	s.published[p.Code] = true
	if p.Place.Admin1 == "" {
		s.countryOnly[p.Code] = true
	}
	if err := data.Write(*p); err != nil {
		return err
	}
	for _, l := range Langs {
		d := incidentData{P: p, Title: strings.TrimSuffix(redact.GeneratedSummary(l, p), "."), Summary: p.SummaryEN, Generated: p.GeneratedEN}
		if locale.Arabic(l) {
			d.Summary, d.Generated = p.SummaryAR, p.GeneratedAR
		}
		if err := s.render(l, incidentFile(p.Code), "incident", p.Code, d); err != nil {
			return err
		}
		if err := lists[l].add(p); err != nil {
			return err
		}
	}
	return nil
}

// GovLink links to a governorate's figure page; "" for a code not in the
// gazetteer.
func (p *page) GovLink(code string) string {
	if _, ok := vocab.Admin1(code); !ok {
		return ""
	}
	return p.L(figureDir("governorate-"+code) + "/index.html")
}
