package geomap

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/vocab"
)

// The generated file covers the gazetteer's governorates, P-codes
// agreeing, within the point budget.
func TestBoundariesData(t *testing.T) {
	g := boundaries()
	gaz := map[string]string{}
	for _, p := range vocab.GazetteerFor("IQ").Governorates() {
		gaz[p.Code] = p.PCode
	}
	points := 0
	for _, s := range g.Governorates {
		if gaz[s.Code] != s.PCode {
			t.Errorf("%s has P-code %s, gazetteer %s", s.Code, s.PCode, gaz[s.Code])
		}
		delete(gaz, s.Code)
		points += strings.Count(s.D, " ")/2 + 1
		if x, y := s.Label[0], s.Label[1]; x <= 0 || y <= 0 || x >= g.Width || y >= g.Height {
			t.Errorf("%s label point %v outside the map", s.Code, s.Label)
		}
	}
	if len(gaz) != 0 {
		t.Errorf("governorates without a shape: %v", gaz)
	}
	if points < 1000 || points > 5000 {
		t.Errorf("%d points, want a few thousand", points)
	}
}

// Neighbours share their simplified border: no vertex of one lies on
// (within half a unit of) another's outline without being its vertex too,
// which is how gaps and slivers would begin.
func TestBordersShared(t *testing.T) {
	g := boundaries()
	rings := make([][][2]float64, len(g.Governorates))
	for i, s := range g.Governorates {
		f := strings.FieldsFunc(s.D, func(r rune) bool { return strings.ContainsRune("MLZ ", r) })
		for k := 0; k+1 < len(f); k += 2 {
			x, _ := strconv.ParseFloat(f[k], 64)
			y, _ := strconv.ParseFloat(f[k+1], 64)
			rings[i] = append(rings[i], [2]float64{x, y})
		}
	}
	shared := 0
	for i, a := range rings {
		for j, b := range rings {
			if i == j {
				continue
			}
			vs := map[[2]float64]bool{}
			for _, p := range b {
				vs[p] = true
			}
			for _, v := range a {
				if vs[v] {
					shared++
					continue
				}
				for k := range b {
					if d := segDist(v, b[k], b[(k+1)%len(b)]); d < 0.5 {
						t.Errorf("%s vertex %v is %.2f from %s's border, not on a vertex", g.Governorates[i].Code, v, d, g.Governorates[j].Code)
						break
					}
				}
			}
		}
	}
	if shared < 500 {
		t.Errorf("only %d shared vertices", shared)
	}
}

func segDist(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := dx*dx + dy*dy
	if l == 0 {
		return math.Hypot(p[0]-a[0], p[1]-a[1])
	}
	u := max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	return math.Hypot(p[0]-a[0]-u*dx, p[1]-a[1]-u*dy)
}
