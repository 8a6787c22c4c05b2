package chart

import (
	"fmt"
	"strings"
)

// The package's few words, in both languages (kept here so that charts
// need no catalogue keys; the caller names the figures in Options).
var words = map[string]map[string]string{
	"en": {
		"nodata":   "No data",
		"category": "Category",
		"period":   "Period",
		"count":    "Count",
		"total":    "Total",
		"bars":     "Horizontal bar chart: %s categories, total %s.",
		"stacked":  "Stacked bar chart of %s: %s bars, total %s.",
		"columns":  "Column chart by period, %s to %s, total %s.",
		"line":     "Line chart by period, %s to %s, total %s.",
		"highest":  " Highest: %s, %s.",
		"table":    " The same figures are in the table beside the chart.",
		"sep":      ", ",
		"t-bars":   "Bar chart",
		"t-time":   "Chart by period",
	},
	"ar": {
		"nodata":   "لا توجد بيانات",
		"category": "الفئة",
		"period":   "الفترة",
		"count":    "العدد",
		"total":    "المجموع",
		"bars":     "مخطط أشرطة أفقية. عدد الفئات: %s، المجموع: %s.",
		"stacked":  "مخطط أشرطة مكدسة (%s). عدد الأشرطة: %s، المجموع: %s.",
		"columns":  "مخطط أعمدة حسب الفترة، من %s إلى %s، المجموع: %s.",
		"line":     "مخطط خطي حسب الفترة، من %s إلى %s، المجموع: %s.",
		"highest":  " الأعلى: %s، %s.",
		"table":    " الأرقام نفسها في الجدول المجاور للمخطط.",
		"sep":      "، ",
		"t-bars":   "مخطط أشرطة",
		"t-time":   "مخطط حسب الفترة",
	},
}

func str(lang, key string) string {
	if lang != "ar" {
		lang = "en"
	}
	return words[lang][key]
}

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
