// Package chart draws rasd's charts as SVG on the server: no JavaScript,
// no inline styles, no external references, so they pass the strict CSP
// and print as they look.
//
// Every chart is <svg role="img"> labelled by its <title> and <desc>, and
// Table gives the same figures as an HTML table to place beside it. Links
// (a bar to the receipt behind it) are <a> elements with tabindex="-1":
// the SVG is one image to assistive technology, and keyboard and screen
// reader users follow the same links in the table.
//
// Right to left: in Arabic the category axis is mirrored (labels on the
// right, bars grow leftwards) and so is time, earliest at the right, as
// Arabic newspapers and UN Arabic reports draw it and as an Arabic reader
// reads the table beside it; Options.TimeLTR keeps time left to right.
// Labels carry direction="rtl" and their text-anchor follows it.
//
// Meaning never rests on colour alone: bars have outlines and value
// labels, stacked segments are in a fixed order with a legend and, where
// they fit, their values. The default palette is Okabe–Ito, safe for the
// common colour-vision deficiencies.
package chart

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"regexp"
	"strconv"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/locale"
)

// OkabeIto is the default palette (Okabe & Ito, 2008), strongest first.
var OkabeIto = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"}

// Options shape a chart. The zero value draws an English chart.
type Options struct {
	Lang         string // a code of internal/locale ("ar", "en", "ckb")
	ArabicDigits bool   // ٠١٢… in charts in Arabic script (ignored in English, as on the web pages)
	Title        string // <title>, the table's caption
	Desc         string // <desc>; "" writes a summary of the figures
	Width        int    // default 640
	Height       int    // default: TimeSeries 300, bars fit their rows
	Palette      []string
	Line         bool   // TimeSeries: a line with markers instead of columns
	TimeLTR      bool   // Arabic TimeSeries: keep time left to right
	ShowTitle    bool   // also draw Title inside the SVG (for standalone files)
	CategoryName string // the table's first column heading
	ValueName    string // the count's name ("Incidents"), in headings and tooltips
	ID           string // id prefix for aria-labelledby; default from the content
}

// Point is one value of TimeSeries or Bars.
type Point struct {
	// Key is a period for TimeSeries, "YYYY-MM" or "YYYY"; a run of such
	// keys is sorted and its missing periods filled with zeros.
	Key   string
	Label string // shown; TimeSeries may leave it to the Key
	Value int    // a count; below zero counts as zero
	Href  string // the list behind the value; "" = no link
}

// Stack is one bar of StackedBars: its values in series order.
type Stack struct {
	Label  string
	Values []int    // counts; below zero count as zero
	Href   string   // link of the bar's label and total
	Hrefs  []string // links of its segments, optional
}

type kind int

const (
	kindTime kind = iota
	kindBars
	kindStacked
)

// row is one category or period, whatever the chart.
type row struct {
	label string // as in the table
	axis  string // TimeSeries: the axis label (month)
	year  string // TimeSeries: the year, "" for free labels
	month int
	vals  []int
	href  string
	hrefs []string
}

// Chart is a chart ready to draw, as SVG or as a table.
type Chart struct {
	kind   kind
	series []string
	rows   []row
	o      Options
}

// TimeSeries charts counts by period, as columns or (Options.Line) a line.
func TimeSeries(points []Point, o Options) *Chart {
	return &Chart{kind: kindTime, series: []string{o.ValueName}, rows: periods(points, o), o: o}
}

// Bars charts counts by category as horizontal bars, in the given order.
func Bars(points []Point, o Options) *Chart {
	c := &Chart{kind: kindBars, series: []string{o.ValueName}, o: o}
	for _, p := range points {
		c.rows = append(c.rows, row{label: p.Label, vals: []int{max(p.Value, 0)}, href: p.Href, hrefs: []string{p.Href}})
	}
	return c
}

// StackedBars charts the parts of each bar (outcomes per type, per year),
// series in legend order.
func StackedBars(series []string, stacks []Stack, o Options) *Chart {
	c := &Chart{kind: kindStacked, series: series, o: o}
	for _, s := range stacks {
		vals := make([]int, len(series))
		for i := range min(len(vals), len(s.Values)) {
			vals[i] = max(s.Values[i], 0)
		}
		hrefs := make([]string, len(series))
		copy(hrefs, s.Hrefs)
		c.rows = append(c.rows, row{label: s.Label, vals: vals, href: s.Href, hrefs: hrefs})
	}
	return c
}

// SVG is the chart as inline SVG.
func (c *Chart) SVG() template.HTML {
	var b bytes.Buffer
	c.WriteSVG(&b)
	return template.HTML(b.String()) // every text and attribute is escaped
}

// WriteSVG writes the chart as one <svg> element, valid XML on its own:
// inline it in HTML or serve it as image/svg+xml.
func (c *Chart) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	switch {
	case c.max() == 0:
		c.drawEmpty(&b)
	case c.kind == kindTime:
		c.drawTime(&b)
	default:
		c.drawBars(&b)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Number writes n as the chart does: grouped thousands, Arabic-Indic
// digits when chosen.
func (o Options) Number(n int) string {
	if n < 0 {
		return "-" + o.Number(-n)
	}
	s, sep := strconv.Itoa(n), ","
	if o.arabicDigits() {
		sep = "٬"
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return o.digits(s)
}

func (o Options) arabicDigits() bool { return o.ArabicDigits && locale.ArabicScript(o.Lang) }

// digits converts the digits of s when Arabic-Indic digits are chosen.
func (o Options) digits(s string) string {
	if o.arabicDigits() {
		return i18n.Digits(s)
	}
	return s
}

func (o Options) rtl() bool { return locale.RTL(o.Lang) }

func (o Options) width() float64 {
	if o.Width > 0 {
		return float64(o.Width)
	}
	return 640
}

var hexColour = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// colour is the palette's i-th colour, cycling; invalid entries fall back
// to the default palette.
func (o Options) colour(i int) string {
	p := o.Palette
	if len(p) == 0 {
		p = OkabeIto
	}
	if c := p[i%len(p)]; hexColour.MatchString(c) {
		return c
	}
	return OkabeIto[i%len(OkabeIto)]
}

var idChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// id is the prefix of the chart's element ids: Options.ID made safe, or
// a hash of the content, so a page of charts has distinct ids and the
// output is deterministic.
func (c *Chart) id() string {
	if s := idChars.ReplaceAllString(c.o.ID, ""); s != "" {
		return s
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%v %v %v", c.kind, c.o, c.series)
	for _, r := range c.rows {
		fmt.Fprint(h, r.label, r.vals)
	}
	return fmt.Sprintf("chart-%08x", h.Sum32())
}

// max is the largest value drawn: the longest bar or stack.
func (c *Chart) max() int {
	m := 0
	for _, r := range c.rows {
		if t := r.total(); t > m {
			m = t
		}
	}
	return m
}

// total is the sum of a row's values.
func (r row) total() int {
	t := 0
	for _, v := range r.vals {
		t += v
	}
	return t
}
