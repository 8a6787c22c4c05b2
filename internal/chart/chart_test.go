package chart

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/svgenc/svgtest"
)

// checkSVG checks what every chart must have: valid XML, role="img"
// labelled by its title and description, no NaN.
func checkSVG(t *testing.T, svg string) *svgtest.Node {
	t.Helper()
	root := svgtest.Parse(t, svg)
	if root.Name != "svg" || root.Attr["role"] != "img" {
		t.Fatalf("root is <%s role=%q>", root.Name, root.Attr["role"])
	}
	ids := strings.Fields(root.Attr["aria-labelledby"])
	if len(ids) != 2 || len(root.Kids) < 2 {
		t.Fatalf("aria-labelledby = %q", root.Attr["aria-labelledby"])
	}
	for i, want := range []string{"title", "desc"} {
		k := root.Kids[i]
		if k.Name != want || k.Attr["id"] != ids[i] || strings.TrimSpace(k.Text) == "" {
			t.Errorf("child %d is <%s id=%q>%q, want a non-empty <%s id=%q>", i, k.Name, k.Attr["id"], k.Text, want, ids[i])
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
				svgtest.Parse(t, string(c.Table()))
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
		if got := root.Kids[0].Text; got != hostile {
			t.Errorf("chart %d: title round-trips as %q", i, got)
		}
		for _, a := range root.All("a") {
			if h := a.Attr["href"]; h != `/r?a="><script>` || a.Attr["tabindex"] != "-1" {
				t.Errorf("chart %d: link %q tabindex %q", i, h, a.Attr["tabindex"])
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
	w0 := rs[0].Float(t, "width")
	for i, want := range []float64{1, 2, 4} {
		if got := rs[i].Float(t, "width") / w0; math.Abs(got-want) > 0.01 {
			t.Errorf("bar %d is %.3f× the first, want %v×", i, got, want)
		}
		if x := rs[i].Float(t, "x"); x != rs[0].Float(t, "x") {
			t.Errorf("bar %d starts at %v, not at the axis %v", i, x, rs[0].Float(t, "x"))
		}
	}
	if end := rs[2].Float(t, "x") + rs[2].Float(t, "width"); end > 500 {
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
			xe, we := be[i].Float(t, "x"), be[i].Float(t, "width")
			xa, wa := ba[i].Float(t, "x"), ba[i].Float(t, "width")
			if math.Abs(xa-(400-xe-we)) > 0.02 || math.Abs(wa-we) > 0.02 {
				t.Errorf("%s bar %d: en x=%v w=%v, ar x=%v w=%v: not mirrored", name, i, xe, we, xa, wa)
			}
		}
		for _, tx := range ar.All("text") {
			if tx.Attr["direction"] != "rtl" {
				t.Errorf("%s: Arabic text %q without direction=rtl", name, tx.Text)
			}
		}
	}
	// Line markers mirror too.
	cx := func(o Options) []float64 {
		var xs []float64
		for _, c := range checkSVG(t, string(TimeSeries(pts, o).SVG())).All("circle") {
			xs = append(xs, c.Float(t, "cx"))
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
	if ar[0].Float(t, "x") <= ar[1].Float(t, "x") {
		t.Error("Arabic: January is not to the right of February")
	}
	ltr := bars(checkSVG(t, string(TimeSeries(months, Options{Lang: "ar", TimeLTR: true}).SVG())))
	if ltr[0].Float(t, "x") >= ltr[1].Float(t, "x") {
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
			svgtest.Parse(t, string(c.Table()))
		})
	}
}

func TestTimeSeriesFillsGaps(t *testing.T) {
	c := TimeSeries([]Point{{Key: "2024-04", Value: 4}, {Key: "2023-12", Value: 1}, {Key: "2024-04", Value: 1}}, Options{})
	tab := svgtest.Parse(t, string(c.Table()))
	var got []string
	for _, r := range tab.All("tbody")[0].All("tr") {
		got = append(got, r.All("th")[0].Text+"="+r.All("td")[0].Text)
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
	tab := svgtest.Parse(t, string(ar.Table()))
	if c := tab.All("caption"); len(c) != 1 || c[0].Text != "عنوان" {
		t.Error("caption missing")
	}
	for _, th := range tab.All("th") {
		if th.Attr["scope"] != "col" && th.Attr["scope"] != "row" {
			t.Errorf("<th> %q without scope", th.Text)
		}
	}
	if a := tab.All("a"); len(a) != 1 || a[0].Attr["href"] != "/r?g=IQ-BG" || a[0].Text != "بغداد" {
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

// TestBidiIsolated: in right-to-left charts a date written with digits is
// isolated left to right wherever it is drawn or read out: axis text,
// tooltip, description and the table beside (docs/web.md); left-to-right
// charts are left as they are.
func TestBidiIsolated(t *testing.T) {
	pts := []Point{{Label: "2019-10", Value: 3, Href: "/r?from=2019-10"}, {Label: "2019-11", Value: 5}}
	ar := Bars(pts, Options{Lang: "ar", ArabicDigits: true})
	root := checkSVG(t, string(ar.SVG()))
	iso := "\u20662019-10\u2069"
	var texts, tips []string
	for _, tx := range root.All("text") {
		texts = append(texts, tx.Text)
	}
	for _, a := range root.All("a") {
		for _, k := range a.All("title") {
			tips = append(tips, k.Text)
		}
	}
	if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, iso) }) {
		t.Errorf("no Arabic axis text isolates 2019-10: %q", texts)
	}
	if len(tips) == 0 || !strings.Contains(tips[0], iso) {
		t.Errorf("the Arabic tooltip does not isolate 2019-10: %q", tips)
	}
	tl := TimeSeries([]Point{{Key: "2019-10", Label: "2019-10", Value: 1}, {Key: "2019-11", Label: "2019-11", Value: 2}}, Options{Lang: "ar"})
	if d := checkSVG(t, string(tl.SVG())).Kids[1].Text; !strings.Contains(d, iso) {
		t.Errorf("the Arabic description does not isolate 2019-10: %q", d)
	}
	tab := string(ar.Table())
	if !strings.Contains(tab, `<bdi dir="ltr">2019-10</bdi>`) || !strings.Contains(tab, `href="/r?from=2019-10"`) {
		t.Errorf("the Arabic table does not isolate 2019-10 (or its link was changed): %s", tab)
	}
	en := Bars(pts, Options{Lang: "en"})
	if s := string(en.SVG()) + string(en.Table()); strings.ContainsAny(s, "\u2066\u2069") || strings.Contains(s, "<bdi") {
		t.Error("an English chart has isolates")
	}
}
