package chart

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"

	"github.com/rasd-project/rasd/internal/locale"
	"github.com/rasd-project/rasd/internal/svgenc"
)

// period is a TimeSeries key: a month (m 1–12) or a year (m 0).
type period struct {
	y, m int
	pt   Point
}

func parsePeriod(k string) (period, bool) {
	ys, ms, monthly := strings.Cut(k, "-")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 || y < 1 {
		return period{}, false
	}
	if !monthly {
		return period{y: y}, true
	}
	m, err := strconv.Atoi(ms)
	if err != nil || len(ms) != 2 || m < 1 || m > 12 {
		return period{}, false
	}
	return period{y: y, m: m}, true
}

func (p period) index() int { return p.y*12 + max(p.m-1, 0) }

// fill sorts periods, adds repeated ones together and inserts the missing
// ones with zero, so that time is drawn to scale. Years and months mixed,
// or a span over a century, are only sorted.
func fill(ps []period) []period {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].index() < ps[j].index() })
	var out []period
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].y == p.y && out[n-1].m == p.m {
			out[n-1].pt.Value += p.pt.Value
			continue
		}
		out = append(out, p)
	}
	step := 12
	for _, p := range out {
		if (p.m == 0) != (out[0].m == 0) {
			return out
		}
		if p.m != 0 {
			step = 1
		}
	}
	first, last := out[0].index(), out[len(out)-1].index()
	if (last-first)/step > 1200 {
		return out
	}
	var full []period
	for i, k := 0, first; k <= last; k += step {
		if i < len(out) && out[i].index() == k {
			full = append(full, out[i])
			i++
			continue
		}
		p := period{y: k / 12}
		if step == 1 {
			p.m = k%12 + 1
		}
		full = append(full, p)
	}
	return full
}

// periods turns TimeSeries points into rows: a run of period keys sorted,
// gaps filled with zeros, labelled with month names; other keys as given.
func periods(points []Point, o Options) []row {
	var ps []period
	for _, p := range points {
		pe, ok := parsePeriod(p.Key)
		if !ok {
			ps = nil
			break
		}
		pe.pt = p
		ps = append(ps, pe)
	}
	var rows []row
	if len(ps) == 0 || len(ps) != len(points) {
		for _, p := range points {
			l := p.Label
			if l == "" {
				l = p.Key
			}
			rows = append(rows, row{label: l, axis: l, vals: []int{max(p.Value, 0)}, href: p.Href, hrefs: []string{p.Href}})
		}
		return rows
	}
	for _, pe := range fill(ps) {
		r := row{year: o.digits(strconv.Itoa(pe.y)), month: pe.m, vals: []int{max(pe.pt.Value, 0)}, href: pe.pt.Href}
		r.hrefs = []string{r.href}
		switch {
		case pe.m == 0:
			r.label, r.axis = r.year, r.year
		default:
			r.label = i18n.Month(o.Lang, pe.m) + " " + r.year
			r.axis = shortMonth(o.Lang, pe.m)
		}
		if pe.pt.Label != "" {
			r.label, r.axis = pe.pt.Label, pe.pt.Label
		}
		rows = append(rows, r)
	}
	return rows
}

// shortMonth is the axis label of a month: "Mar"; names in Arabic script
// are short enough whole (and a cut one would be no word).
func shortMonth(lang string, m int) string {
	n := i18n.Month(lang, m)
	if locale.ArabicScript(lang) {
		return n
	}
	return strings.TrimSpace(string([]rune(n)[:3]))
}

