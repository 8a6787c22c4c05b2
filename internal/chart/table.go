package chart

import (
	"bytes"
	"html/template"
	"io"
	"strconv"

	"github.com/rasd-project/rasd/internal/bidi"
	"github.com/rasd-project/rasd/internal/svgenc"
)

// Table is the chart's figures as an HTML table, to place beside it: a
// caption (the title), a heading per column, a row heading per category
// or period, a total, and the chart's links.
func (c *Chart) Table() template.HTML {
	var b bytes.Buffer
	c.WriteTable(&b)
	return template.HTML(b.String()) // every text and attribute is escaped
}

// WriteTable writes Table to w.
func (c *Chart) WriteTable(w io.Writer) error {
	o := c.o
	h := template.HTMLEscapeString
	if o.rtl() { // left-to-right runs isolated, as in the page's own words (docs/web.md)
		h = func(s string) string {
			return bidi.LTRRun.ReplaceAllString(template.HTMLEscapeString(s), `<bdi dir="ltr">$0</bdi>`)
		}
	}
	var b bytes.Buffer
	b.WriteString(`<table class="chart-data">`)
	if o.Title != "" {
		b.WriteString("<caption>" + h(o.Title) + "</caption>")
	}
	first := o.CategoryName
	if first == "" {
		first = str(o.Lang, "category")
		if c.kind == kindTime {
			first = str(o.Lang, "period")
		}
	}
	b.WriteString(`<thead><tr><th scope="col">` + h(first) + "</th>")
	cols := c.series
	if c.kind != kindStacked {
		cols = []string{o.valueName()}
	}
	for _, s := range cols {
		b.WriteString(`<th scope="col">` + h(s) + "</th>")
	}
	if c.kind == kindStacked {
		b.WriteString(`<th scope="col">` + h(str(o.Lang, "total")) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	if len(c.rows) == 0 {
		n := len(cols) + 1
		if c.kind == kindStacked {
			n++
		}
		b.WriteString(`<tr><td colspan="` + strconv.Itoa(n) + `">` + h(str(o.Lang, "nodata")) + "</td></tr>")
	}
	totals := make([]int, len(cols))
	cell := func(tag, attr, href, text string) {
		b.WriteString("<" + tag + attr + ">")
		if u := svgenc.SafeHref(href); u != "" {
			b.WriteString(`<a href="` + template.HTMLEscapeString(u) + `">` + h(text) + "</a>")
		} else {
			b.WriteString(h(text))
		}
		b.WriteString("</" + tag + ">")
	}
	for _, r := range c.rows {
		b.WriteString("<tr>")
		cell("th", ` scope="row"`, r.href, r.label)
		for j, v := range r.vals {
			totals[j] += v
			href := r.hrefs[j]
			if c.kind != kindStacked {
				href = "" // the row heading links already
			}
			cell("td", ` class="num"`, href, o.Number(v))
		}
		if c.kind == kindStacked {
			cell("td", ` class="num"`, "", o.Number(r.total()))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody>")
	if len(c.rows) > 1 {
		b.WriteString(`<tfoot><tr><th scope="row">` + h(str(o.Lang, "total")) + "</th>")
		sum := 0
		for _, t := range totals {
			sum += t
			b.WriteString(`<td class="num">` + h(o.Number(t)) + "</td>")
		}
		if c.kind == kindStacked {
			b.WriteString(`<td class="num">` + h(o.Number(sum)) + "</td>")
		}
		b.WriteString("</tr></tfoot>")
	}
	b.WriteString("</table>")
	_, err := w.Write(b.Bytes())
	return err
}
