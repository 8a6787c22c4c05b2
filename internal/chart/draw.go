package chart

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rasd-project/rasd/internal/bidi"
	"github.com/rasd-project/rasd/internal/svgenc"
)

// Colours of ink, axes and grid lines (the site's --ink, --muted, --line).
const (
	ink   = "#1d2530"
	muted = "#5b6675"
	grid  = "#d8dde3"
	font  = "'Noto Naskh Arabic','Noto Sans Arabic','Segoe UI',Tahoma,'Noto Sans',sans-serif"
)

// canvas writes SVG laid out left to right; flip mirrors every x, so one
// layout serves both directions. Text anchors are given as the physical
// edge of the text at x in the unflipped layout ('l', 'r' or 'm') and
// turned into start/end for the text's direction.
type canvas struct {
	b    *bytes.Buffer
	w, h float64
	flip bool // mirror the x axis
	rtl  bool // text direction
}

func (c *canvas) x(x float64) float64 {
	if c.flip {
		return c.w - x
	}
	return x
}

// open writes the <svg> element with its title and description.
func (c *canvas) open(id, lang, title, desc string) {
	fmt.Fprintf(c.b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %s %s" width="%s" height="%s" font-family="%s" font-size="12" fill="%s"`,
		id, id, svgenc.Num(c.w), svgenc.Num(c.h), svgenc.Num(c.w), svgenc.Num(c.h), font, ink)
	if lang != "" {
		fmt.Fprintf(c.b, ` lang="%s"`, svgenc.Escape(lang))
	}
	fmt.Fprintf(c.b, `><title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, svgenc.Escape(c.words(title)), id, svgenc.Escape(c.words(desc)))
}

// words isolates the left-to-right runs of right-to-left text (dates,
// ranges, codes) with LRI … PDI: SVG text holds no <bdi> (docs/web.md).
func (c *canvas) words(s string) string {
	if c.rtl {
		return bidi.Isolate(s)
	}
	return s
}

func (c *canvas) close() { c.b.WriteString("</svg>") }

// rect draws a rectangle whose unflipped left edge is at x.
func (c *canvas) rect(x, y, w, h float64, attrs string) {
	if c.flip {
		x = c.w - x - w
	}
	fmt.Fprintf(c.b, `<rect x="%s" y="%s" width="%s" height="%s" %s/>`, svgenc.Num(x), svgenc.Num(y), svgenc.Num(w), svgenc.Num(h), attrs)
}

func (c *canvas) line(x1, y1, x2, y2 float64, attrs string) {
	fmt.Fprintf(c.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" %s/>`, svgenc.Num(c.x(x1)), svgenc.Num(y1), svgenc.Num(c.x(x2)), svgenc.Num(y2), attrs)
}

// text writes s with its edge at (x, y) and its baseline a third of an em
// below y, so y is the text's middle.
func (c *canvas) text(x, y float64, edge byte, s, attrs string) {
	if c.flip && edge != 'm' {
		edge = 'l' + 'r' - edge
	}
	anchor := "middle"
	if edge != 'm' {
		anchor = "start"
		if (edge == 'r') != c.rtl {
			anchor = "end"
		}
	}
	dir := "ltr"
	if c.rtl {
		dir = "rtl"
	}
	if attrs != "" {
		attrs = " " + attrs
	}
	fmt.Fprintf(c.b, `<text x="%s" y="%s" dy="0.35em" text-anchor="%s" direction="%s"%s>%s</text>`,
		svgenc.Num(c.x(x)), svgenc.Num(y), anchor, dir, attrs, svgenc.Escape(c.words(s)))
}

// link opens an <a> for href (or a <g> without one) holding a tooltip;
// the returned func closes it.
func (c *canvas) link(href, tip string) func() {
	tag := "g"
	if h := svgenc.SafeHref(href); h != "" {
		tag = "a"
		fmt.Fprintf(c.b, `<a href="%s" tabindex="-1">`, svgenc.Escape(h))
	} else {
		c.b.WriteString("<g>")
	}
	if tip != "" {
		fmt.Fprintf(c.b, "<title>%s</title>", svgenc.Escape(c.words(tip)))
	}
	return func() { c.b.WriteString("</" + tag + ">") }
}

// heading draws the title above the chart when asked, returning its height.
func (c *canvas) heading(o Options, pad float64) float64 {
	if !o.ShowTitle || o.Title == "" {
		return 0
	}
	c.text(pad, pad+10, 'l', fit(o.Title, 15, c.w-2*pad), `font-size="15" font-weight="bold"`)
	return 26
}

// textWidth estimates the width of s at font size: rasd draws on the
// server and cannot measure, so layouts keep a margin.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.58
}

// fit shortens s with an ellipsis to fit width w (the tooltip and the
// table keep it whole).
func fit(s string, size, w float64) string {
	if textWidth(s, size) <= w {
		return s
	}
	r := []rune(s)
	n := max(int(w/(size*0.58))-1, 1)
	if n >= len(r) {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

// niceStep is a round step (1, 2, 2.5, 5 × 10ⁿ, at least 1) dividing
// [0, max] into about n intervals.
func niceStep(max float64, n int) float64 {
	raw := max / float64(n)
	if raw <= 1 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw && (m != 2.5 || mag >= 10) {
			return m * mag
		}
	}
	return 10 * mag
}

// inkOn is the text colour readable on a fill: black or white, by the
// fill's relative luminance (WCAG).
func inkOn(hex string) string {
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil || len(h) != 6 {
		return "#000000"
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&255) + 0.7152*lin(v>>8&255) + 0.0722*lin(v&255)
	if l > 0.179 {
		return "#000000"
	}
	return "#ffffff"
}

// drawEmpty draws the chart's frame with a "no data" message.
func (c *Chart) drawEmpty(b *bytes.Buffer) {
	w := c.o.width()
	cv := &canvas{b: b, w: w, h: 120, flip: c.o.rtl(), rtl: c.o.rtl()}
	if c.o.ShowTitle && c.o.Title != "" {
		cv.h += 26
	}
	cv.open(c.id(), c.o.Lang, c.title(), c.desc())
	top := cv.heading(c.o, 8)
	cv.rect(8, top+8, w-16, cv.h-top-16, `fill="none" stroke="`+grid+`" stroke-dasharray="4 3"`)
	cv.text(w/2, top+(cv.h-top)/2, 'm', str(c.o.Lang, "nodata"), `font-size="14" fill="`+muted+`" class="chart-nodata"`)
	cv.close()
}
