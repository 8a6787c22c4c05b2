package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestDouglasPeucker(t *testing.T) {
	line := []pt{{0, 0}, {1, 0.1}, {2, -0.1}, {3, 5}, {4, 0}, {5, 0}}
	got := douglasPeucker(line, 0.5)
	want := []pt{{0, 0}, {2, -0.1}, {3, 5}, {4, 0}, {5, 0}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Two neighbours share a wiggly border; after simplification both still
// have exactly the same border points, so no gap or overlap opens.
func TestSharedBorderStaysShared(t *testing.T) {
	var border []pt            // from (1,0) to (1,1), wiggling
	for i := 0; i <= 40; i++ { // wiggles about the tolerance: some survive
		border = append(border, pt{1 + 0.002*float64(i*7%5) + 0.0015*float64(i*i%7), float64(i) / 40})
	}
	west := append([]pt{{0, 0}}, border...)
	west = append(west, pt{0, 1})
	var east []pt
	for i := len(border) - 1; i >= 0; i-- { // the other way round
		east = append(east, border[i])
	}
	east = append(east, pt{2, 0}, pt{2, 1})
	east = append(east[len(east)-1:], east[:len(east)-1]...) // another start
	proj := func(p pt) pt { return pt{p.x * 100, p.y * 100} }
	out := simplifyShared([][][]pt{{west}, {east}}, proj, 0.5)
	on := func(r []pt) map[pt]bool {
		m := map[pt]bool{}
		for _, p := range r {
			if p.x > 50 && p.x < 150 && p.y > 0 && p.y < 100 {
				m[p] = true
			}
		}
		return m
	}
	w, e := on(out[0][0]), on(out[1][0])
	if fmt.Sprint(w) != fmt.Sprint(e) || len(w) < 2 {
		t.Errorf("border differs:\nwest %v\neast %v", w, e)
	}
	if len(out[0][0]) >= len(west) {
		t.Errorf("not simplified: %d of %d points", len(out[0][0]), len(west))
	}
}

func TestGenerate(t *testing.T) {
	fc := map[string]any{"type": "FeatureCollection", "features": []any{
		feat("IQG08", "Polygon", [][][2]float64{{{44, 33}, {44.5, 33}, {44.5, 33.5}, {44, 33.5}, {44, 33}}}),
		feat("IQG07", "MultiPolygon", [][][][2]float64{{{{44, 32}, {44.5, 32}, {44.5, 33}, {44, 33}, {44, 32}}}}),
	}}
	b, _ := json.Marshal(fc)
	o, err := generate(b, 100, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Governorates) != 2 || o.Governorates[0].Code != "IQ-BB" || o.Governorates[1].Code != "IQ-BG" {
		t.Fatalf("governorates %+v", o.Governorates)
	}
	if o.Width != 100 || o.Height < 100 || o.Attribution != attribution {
		t.Errorf("frame %v×%v %q", o.Width, o.Height, o.Attribution)
	}
	if d := o.Governorates[1].D; !strings.HasPrefix(d, "M") || !strings.HasSuffix(d, "Z") {
		t.Errorf("path %q", d)
	}
	bad, _ := json.Marshal(map[string]any{"features": []any{feat("XX99", "Polygon", [][][2]float64{})}})
	if _, err := generate(bad, 100, 0.5); err == nil {
		t.Error("an unknown P-code was accepted")
	}
}

func feat(pcode, typ string, coords any) map[string]any {
	return map[string]any{"type": "Feature", "properties": map[string]any{"ADM1_PCODE": pcode},
		"geometry": map[string]any{"type": typ, "coordinates": coords}}
}
