package chart

import (
	"math"
	"strings"
	"testing"
)

// checkSVG checks what every chart must have: valid XML, role="img"
// labelled by its title and description, no NaN.
func checkSVG(t *testing.T, svg string) *node {
	t.Helper()
	root := parse(t, svg)
	if root.name != "svg" || root.attr["role"] != "img" {
		t.Fatalf("root is <%s role=%q>", root.name, root.attr["role"])
	}
	ids := strings.Fields(root.attr["aria-labelledby"])
	if len(ids) != 2 || len(root.kids) < 2 {
		t.Fatalf("aria-labelledby = %q", root.attr["aria-labelledby"])
	}
	for i, want := range []string{"title", "desc"} {
		k := root.kids[i]
		if k.name != want || k.attr["id"] != ids[i] || strings.TrimSpace(k.text) == "" {
			t.Errorf("child %d is <%s id=%q>%q, want a non-empty <%s id=%q>", i, k.name, k.attr["id"], k.text, want, ids[i])
		}
	}
	if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
		t.Error("NaN or Inf in the SVG")
	}
	return root
}

func TestAllSamplesValid(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		for name, c := range samples(lang) {
			t.Run(lang+"/"+name, func(t *testing.T) {
				checkSVG(t, string(c.SVG()))
				parse(t, string(c.Table()))
			})
		}
	}
}

const hostile = `<script>alert("x")</script> & 'q'`

func TestHostileTextEscaped(t *testing.T) {
	o := Options{Title: hostile, Desc: hostile, ValueName: hostile, CategoryName: hostile, Palette: []string{`red" onload="x`}}
	pts := []Point{{Label: hostile, Value: 3, Href: `/r?a="><script>`}, {Label: "ok", Value: 1, Href: "javascript:alert(1)"}}
	charts := []*Chart{
		Bars(pts, o),
		TimeSeries([]Point{{Key: hostile, Value: 2}}, o),
		StackedBars([]string{hostile}, []Stack{{Label: hostile, Values: []int{2}, Hrefs: []string{"data:text/html,x"}}}, o),
	}
	for i, c := range charts {
		for _, doc := range []string{string(c.SVG()), string(c.Table())} {
			if strings.Contains(doc, "<script") || strings.Contains(doc, "javascript:") || strings.Contains(doc, "data:text") || strings.Contains(doc, "onload") {
				t.Errorf("chart %d: hostile text not neutralised:\n%s", i, doc)
			}
		}
		root := checkSVG(t, string(c.SVG()))
		if got := root.kids[0].text; got != hostile {
			t.Errorf("chart %d: title round-trips as %q", i, got)
		}
		for _, a := range root.all("a") {
			if h := a.attr["href"]; h != `/r?a="><script>` || a.attr["tabindex"] != "-1" {
				t.Errorf("chart %d: link %q tabindex %q", i, h, a.attr["tabindex"])
			}
		}
	}
}

func TestBarsProportional(t *testing.T) {
	pts := []Point{{Label: "a", Value: 10}, {Label: "b", Value: 20}, {Label: "c", Value: 40}, {Label: "d", Value: 0}}
	root := checkSVG(t, string(Bars(pts, Options{Width: 500}).SVG()))
	rs := bars(root)
	if len(rs) != 3 {
		t.Fatalf("%d bars, want 3 (none for zero)", len(rs))
	}
	w0 := rs[0].float(t, "width")
	for i, want := range []float64{1, 2, 4} {
		if got := rs[i].float(t, "width") / w0; math.Abs(got-want) > 0.01 {
			t.Errorf("bar %d is %.3f× the first, want %v×", i, got, want)
		}
		if x := rs[i].float(t, "x"); x != rs[0].float(t, "x") {
			t.Errorf("bar %d starts at %v, not at the axis %v", i, x, rs[0].float(t, "x"))
		}
	}
	if end := rs[2].float(t, "x") + rs[2].float(t, "width"); end > 500 {
		t.Errorf("longest bar ends at %v, beyond the width", end)
	}
}

