package geomap

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/svgenc/svgtest"
)

// checkMap checks the common frame and returns the governorates' titles
// and hrefs by code.
func checkMap(t *testing.T, svg string) (root *svgtest.Node, titles, hrefs map[string]string) {
	t.Helper()
	root = svgtest.Parse(t, svg)
	ids := strings.Fields(root.Attr["aria-labelledby"])
	if root.Name != "svg" || root.Attr["role"] != "img" || len(ids) != 2 || len(root.Kids) < 2 ||
		root.Kids[0].Name != "title" || root.Kids[0].Attr["id"] != ids[0] || root.Kids[0].Text == "" ||
		root.Kids[1].Name != "desc" || root.Kids[1].Attr["id"] != ids[1] || root.Kids[1].Text == "" {
		t.Fatalf("no role=img labelled by a title and a description:\n%.400s", svg)
	}
	if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
		t.Error("NaN or Inf in the SVG")
	}
	if len(root.Class("legend")) != 1 {
		t.Error("no legend")
	}
	titles, hrefs = map[string]string{}, map[string]string{}
	for _, g := range root.Class("gov") {
		code, link := g.Attr["data-code"], g.Outer
		if tt := link.All("title"); len(tt) == 1 {
			titles[code] = tt[0].Text
		}
		if link.Name == "a" {
			hrefs[code] = link.Attr["href"]
		}
	}
	return root, titles, hrefs
}

func TestMapAndTiles(t *testing.T) {
	if !HasBoundaries() {
		t.Fatal("boundaries not embedded: run go generate ./internal/geomap")
	}
	for _, lang := range []string{"en", "ar"} {
		o := sampleOptions(lang)
		for name, svg := range map[string]string{"map": string(Render(sample, o)), "tiles": string(Tiles(sample, o))} {
			root, titles, hrefs := checkMap(t, svg)
			ps := places(lang)
			if len(ps) != 18 || len(titles) != 18 || len(hrefs) != 18 {
				t.Fatalf("%s/%s: %d places, %d titles, %d links", lang, name, len(ps), len(titles), len(hrefs))
			}
			for _, p := range ps {
				want := p.name + ": " + o.number(sample[p.code])
				if titles[p.code] != want || hrefs[p.code] != "/incidents?governorate="+p.code {
					t.Errorf("%s/%s %s: title %q href %q, want %q", lang, name, p.code, titles[p.code], hrefs[p.code], want)
				}
			}
			desc := root.Kids[1].Text
			hasAttr := strings.Contains(desc, Attribution) && len(root.Class("attribution")) == 1 &&
				strings.Contains(root.Class("attribution")[0].Text, Attribution)
			if hasAttr != (name == "map") {
				t.Errorf("%s/%s: attribution shown = %v", lang, name, hasAttr)
			}
			if name == "tiles" && len(root.Class("note")) != 1 {
				t.Errorf("%s: tile map not labelled as schematic", lang)
			}
			if !strings.Contains(desc, o.number(4)) {
				t.Errorf("%s/%s: desc does not count the 4 off the map: %s", lang, name, desc)
			}
		}
	}
}

func TestHostileNames(t *testing.T) {
	const evil = `<script>alert("x")</script> & 'q'`
	ps := []place{{"IQ-BG", evil}, {`IQ-"><x`, evil}}
	o := Options{Title: evil, ValueName: evil, Desc: evil, Link: func(code string) string {
		if code == "IQ-BG" {
			return "javascript:alert(1)"
		}
		return `/l?c="><script>`
	}}
	g := &geometry{Width: 10, Height: 10, Governorates: []shape{{Code: "IQ-BG", D: "M0 0L5 0 5 5Z"}, {Code: `IQ-"><x`, D: "M5 5L9 5 9 9Z"}}}
	for _, geo := range []*geometry{g, nil} {
		var b bytes.Buffer
		if err := write(&b, geo, ps, map[string]int{"IQ-BG": 3}, o); err != nil {
			t.Fatal(err)
		}
		svg := b.String()
		if strings.Contains(svg, "<script") || strings.Contains(svg, "javascript:") || strings.Contains(svg, "<x") {
			t.Errorf("not escaped:\n%s", svg)
		}
		root, titles, hrefs := checkMap(t, svg)
		if root.Kids[0].Text != evil || titles["IQ-BG"] != evil+": 3" {
			t.Errorf("text does not round-trip: %q %q", root.Kids[0].Text, titles["IQ-BG"])
		}
		if !reflect.DeepEqual(hrefs, map[string]string{`IQ-"><x`: `/l?c="><script>`}) {
			t.Errorf("links %v", hrefs)
		}
	}
}

