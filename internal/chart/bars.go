package chart

import (
	"bytes"
	"fmt"
	"strconv"
)

// Layout of bar charts, in user units.
const (
	pad      = 8.0
	labelFS  = 13.0
	valueFS  = 12.0
	rowPitch = 28.0
)

// drawBars draws Bars and StackedBars: one horizontal bar per row, the
// category labels at the start side, values at the bar's end.
func (c *Chart) drawBars(b *bytes.Buffer) {
	o := c.o
	w := o.width()
	stacked := c.kind == kindStacked
	lw := 0.0
	for _, r := range c.rows {
		lw = max(lw, textWidth(r.label, labelFS))
	}
	lw = min(lw, w*0.35) + 10
	vw := textWidth(o.Number(c.max()), valueFS) + 10
	plotX := pad + lw
	plotW := max(w-plotX-vw-pad, 10)

	cv := &canvas{b: b, w: w, flip: o.rtl(), rtl: o.rtl()}
	head := 0.0
	if o.ShowTitle && o.Title != "" {
		head = 26
	}
	var leg []legendItem
	legH := 0.0
	if stacked {
		leg, legH = c.legend(w)
	}
	top := pad + head + legH
	n := float64(len(c.rows))
	pitch := rowPitch
	if o.Height > 0 {
		pitch = min(max((float64(o.Height)-top-pad)/n, 14), 60)
	}
	barH := pitch * 0.68
	cv.h = top + n*pitch + pad
	cv.open(c.id(), o.Lang, c.title(), c.desc())
	var fills []string
	if stacked {
		fills = c.patterns(b)
	}
	cv.heading(o, pad)
	for _, it := range leg {
		cv.rect(it.x, pad+head+it.y, 12, 12, `fill="`+fills[it.series]+`" stroke="`+ink+`" stroke-width="0.5"`)
		cv.text(it.x+16, pad+head+it.y+6, 'l', it.label, "")
	}

	scale := plotW / float64(c.max())
	for i, r := range c.rows {
		cy := top + float64(i)*pitch + pitch/2
		by := cy - barH/2
		label := fit(r.label, labelFS, lw-10)
		if !stacked {
			v := r.vals[0]
			bw := float64(v) * scale
			end := cv.link(r.href, o.tip(r.label, "", r.vals[0]))
			cv.text(plotX-6, cy, 'r', label, `font-size="13"`)
			if bw > 0 {
				cv.rect(plotX, by, bw, barH, `class="bar" fill="`+o.colour(0)+`" stroke="`+ink+`" stroke-width="0.5"`)
			}
			cv.text(plotX+bw+4, cy, 'l', o.Number(r.vals[0]), `class="value"`)
			end()
			continue
		}
		t := r.total()
		end := cv.link(r.href, o.tip(r.label, "", t))
		cv.text(plotX-6, cy, 'r', label, `font-size="13"`)
		cv.text(plotX+float64(t)*scale+4, cy, 'l', o.Number(t), `class="value" font-weight="bold"`)
		end()
		x := plotX
		for j, v := range r.vals {
			if v <= 0 {
				continue
			}
			sw := float64(v) * scale
			fill := o.colour(j)
			end := cv.link(r.hrefs[j], o.tip(r.label, c.series[j], v))
			cv.rect(x, by, sw, barH, `class="bar" data-series="`+strconv.Itoa(j)+`" fill="`+fills[j]+`" stroke="`+ink+`" stroke-width="0.5"`)
			if s := o.Number(v); textWidth(s, 11)+10 <= sw { // on a pad of the fill, over the hatching
				cv.text(x+sw/2, cy, 'm', s, `font-size="11" fill="`+inkOn(fill)+`" stroke="`+fill+`" stroke-width="4" paint-order="stroke"`)
			}
			end()
			x += sw
		}
	}
	cv.line(plotX, top, plotX, top+n*pitch, `stroke="`+ink+`"`)
	cv.close()
}

type legendItem struct {
	x, y   float64
	series int
	label  string
}

// legend lays out the series' swatches in reading order, wrapping at the
// chart's width; it returns the items and the legend's height.
func (c *Chart) legend(w float64) ([]legendItem, float64) {
	var items []legendItem
	x, y := pad, 0.0
	for j, s := range c.series {
		s = fit(s, 12, w/2)
		iw := 16 + textWidth(s, 12) + 14
		if x > pad && x+iw > w-pad {
			x, y = pad, y+20
		}
		items = append(items, legendItem{x: x, y: y, series: j, label: s})
		x += iw
	}
	if len(items) == 0 {
		return nil, 0
	}
	return items, y + 26
}

// hatches are the marks over each series' colour in StackedBars, so
// series stay apart in greyscale print: none, /, dots, -, \, |, #, ×.
var hatches = []string{"",
	`<path d="M-2 2L2 -2M0 8L8 0M6 10L10 6" stroke-width="1.2"/>`,
	`<circle cx="4" cy="4" r="1.4" stroke="none"/>`,
	`<path d="M0 4H8" stroke-width="1.4"/>`,
	`<path d="M-2 6L2 10M0 0L8 8M6 -2L10 2" stroke-width="1.2"/>`,
	`<path d="M4 0V8" stroke-width="1.4"/>`,
	`<path d="M0 4H8M4 0V8" stroke-width="1"/>`,
	`<path d="M0 0L8 8M8 0L0 8" stroke-width="1"/>`,
}

// patterns writes the series' fills as <pattern>s (colour and hatching)
// and returns their references.
func (c *Chart) patterns(b *bytes.Buffer) []string {
	fills := make([]string, len(c.series))
	b.WriteString("<defs>")
	for j := range c.series {
		col, h := c.o.colour(j), hatches[j%len(hatches)]
		if h == "" {
			fills[j] = col
			continue
		}
		id := c.id() + "-p" + strconv.Itoa(j)
		mark := inkOn(col)
		fmt.Fprintf(b, `<pattern id="%s" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="%s"/><g stroke="%s" fill="%s" opacity="0.45">%s</g></pattern>`, id, col, mark, mark, h)
		fills[j] = "url(#" + id + ")"
	}
	b.WriteString("</defs>")
	return fills
}