func TestRTLMirrors(t *testing.T) {
	pts := []Point{{Label: "a", Value: 5}, {Label: "bb", Value: 9}, {Label: "c", Value: 2}}
	series := []string{"x", "y"}
	st := []Stack{{Label: "a", Values: []int{3, 4}}, {Label: "b", Values: []int{1, 8}}}
	for name, mk := range map[string]func(Options) *Chart{
		"bars":    func(o Options) *Chart { return Bars(pts, o) },
		"stacked": func(o Options) *Chart { return StackedBars(series, st, o) },
		"columns": func(o Options) *Chart { return TimeSeries(pts, o) },
	} {
		en := checkSVG(t, string(mk(Options{Lang: "en", Width: 400}).SVG()))
		ar := checkSVG(t, string(mk(Options{Lang: "ar", Width: 400}).SVG()))
		be, ba := bars(en), bars(ar)
		if len(be) == 0 || len(be) != len(ba) {
			t.Fatalf("%s: %d and %d bars", name, len(be), len(ba))
		}
		for i := range be {
			xe, we := be[i].float(t, "x"), be[i].float(t, "width")
			xa, wa := ba[i].float(t, "x"), ba[i].float(t, "width")
			if math.Abs(xa-(400-xe-we)) > 0.02 || math.Abs(wa-we) > 0.02 {
				t.Errorf("%s bar %d: en x=%v w=%v, ar x=%v w=%v: not mirrored", name, i, xe, we, xa, wa)
			}
		}
		for _, tx := range ar.all("text") {
			if tx.attr["direction"] != "rtl" {
				t.Errorf("%s: Arabic text %q without direction=rtl", name, tx.text)
			}
		}
	}
	// Line markers mirror too.
	cx := func(o Options) []float64 {
		var xs []float64
		for _, c := range checkSVG(t, string(TimeSeries(pts, o).SVG())).all("circle") {
			xs = append(xs, c.float(t, "cx"))
		}
		return xs
	}
	le, la := cx(Options{Line: true, Width: 400}), cx(Options{Line: true, Lang: "ar", Width: 400})
	if len(le) != 3 || len(la) != 3 || math.Abs(la[0]-(400-le[0])) > 0.02 || la[0] <= la[2] {
		t.Errorf("line markers en %v, ar %v: not mirrored", le, la)
	}
	// Arabic time runs right to left unless TimeLTR.
	months := []Point{{Key: "2024-01", Value: 1}, {Key: "2024-02", Value: 2}}
	ar := bars(checkSVG(t, string(TimeSeries(months, Options{Lang: "ar"}).SVG())))
	if ar[0].float(t, "x") <= ar[1].float(t, "x") {
		t.Error("Arabic: January is not to the right of February")
	}
	ltr := bars(checkSVG(t, string(TimeSeries(months, Options{Lang: "ar", TimeLTR: true}).SVG())))
	if ltr[0].float(t, "x") >= ltr[1].float(t, "x") {
		t.Error("Arabic with TimeLTR: January is not to the left of February")
	}
}

func TestNoData(t *testing.T) {
	for name, c := range map[string]*Chart{
		"bars nil":    Bars(nil, Options{}),
		"bars zero":   Bars([]Point{{Label: "a"}, {Label: "b", Value: -3}}, Options{Lang: "ar"}),
		"time nil":    TimeSeries(nil, Options{Line: true}),
		"time zero":   TimeSeries([]Point{{Key: "2024-01"}, {Key: "2024-03"}}, Options{}),
		"stacked nil": StackedBars(nil, nil, Options{}),
		"stacked 0":   StackedBars([]string{"x"}, []Stack{{Label: "a", Values: []int{0}}}, Options{}),
	} {
		t.Run(name, func(t *testing.T) {
			svg := string(c.SVG())
			root := checkSVG(t, svg)
			if len(bars(root)) != 0 || !strings.Contains(svg, "chart-nodata") {
				t.Errorf("no 'no data' state:\n%s", svg)
			}
			parse(t, string(c.Table()))
		})
	}
}

func TestTimeSeriesFillsGaps(t *testing.T) {
	c := TimeSeries([]Point{{Key: "2024-04", Value: 4}, {Key: "2023-12", Value: 1}, {Key: "2024-04", Value: 1}}, Options{})
	tab := parse(t, string(c.Table()))
	var got []string
	for _, r := range tab.all("tbody")[0].all("tr") {
		got = append(got, r.all("th")[0].text+"="+r.all("td")[0].text)
	}
	want := "December 2023=1 January 2024=0 February 2024=0 March 2024=0 April 2024=5"
	if strings.Join(got, " ") != want {
		t.Errorf("rows %q, want %q", got, want)
	}
	if n := len(bars(checkSVG(t, string(c.SVG())))); n != 2 {
		t.Errorf("%d columns drawn, want 2", n)
	}
}

func TestDigitsAndTable(t *testing.T) {
	pts := []Point{{Label: "بغداد", Value: 1234, Href: "/r?g=IQ-BG"}}
	ar := Bars(pts, Options{Lang: "ar", ArabicDigits: true, Title: "عنوان"})
	if !strings.Contains(string(ar.SVG()), "١٬٢٣٤") {
		t.Error("Arabic-Indic digits missing")
	}
	if en := Bars(pts, Options{ArabicDigits: true}); !strings.Contains(string(en.SVG()), "1,234") {
		t.Error("English chart should keep ASCII digits")
	}
	tab := parse(t, string(ar.Table()))
	if c := tab.all("caption"); len(c) != 1 || c[0].text != "عنوان" {
		t.Error("caption missing")
	}
	for _, th := range tab.all("th") {
		if th.attr["scope"] != "col" && th.attr["scope"] != "row" {
			t.Errorf("<th> %q without scope", th.text)
		}
	}
	if a := tab.all("a"); len(a) != 1 || a[0].attr["href"] != "/r?g=IQ-BG" || a[0].text != "بغداد" {
		t.Error("table row does not link to the receipt")
	}
}

func TestIDs(t *testing.T) {
	a := Bars([]Point{{Label: "a", Value: 1}}, Options{Title: "A"}).id()
	b := Bars([]Point{{Label: "a", Value: 2}}, Options{Title: "A"}).id()
	if a == b {
		t.Error("different charts share an id")
	}
	if id := Bars(nil, Options{ID: `x" y<z`}).id(); id != "xyz" {
		t.Errorf("id %q not sanitised", id)
	}
}

func TestNiceStep(t *testing.T) {
	for max, want := range map[float64]float64{0: 1, 3: 1, 9: 5, 40: 10, 95: 25, 1234: 500} {
		if got := niceStep(max, 4); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", max, got, want)
		}
	}
}
