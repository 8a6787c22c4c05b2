// Package geomap draws a choropleth of Iraq's 18 governorates as SVG on
// the server: no JavaScript, no inline styles, no external references.
//
// The boundaries are OCHA's COD-AB (CSO/ITOS, 2019), simplified once by
// ./gen into boundaries/iraq.json and embedded; their attribution is in
// every map's <desc> and printed under it. Halabja has no polygon in them
// and is drawn as part of Sulaymaniyah. A build without the data file
// draws Tiles, a schematic grid of squares, instead.
//
// Each governorate is filled by its count in one of up to five classes of
// a sequential ColorBrewer OrRd scale (safe for colour-blind readers and
// in greyscale print), zero in white; see classes for the breaks. Like
// the charts, the map is one <svg role="img">: each governorate links to
// its filtered list with tabindex="-1" and has a <title> tooltip, and
// Table gives the same figures and links to keyboard and screen readers.
package geomap

//go:generate go run ./gen -src ../../../shared/data/geo/irq_admbnda_adm1_cso_20190603.geojson -out boundaries/iraq.json

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"sort"
	"sync"

	"github.com/rasd-project/rasd/internal/chart"
	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/svgenc"
	"github.com/rasd-project/rasd/internal/vocab"
)

// Attribution is what the boundaries require wherever they are shown.
const Attribution = "OCHA COD-AB Iraq, CSO/ITOS"

//go:embed boundaries
var files embed.FS

// Options shape a map. The zero value draws an English map without links.
type Options struct {
	Lang         string // a code of internal/locale ("ar", "en", "ckb")
	ArabicDigits bool   // ٠١٢… on maps in Arabic script
	Title        string // <title>, the table's caption
	Desc         string // <desc>, before the attribution; "" = a summary
	ValueName    string // what is counted ("Incidents"): legend heading
	// Link is the href of a governorate's list, given its ISO code; nil
	// or "" draws it without a link.
	Link func(code string) string
	// Breaks are the lower bounds of the classes above zero, ascending,
	// at most five: fixed breaks keep maps of different periods
	// comparable. Nil: quantiles of the counts.
	Breaks    []int
	Labels    bool // names and counts on the map
	ShowTitle bool // also draw Title inside the SVG (standalone files)
	Width     int  // default 560
	ID        string
}

// shape is one governorate of the generated file.
type shape struct {
	Code  string     `json:"code"`
	PCode string     `json:"pcode"`
	D     string     `json:"d"`
	Label [2]float64 `json:"label"`
}

type geometry struct {
	Attribution  string  `json:"attribution"`
	Width        float64 `json:"width"`
	Height       float64 `json:"height"`
	Governorates []shape `json:"governorates"`
}

var pathData = regexp.MustCompile(`^[MLZ0-9 .-]+$`)

// boundaries is the embedded map, or nil if it is missing or unusable.
var boundaries = sync.OnceValue(func() *geometry {
	b, err := files.ReadFile("boundaries/iraq.json")
	if err != nil {
		return nil
	}
	var g geometry
	if json.Unmarshal(b, &g) != nil || g.Width <= 0 || g.Height <= 0 || len(g.Governorates) == 0 {
		return nil
	}
	for _, s := range g.Governorates {
		if !pathData.MatchString(s.D) {
			return nil
		}
	}
	return &g
})

// HasBoundaries reports whether the boundaries are built in; without
// them Render draws Tiles.
func HasBoundaries() bool { return boundaries() != nil }

// place is a governorate's code and name in the map's language.
type place struct{ code, name string }

func places(lang string) []place {
	var out []place
	if g := vocab.GazetteerFor("IQ"); g != nil {
		for _, p := range g.Governorates() {
			out = append(out, place{p.Code, p.Label(lang)})
		}
	}
	return out
}

// Render is the choropleth of values (counts by governorate ISO code,
// e.g. "IQ-BG") as inline SVG.
func Render(values map[string]int, o Options) template.HTML {
	var b bytes.Buffer
	Write(&b, values, o)
	return template.HTML(b.String()) // every text and attribute is escaped
}

