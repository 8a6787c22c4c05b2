package geomap

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rasd-project/rasd/internal/chart"
	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
)

// class is a range of counts and its colours; hi < 0 is open-ended.
type class struct {
	lo, hi    int
	fill, ink string
}

type classList []class

// zero is the class of governorates with nothing counted: paper white,
// outlined.
var zero = class{fill: "#ffffff", ink: ink}

// scale is ColorBrewer's OrRd, its five darkest of six steps, so that the
// lightest class stands apart from white paper; ink is the label colour
// readable on each (WCAG relative luminance).
var scale = [5]class{
	{fill: "#fdd49e", ink: "#000000"},
	{fill: "#fdbb84", ink: "#000000"},
	{fill: "#fc8d59", ink: "#000000"},
	{fill: "#e34a33", ink: "#000000"},
	{fill: "#b30000", ink: "#ffffff"},
}

// classes splits the counts above zero into at most five classes, after
// the class of zero. With breaks (lower bounds, ascending) the classes
// are fixed and the last is open-ended ("500+"), a first bound above 1
// getting a class below it. Without, the bounds are quantiles of the
// counts above zero, so that each class holds about a fifth of the
// governorates that have any (with 18 governorates a quantile map shows
// differences an equal-interval map would hide behind one outlier, and
// the legend states each range); equal counts never straddle a bound, so
// few distinct counts give fewer classes.
func classes(counts []int, breaks []int) classList {
	var pos []int
	for _, v := range counts {
		if v > 0 {
			pos = append(pos, v)
		}
	}
	sort.Ints(pos)
	lows, open := []int{}, len(breaks) > 0
	if open {
		for _, b := range breaks {
			if b >= 1 && (len(lows) == 0 || b > lows[len(lows)-1]) {
				lows = append(lows, b)
			}
		}
		if len(lows) > 0 && lows[0] > 1 {
			lows = append([]int{1}, lows...)
		}
	} else if n := len(pos); n > 0 {
		lows = append(lows, 1) // the first class starts at 1, not at pos[0]
		for k, last := 1, pos[0]; k < 5; k++ {
			if v := pos[k*n/5]; v > last {
				lows, last = append(lows, v), v
			}
		}
	}
	lows = lows[:min(len(lows), 5)]
	cls := classList{zero}
	spread := [][]int{nil, {2}, {1, 4}, {0, 2, 4}, {0, 1, 3, 4}, {0, 1, 2, 3, 4}}[len(lows)]
	for i, lo := range lows {
		c := scale[spread[i]]
		c.lo, c.hi = lo, -1
		switch {
		case i+1 < len(lows):
			c.hi = lows[i+1] - 1
		case !open:
			c.hi = pos[len(pos)-1]
		}
		cls = append(cls, c)
	}
	return cls
}

// of is the class of count v.
func (cls classList) of(v int) class {
	for i := len(cls) - 1; i > 0; i-- {
		if v >= cls[i].lo {
			return cls[i]
		}
	}
	return cls[0]
}

// label is the range of a class as the legend writes it.
func (c class) label(o Options) string {
	switch {
	case c.hi < 0:
		return fmt.Sprintf(o.word("open"), o.number(c.lo))
	case c.lo == c.hi:
		return o.number(c.lo)
	}
	r := o.number(c.lo) + "–" + o.number(c.hi)
	if locale.Dir(o.Lang) == "rtl" {
		r = "\u2066" + r + "\u2069" // isolated left to right: "1–144", not "144–1" (docs/web.md)
	}
	return r
}

func (o Options) number(n int) string {
	return chart.Options{Lang: o.Lang, ArabicDigits: o.ArabicDigits}.Number(n)
}

// word is one of the map's few words ("map.KEY" in the i18n catalogues).
func (o Options) word(k string) string { return i18n.T(o.Lang, "map."+k) }

func (o Options) title() string {
	if o.Title != "" {
		return o.Title
	}
	return o.word("title")
}

func (o Options) valueName() string {
	if o.ValueName != "" {
		return o.ValueName
	}
	return o.word("count")
}

// desc is Options.Desc or a summary, then the count of what is not drawn
// and, for the boundary map, the attribution.
func (o Options) desc(ps []place, drawn map[string]bool, values map[string]int, cls classList, tiles bool) string {
	var b strings.Builder
	if o.Desc != "" {
		b.WriteString(o.Desc)
	} else {
		var ranges []string
		for _, c := range cls {
			ranges = append(ranges, c.label(o))
		}
		k := "map"
		if tiles {
			k = "tiles"
		}
		sep := i18n.T(o.Lang, "chart.sep")
		fmt.Fprintf(&b, o.word(k), o.number(len(ps)), o.valueName(), o.number(len(cls)), strings.Join(ranges, sep))
		top := -1
		for i, p := range ps {
			if v := values[p.code]; v > 0 && (top < 0 || v > values[ps[top].code]) {
				top = i
			}
		}
		if top >= 0 {
			fmt.Fprintf(&b, o.word("highest"), ps[top].name, o.number(values[ps[top].code]))
		}
	}
	off := 0
	for code, v := range values {
		if !drawn[code] && v > 0 {
			off += v
		}
	}
	if off > 0 {
		fmt.Fprintf(&b, o.word("unmapped"), o.number(off))
	}
	if !tiles {
		fmt.Fprintf(&b, o.word("attribution"), Attribution)
	}
	if o.Desc == "" {
		b.WriteString(o.word("table"))
	}
	return strings.TrimSpace(b.String())
}
