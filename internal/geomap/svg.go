package geomap

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"regexp"
	"sort"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/svgenc"
)

const (
	pad    = 8.0
	ink    = "#1d2530"
	muted  = "#5b6675"
	border = "#4a5563"
	font   = "'Noto Naskh Arabic','Noto Sans Arabic','Segoe UI',Tahoma,'Noto Sans',sans-serif"
)

// svg writes one map. Geography is never mirrored; the title, legend and
// notes are laid out from the reading start: in Arabic from the right.
type svg struct {
	b    *bytes.Buffer
	w, h float64
	rtl  bool
	id   string
	o    Options
}

func newSVG(b *bytes.Buffer, o Options, values map[string]int, kind string) *svg {
	w := 560.0
	if o.Width > 0 {
		w = float64(o.Width)
	}
	return &svg{b: b, w: w, rtl: locale.RTL(o.Lang), id: o.id(kind, values), o: o}
}

func (s *svg) open(title, desc string) {
	fmt.Fprintf(s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %s %s" width="%s" height="%s" font-family="%s" font-size="12" fill="%s" lang="%s">`,
		s.id, s.id, svgenc.Num(s.w), svgenc.Num(s.h), svgenc.Num(s.w), svgenc.Num(s.h), font, ink, locale.Or(s.o.Lang))
	fmt.Fprintf(s.b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, s.id, svgenc.Escape(title), s.id, svgenc.Escape(desc))
}

func (s *svg) close() { s.b.WriteString("</svg>") }

// head is the height of the visible title, if drawn.
func (s *svg) head() float64 {
	if s.o.ShowTitle && s.o.Title != "" {
		return 26
	}
	return 0
}

// heading draws the title at the top, when asked.
func (s *svg) heading() {
	if s.head() > 0 {
		s.text(pad, pad+10, 'l', s.o.Title, `font-size="15" font-weight="bold"`)
	}
}

// text writes str with its physical edge ('l', 'r', 'm') at x, y being
// its middle; in Arabic x and edges are mirrored unless edge is 'm'.
func (s *svg) text(x, y float64, edge byte, str, attrs string) {
	anchor, dir := "middle", "ltr"
	if s.rtl {
		dir = "rtl"
	}
	if edge != 'm' {
		if s.rtl {
			x, edge = s.w-x, 'l'+'r'-edge
		}
		anchor = "start"
		if (edge == 'r') != s.rtl {
			anchor = "end"
		}
	}
	if attrs != "" {
		attrs = " " + attrs
	}
	fmt.Fprintf(s.b, `<text x="%s" y="%s" dy="0.35em" text-anchor="%s" direction="%s"%s>%s</text>`, svgenc.Num(x), svgenc.Num(y), anchor, dir, attrs, svgenc.Escape(str))
}

// rect draws a rectangle from the reading start: mirrored in Arabic.
func (s *svg) rect(x, y, w, h float64, attrs string) {
	if s.rtl {
		x = s.w - x - w
	}
	fmt.Fprintf(s.b, `<rect x="%s" y="%s" width="%s" height="%s" %s/>`, svgenc.Num(x), svgenc.Num(y), svgenc.Num(w), svgenc.Num(h), attrs)
}

// link opens a governorate's <a> (or <g>) with its tooltip.
func (s *svg) link(o Options, code, tip string) func() {
	href := ""
	if o.Link != nil {
		href = svgenc.SafeHref(o.Link(code))
	}
	tag := "g"
	if href != "" {
		tag = "a"
		fmt.Fprintf(s.b, `<a href="%s" tabindex="-1">`, svgenc.Escape(href))
	} else {
		s.b.WriteString("<g>")
	}
	fmt.Fprintf(s.b, "<title>%s</title>", svgenc.Escape(tip))
	return func() { s.b.WriteString("</" + tag + ">") }
}

type legendItem struct {
	x, y  float64
	label string
	c     class
}

// legendLayout places the heading's swatches in reading order from y,
// wrapping at the width, and returns them and the legend's height.
func legendLayout(cls classList, o Options, w float64) ([]legendItem, float64) {
	var items []legendItem
	x, y := pad, 20.0
	for _, c := range cls {
		l := c.label(o)
		iw := 22 + float64(utf8.RuneCountInString(l))*12*0.58 + 14
		if x > pad && x+iw > w-pad {
			x, y = pad, y+20
		}
		items = append(items, legendItem{x: x, y: y, label: l, c: c})
		x += iw
	}
	return items, y + 12
}

func legendHeight(cls classList, o Options, w float64) float64 {
	_, h := legendLayout(cls, o, w)
	return h
}

func (s *svg) legend(cls classList, o Options, y float64) {
	items, _ := legendLayout(cls, o, s.w)
	s.b.WriteString(`<g class="legend">`)
	s.text(pad, y+6, 'l', o.valueName(), `font-weight="bold"`)
	for _, it := range items {
		s.rect(it.x, y+it.y, 16, 12, `fill="`+it.c.fill+`" stroke="`+border+`" stroke-width="0.75"`)
		s.text(it.x+22, y+it.y+6, 'l', it.label, "")
	}
	s.b.WriteString("</g>")
}

var idChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// id is Options.ID made safe, or a hash of the map's content, so maps on
// one page have distinct ids and output is deterministic.
func (o Options) id(kind string, values map[string]int) string {
	if s := idChars.ReplaceAllString(o.ID, ""); s != "" {
		return s
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := fnv.New32a()
	fmt.Fprint(h, kind, o.Lang, o.ArabicDigits, o.Title, o.Desc, o.ValueName, o.Labels, o.Breaks)
	for _, k := range keys {
		fmt.Fprint(h, k, values[k])
	}
	return fmt.Sprintf("%s-%08x", kind, h.Sum32())
}
