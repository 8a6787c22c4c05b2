package chart

import (
	"fmt"
	"strings"

	"github.com/rasd-project/rasd/internal/i18n"
)

// str is one of the package's few words ("chart.KEY" in the i18n
// catalogues): the caller names the figures in Options.
func str(lang, key string) string { return i18n.T(lang, "chart."+key) }

// title is Options.Title, or the kind of chart: an image needs a name.
func (c *Chart) title() string {
	switch {
	case c.o.Title != "":
		return c.o.Title
	case c.kind == kindTime:
		return str(c.o.Lang, "t-time")
	}
	return str(c.o.Lang, "t-bars")
}

// desc is Options.Desc, or a summary of the figures for screen readers.
func (c *Chart) desc() string {
	o := c.o
	if o.Desc != "" {
		return o.Desc
	}
	if c.max() == 0 {
		return str(o.Lang, "nodata") + "."
	}
	total, top := 0, 0
	for i, r := range c.rows {
		total += r.total()
		if r.total() > c.rows[top].total() {
			top = i
		}
	}
	var s string
	switch c.kind {
	case kindBars:
		s = fmt.Sprintf(str(o.Lang, "bars"), o.Number(len(c.rows)), o.Number(total))
	case kindStacked:
		s = fmt.Sprintf(str(o.Lang, "stacked"), strings.Join(c.series, str(o.Lang, "sep")), o.Number(len(c.rows)), o.Number(total))
	default:
		k := "columns"
		if o.Line {
			k = "line"
		}
		s = fmt.Sprintf(str(o.Lang, k), c.rows[0].label, c.rows[len(c.rows)-1].label, o.Number(total))
	}
	s += fmt.Sprintf(str(o.Lang, "highest"), c.rows[top].label, o.Number(c.rows[top].total()))
	return s + str(o.Lang, "table")
}

// valueName is the name of the count in headings and tooltips.
func (o Options) valueName() string {
	if o.ValueName != "" {
		return o.ValueName
	}
	return str(o.Lang, "count")
}

// tip is the tooltip of a value: "Baghdad: 120" or "Baghdad — Killed: 12".
func (o Options) tip(label, series string, v int) string {
	if series != "" {
		label += " — " + series
	}
	return label + ": " + o.Number(v)
}
