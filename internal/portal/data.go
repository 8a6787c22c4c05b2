package portal

import (
	"fmt"
	"io"
	"strings"

	"github.com/rasd-project/rasd/internal/geomap"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/opendata"
	"github.com/rasd-project/rasd/internal/vocab"
)

// The data dictionaries, under data/: one CSV per format, and the three
// formats in Markdown per language.
var dictionaries = []struct{ name, format string }{
	{"data-dictionary.csv", opendata.FormatCSV},
	{"data-dictionary-json.csv", opendata.FormatJSON},
	{"data-dictionary-acled.csv", opendata.FormatACLED},
}

// download is one file on the data page.
type download struct {
	Name, Href, Desc string
	Size             string
}

// dataData is the data page of one language.
type dataData struct {
	Files, Dictionaries []download
	Records             int
	Boundaries          string
}

func (s *site) t(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }

// writeData writes the data dictionaries and the page describing the
// downloads (the data files themselves are written with the incidents).
func (s *site) writeData() error {
	for _, d := range dictionaries {
		n, err := s.out.write("data/"+d.name, func(w io.Writer) error {
			return opendata.WriteDictionaryCSV(w, d.format, opendata.CSVOptions{BOM: true})
		})
		if err != nil {
			return err
		}
		s.dataSizes[d.name] = n
	}
	for _, l := range Langs {
		name := "data-dictionary." + l + ".md"
		n, err := s.out.write("data/"+name, func(w io.Writer) error {
			for i, format := range []string{opendata.FormatCSV, opendata.FormatJSON, opendata.FormatACLED} {
				if i > 0 {
					io.WriteString(w, "\n")
				}
				if err := opendata.WriteDictionaryMarkdown(w, format, l); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		s.dataSizes[name] = n
	}
	for _, l := range Langs {
		p := s.page(l, "data.html")
		d := dataData{Records: s.rep.Incidents, Boundaries: geomap.Attribution}
		for _, f := range dataFiles {
			d.Files = append(d.Files, s.download(p, f.name, "portal.data.file."+f.format))
		}
		for _, f := range dictionaries {
			d.Dictionaries = append(d.Dictionaries, s.download(p, f.name, "portal.data.dict."+f.format))
		}
		for _, ml := range Langs {
			d.Dictionaries = append(d.Dictionaries, s.download(p, "data-dictionary."+ml+".md", "portal.data.dict.md."+ml))
		}
		if err := s.render(l, "data.html", "data", s.t(l, "portal.data.title"), d); err != nil {
			return err
		}
	}
	return nil
}

func (s *site) download(p *page, name, desc string) download {
	return download{Name: name, Href: p.Site("data/" + name), Desc: p.T(desc), Size: p.digits(size(p.Lang, s.dataSizes[name]))}
}

// size writes a file size in kB or MB.
func size(lang string, n int64) string {
	unit, v := "portal.size.kb", float64(n)/1e3
	if n >= 1e6 {
		unit, v = "portal.size.mb", float64(n)/1e6
	}
	num := fmt.Sprintf("%.1f", v)
	if locale.ArabicScript(lang) {
		num = strings.Replace(num, ".", "٫", 1)
	}
	return i18n.T(lang, unit, num)
}

// writeStatic writes the stylesheet and the root page, which links to
// both languages and chooses neither.
func (s *site) writeStatic() error {
	css, err := assets.ReadFile("static/portal.css")
	if err != nil {
		return err
	}
	if _, err := s.out.write("portal.css", func(w io.Writer) error { _, err := w.Write(css); return err }); err != nil {
		return err
	}
	var langs []rootLang
	for _, l := range Langs {
		langs = append(langs, rootLang{Lang: l, Dir: locale.Dir(l), Href: l + "/index.html", Name: s.t(l, "portal.lang.name"),
			Title: s.t(l, "portal.home.title"), Intro: s.t(l, "portal.root.intro")})
	}
	_, err = s.out.write("index.html", func(w io.Writer) error {
		return s.pages["root"].ExecuteTemplate(w, "root.html", map[string]any{"Org": s.opts.Org, "Langs": langs})
	})
	return err
}

// rootLang is one language offered by the root page.
type rootLang struct{ Lang, Dir, Href, Name, Title, Intro string }

// writeMethodology writes the methodology page of each language; its
// text is the page's own template (templates/methodology.LANG.html).
func (s *site) writeMethodology() error {
	for _, l := range Langs {
		pg := &page{Lang: l}
		var types []string
		for _, code := range vocab.Get(vocab.IncidentType).Codes() {
			types = append(types, pg.Label(vocab.IncidentType, code))
		}
		d := map[string]any{"Threshold": s.threshold(l), "Since": s.digits(l, i18n.Date(l, Since2019, "day")),
			"Boundaries": geomap.Attribution, "Types": strings.Join(types, pg.T("portal.sep"))}
		if err := s.render(l, "methodology.html", "methodology."+l, s.t(l, "portal.method.title"), d); err != nil {
			return err
		}
	}
	return nil
}

// threshold names the least verification status counted.
func (s *site) threshold(l string) string {
	t := s.opts.Threshold
	if t == "" {
		t = "corroborated"
	}
	return (&page{Lang: l}).Label("verification_status", t)
}