func TestZeroData(t *testing.T) {
	for _, svg := range []string{string(Render(nil, Options{})), string(Tiles(map[string]int{}, Options{Lang: "ar"}))} {
		root, titles, hrefs := checkMap(t, svg)
		if len(titles) != 18 || len(hrefs) != 0 {
			t.Errorf("%d titles, %d links", len(titles), len(hrefs))
		}
		for _, g := range root.Class("gov") {
			if g.Attr["fill"] != zero.fill {
				t.Errorf("%s filled %s with no data", g.Attr["data-code"], g.Attr["fill"])
			}
		}
		if n := len(root.Class("legend")[0].All("rect")); n != 1 {
			t.Errorf("legend has %d classes, want only zero", n)
		}
	}
}

func TestFallbackToTiles(t *testing.T) {
	var b bytes.Buffer
	write(&b, nil, places("en"), sample, Options{})
	root, titles, _ := checkMap(t, b.String())
	if len(root.Class("tiles")) != 1 || len(titles) != 18 {
		t.Error("without boundaries the map is not the tile map")
	}
}

func TestClasses(t *testing.T) {
	label := func(cls classList) string {
		var s []string
		for _, c := range cls {
			s = append(s, c.label(Options{})+"="+c.fill)
		}
		return strings.Join(s, " ")
	}
	counts := []int{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if got, want := label(classes(counts, nil)), "0=#ffffff 1–2=#fdd49e 3–4=#fdbb84 5–6=#fc8d59 7–8=#e34a33 9–10=#b30000"; got != want {
		t.Errorf("quantiles:\n got %s\nwant %s", got, want)
	}
	if got, want := label(classes(counts, []int{5, 10, 50})), "0=#ffffff 1–4=#fdd49e 5–9=#fdbb84 10–49=#e34a33 50+=#b30000"; got != want {
		t.Errorf("fixed breaks:\n got %s\nwant %s", got, want)
	}
	if got, want := label(classes([]int{7, 7, 7, 0}, nil)), "0=#ffffff 1–7=#fc8d59"; got != want {
		t.Errorf("one distinct count: got %s, want %s", got, want)
	}
	cls := classes(counts, []int{5, 10, 50})
	for v, want := range map[int]string{0: "#ffffff", -2: "#ffffff", 4: "#fdd49e", 10: "#e34a33", 9999: "#b30000"} {
		if got := cls.of(v).fill; got != want {
			t.Errorf("class of %d is %s, want %s", v, got, want)
		}
	}
}

func TestLegendRTL(t *testing.T) {
	root, _, _ := checkMap(t, string(Render(sample, Options{Lang: "ar"})))
	var xs []float64
	for _, r := range root.Class("legend")[0].All("rect") {
		x, _ := strconv.ParseFloat(r.Attr["x"], 64)
		xs = append(xs, x)
	}
	for i := 1; i < len(xs); i++ {
		if xs[i] >= xs[i-1] {
			t.Fatalf("Arabic legend does not run right to left: %v", xs)
		}
	}
}

func TestTable(t *testing.T) {
	tab := svgtest.Parse(t, string(Table(sample, sampleOptions("ar"))))
	rows := tab.All("tbody")[0].All("tr")
	if len(rows) != 18 || rows[0].All("a")[0].Text != "بغداد" || rows[0].All("td")[0].Text != "١٢٠" {
		t.Errorf("table: %d rows, first not Baghdad with ١٢٠", len(rows))
	}
}
