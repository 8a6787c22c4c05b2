package geomap

import (
	"bytes"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/svgenc"
)

// grid places each governorate in a rough geographic grid, north up and
// west left (5 columns, 6 rows), as tile maps do. Geography is not
// mirrored in Arabic.
var grid = map[string][2]int{
	"IQ-DA": {1, 0}, "IQ-AR": {2, 0},
	"IQ-NI": {1, 1}, "IQ-KI": {2, 1}, "IQ-SU": {3, 1},
	"IQ-AN": {0, 2}, "IQ-SD": {1, 2}, "IQ-BG": {2, 2}, "IQ-DI": {3, 2},
	"IQ-KA": {1, 3}, "IQ-BB": {2, 3}, "IQ-WA": {3, 3},
	"IQ-NA": {1, 4}, "IQ-QA": {2, 4}, "IQ-DQ": {3, 4}, "IQ-MA": {4, 4},
	"IQ-MU": {2, 5}, "IQ-BA": {3, 5},
}

// Tiles is the fallback map: a labelled grid of squares, one per
// governorate, filled like Render's and linked the same way.
func Tiles(values map[string]int, o Options) template.HTML {
	var b bytes.Buffer
	WriteTiles(&b, values, o)
	return template.HTML(b.String()) // every text and attribute is escaped
}

// WriteTiles writes Tiles's SVG to w.
func WriteTiles(w io.Writer, values map[string]int, o Options) error {
	return writeTiles(w, places(o.Lang), values, o)
}

func writeTiles(w io.Writer, ps []place, values map[string]int, o Options) error {
	var b bytes.Buffer
	s := newSVG(&b, o, values, "tiles")
	const cols, rows, gap = 5, 6, 4.0
	tile := min((s.w-2*pad-(cols-1)*gap)/cols, 84)
	left := (s.w - cols*tile - (cols-1)*gap) / 2
	top := pad + s.head()
	cls := classes(counts(ps, values), o.Breaks)
	extra := 0 // a customised gazetteer's other governorates: rows below
	for _, p := range ps {
		if _, ok := grid[p.code]; !ok {
			extra++
		}
	}
	legY := top + float64(rows+(extra+cols-1)/cols)*(tile+gap) + 8
	s.h = legY + legendHeight(cls, o, s.w) + 20 + pad
	drawn := map[string]bool{}
	for _, p := range ps {
		drawn[p.code] = true
	}
	s.open(o.title(), o.desc(ps, drawn, values, cls, true))
	s.heading()
	b.WriteString(`<g class="tiles">`)
	extra = 0
	for _, p := range ps {
		cell, ok := grid[p.code]
		if !ok {
			cell = [2]int{extra % cols, rows + extra/cols}
			extra++
		}
		x := left + float64(cell[0])*(tile+gap)
		y := top + float64(cell[1])*(tile+gap)
		v := max(values[p.code], 0)
		c := cls.of(v)
		end := s.link(o, p.code, p.name+": "+o.number(v))
		b.WriteString(`<rect class="gov" data-code="` + svgenc.Escape(p.code) + `" x="` + svgenc.Num(x) + `" y="` + svgenc.Num(y) + `" width="` + svgenc.Num(tile) + `" height="` + svgenc.Num(tile) +
			`" fill="` + c.fill + `" stroke="` + border + `" stroke-width="0.75"/>`)
		fs := min(11, (tile-6)/(0.58*float64(max(utf8.RuneCountInString(p.name), 1))))
		name := p.name
		if fs < 7 {
			fs, name = 7, clip(name, int((tile-6)/(7*0.58)))
		}
		s.text(x+tile/2, y+tile*0.36, 'm', name, `font-size="`+svgenc.Num(fs)+`" fill="`+c.ink+`"`)
		s.text(x+tile/2, y+tile*0.66, 'm', o.number(v), `font-size="13" font-weight="bold" fill="`+c.ink+`"`)
		end()
	}
	b.WriteString("</g>")
	s.legend(cls, o, legY)
	s.text(pad, s.h-pad-6, 'l', o.word("note"), `font-size="10" fill="`+muted+`" class="note"`)
	s.close()
	_, err := w.Write(b.Bytes())
	return err
}

// clip cuts s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if n < 2 || len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