// Write writes Render's SVG to w.
func Write(w io.Writer, values map[string]int, o Options) error {
	return write(w, boundaries(), places(o.Lang), values, o)
}

func write(w io.Writer, g *geometry, ps []place, values map[string]int, o Options) error {
	if g == nil {
		return writeTiles(w, ps, values, o)
	}
	var b bytes.Buffer
	s := newSVG(&b, o, values, "map")
	scale := (s.w - 2*pad) / g.Width
	top := pad + s.head()
	cls := classes(counts(ps, values), o.Breaks)
	legY := top + g.Height*scale + 12
	s.h = legY + legendHeight(cls, o, s.w) + 20 + pad
	drawn := map[string]bool{}
	for _, sh := range g.Governorates {
		drawn[sh.Code] = true
	}
	s.open(o.title(), o.desc(ps, drawn, values, cls, false))
	s.heading()
	names := map[string]string{}
	for _, p := range ps {
		names[p.code] = p.name
	}
	fmt.Fprintf(&b, `<g class="governorates" transform="translate(%s %s) scale(%s)" stroke="%s" stroke-linejoin="round">`, svgenc.Num(pad), svgenc.Num(top), svgenc.Num(scale), border)
	for _, sh := range g.Governorates {
		name := names[sh.Code]
		if name == "" {
			name = sh.Code
		}
		v := max(values[sh.Code], 0)
		c := cls.of(v)
		end := s.link(o, sh.Code, name+": "+o.number(v))
		fmt.Fprintf(&b, `<path class="gov" data-code="%s" d="%s" fill="%s" stroke-width="0.75" vector-effect="non-scaling-stroke"/>`, svgenc.Escape(sh.Code), sh.D, c.fill)
		end()
	}
	b.WriteString("</g>")
	if o.Labels {
		// The map is drawn smaller than its 560 units on most screens:
		// Arabic script needs a larger size than Latin to stay readable.
		size := labelSize(o.Lang)
		fmt.Fprintf(&b, `<g class="labels" pointer-events="none" font-size="%s" stroke="#ffffff" stroke-width="3" paint-order="stroke">`, svgenc.Num(size))
		for _, sh := range g.Governorates {
			x, y := pad+sh.Label[0]*scale, top+sh.Label[1]*scale
			s.text(x, y-size*0.45, 'm', names[sh.Code], "")
			s.text(x, y+size*0.75, 'm', o.number(max(values[sh.Code], 0)), `font-weight="bold"`)
		}
		b.WriteString("</g>")
	}
	s.legend(cls, o, legY)
	s.text(pad, s.h-pad-6, 'l', o.word("source")+" \u2066"+Attribution+"\u2069", `font-size="10" fill="`+muted+`" class="attribution"`)
	s.close()
	_, err := w.Write(b.Bytes())
	return err
}

// counts are the values of the places, in their order.
func counts(ps []place, values map[string]int) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = max(values[p.code], 0)
	}
	return out
}

// Table is the map's figures as an HTML table, highest first, with the
// same links: the accessible equivalent to place beside the map.
func Table(values map[string]int, o Options) template.HTML {
	ps := places(o.Lang)
	sort.SliceStable(ps, func(i, j int) bool { return max(values[ps[i].code], 0) > max(values[ps[j].code], 0) })
	var pts []chart.Point
	for _, p := range ps {
		pt := chart.Point{Key: p.code, Label: p.name, Value: values[p.code]}
		if o.Link != nil {
			pt.Href = o.Link(p.code)
		}
		pts = append(pts, pt)
	}
	return chart.Bars(pts, chart.Options{Lang: o.Lang, ArabicDigits: o.ArabicDigits, Title: o.Title,
		CategoryName: o.word("governorate"), ValueName: o.valueName()}).Table()
}

// labelSize is the font size of the governorates' names and counts.
func labelSize(lang string) float64 {
	if locale.ArabicScript(lang) {
		return 14
	}
	return 12
}