// drawTime draws a TimeSeries: value grid and axis on the start side,
// periods along the bottom (months, and the year at each January).
func (c *Chart) drawTime(b *bytes.Buffer) {
	o := c.o
	w, h := o.width(), 300.0
	if o.Height > 0 {
		h = float64(o.Height)
	}
	cv := &canvas{b: b, w: w, h: h, flip: o.rtl() && !o.TimeLTR, rtl: o.rtl()}
	cv.open(c.id(), o.Lang, c.title(), c.desc())
	top := pad + cv.heading(o, pad) + 14
	step := niceStep(float64(c.max()), 4)
	topV := math.Ceil(float64(c.max())/step) * step
	plotX := pad + textWidth(o.Number(int(topV)), 11) + 10
	plotW := w - plotX - pad
	plotH := max(h-top-36-pad, 20)
	y0 := top + plotH
	for v := 0.0; v <= topV; v += step {
		y := y0 - v/topV*plotH
		cv.line(plotX, y, plotX+plotW, y, `stroke="`+grid+`"`)
		cv.text(plotX-6, y, 'r', o.Number(int(v)), `font-size="11" fill="`+muted+`"`)
	}
	slot := plotW / float64(len(c.rows))
	c.drawPeriods(cv, plotX, y0, slot)

	vfs := 10.0
	showValues := textWidth(o.Number(c.max()), vfs)+2 <= slot
	colour := o.colour(0)
	var pts []string
	for i, r := range c.rows {
		v := r.vals[0]
		cx := plotX + (float64(i)+0.5)*slot
		y := y0 - float64(v)/topV*plotH
		if o.Line {
			pts = append(pts, svgenc.Num(cv.x(cx))+","+svgenc.Num(y))
			continue
		}
		if v == 0 {
			continue
		}
		end := cv.link(r.href, o.tip(r.label, "", r.vals[0]))
		cw := slot * 0.7
		cv.rect(cx-cw/2, y, cw, y0-y, `class="bar" fill="`+colour+`" stroke="`+ink+`" stroke-width="0.5"`)
		if showValues {
			cv.text(cx, y-7, 'm', o.Number(v), `class="value" font-size="10"`)
		}
		end()
	}
	if o.Line {
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"/>`, strings.Join(pts, " "), colour)
		for i, r := range c.rows {
			v := r.vals[0]
			cx := plotX + (float64(i)+0.5)*slot
			y := y0 - float64(v)/topV*plotH
			end := cv.link(r.href, o.tip(r.label, "", r.vals[0]))
			fmt.Fprintf(b, `<circle class="point" cx="%s" cy="%s" r="3.5" fill="#ffffff" stroke="%s" stroke-width="2"/>`, svgenc.Num(cv.x(cx)), svgenc.Num(y), colour)
			if showValues && v > 0 {
				cv.text(cx, y-10, 'm', o.Number(v), `class="value" font-size="10" stroke="#ffffff" stroke-width="3" paint-order="stroke"`)
			}
			end()
		}
	}
	cv.line(plotX, y0, plotX+plotW, y0, `stroke="`+ink+`"`)
	cv.close()
}

// drawPeriods labels the time axis: months as often as they fit (every
// 1, 2, 3, 4 or 6 months), years at each January and the first
// period; other periods as often as they fit.
func (c *Chart) drawPeriods(cv *canvas, plotX, y0, slot float64) {
	const fs = 11.0
	widest := 0.0
	for _, r := range c.rows {
		widest = max(widest, textWidth(r.axis, fs))
	}
	attr := `font-size="11"`
	if c.rows[0].month == 0 {
		every := int(math.Ceil((widest + 8) / slot))
		for i, r := range c.rows {
			if i%every == 0 {
				cv.text(plotX+(float64(i)+0.5)*slot, y0+12, 'm', r.axis, attr)
			}
		}
		return
	}
	every := 0
	for _, s := range []int{1, 2, 3, 4, 6} { // yearly: the years say it
		if float64(s)*slot >= widest+8 {
			every = s
			break
		}
	}
	yearY := y0 + 28
	if every == 0 {
		yearY = y0 + 12
	}
	yw := textWidth("0000", fs) + 8
	next := math.Inf(-1) // where the next year label may start
	for i, r := range c.rows {
		x := plotX + float64(i)*slot
		if every > 0 && (r.month-1)%every == 0 {
			hw := textWidth(r.axis, fs)/2 + 1 // keep it inside the chart
			cv.text(min(max(x+slot/2, hw), cv.w-hw), y0+12, 'm', r.axis, attr)
		}
		first := i == 0 && (r.month == 1 || float64(13-r.month)*slot >= yw)
		if (first || r.month == 1) && x >= next {
			cv.line(x, y0, x, y0+4, `stroke="`+muted+`"`) // a tick, and a rule by the year
			cv.line(x, yearY-7, x, yearY+8, `stroke="`+muted+`"`)
			cv.text(min(x+3, cv.w-yw), yearY, 'l', r.year, attr+` font-weight="bold"`)
			next = x + yw
		}
	}
}
