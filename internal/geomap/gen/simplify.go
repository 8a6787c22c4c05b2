package main

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

type pt struct{ x, y float64 }

func less(a, b pt) bool { return a.x < b.x || a.x == b.x && a.y < b.y }

type edge [2]pt

func edgeOf(a, b pt) edge {
	if less(b, a) {
		a, b = b, a
	}
	return edge{a, b}
}

// simplifyShared simplifies every ring (in source coordinates) and returns
// them projected and rounded. Rings are cut into arcs wherever the set of
// rings an edge belongs to changes, and at points three or more rings
// share; each arc is simplified once, in one orientation, so neighbours
// get the same border.
func simplifyShared(polys [][][]pt, proj func(pt) pt, tol float64) [][][]pt {
	ringsOfEdge := map[edge][]int{}
	ringsOfPoint := map[pt][]int{}
	id := 0
	add := func(m map[pt][]int, p pt, r int) {
		if l := m[p]; len(l) == 0 || l[len(l)-1] != r {
			m[p] = append(l, r)
		}
	}
	for _, rings := range polys {
		for _, r := range rings {
			for i, p := range r {
				e := edgeOf(p, r[(i+1)%len(r)])
				ringsOfEdge[e] = append(ringsOfEdge[e], id)
				add(ringsOfPoint, p, id)
			}
			id++
		}
	}
	sig := func(a, b pt) string { return sprintInts(ringsOfEdge[edgeOf(a, b)]) }
	done := map[string][]pt{} // simplified arcs by canonical key
	var out [][][]pt
	for _, rings := range polys {
		var simple [][]pt
		for _, r := range rings {
			n := len(r)
			var cuts []int
			for i := range r {
				prev, next := r[(i+n-1)%n], r[(i+1)%n]
				if len(ringsOfPoint[r[i]]) >= 3 || sig(prev, r[i]) != sig(r[i], next) {
					cuts = append(cuts, i)
				}
			}
			if len(cuts) == 0 { // an unshared ring: cut where any copy would
				lo := 0
				for i := range r {
					if less(r[i], r[lo]) {
						lo = i
					}
				}
				far := lo
				for i := range r {
					if dist(r[i], r[lo]) > dist(r[far], r[lo]) {
						far = i
					}
				}
				cuts = []int{min(lo, far), max(lo, far)}
			}
			var ring []pt
			for k, c := range cuts {
				end := cuts[(k+1)%len(cuts)]
				if end <= c {
					end += n
				}
				arc := make([]pt, 0, end-c+1)
				for i := c; i <= end; i++ {
					arc = append(arc, r[i%n])
				}
				s := simplifyArc(arc, proj, tol, done)
				ring = append(ring, s[:len(s)-1]...)
			}
			simple = append(simple, round(ring))
		}
		out = append(out, simple)
	}
	return out
}

func sprintInts(v []int) string {
	var b strings.Builder
	for _, i := range v {
		b.WriteString(strconv.Itoa(i) + ",")
	}
	return b.String()
}

// simplifyArc projects and simplifies an arc, the same whichever way it
// is walked.
func simplifyArc(arc []pt, proj func(pt) pt, tol float64, done map[string][]pt) []pt {
	rev := less(arc[len(arc)-1], arc[0]) || arc[0] == arc[len(arc)-1] && len(arc) > 2 && less(arc[len(arc)-2], arc[1])
	a := slices.Clone(arc)
	if rev {
		slices.Reverse(a)
	}
	var key strings.Builder
	for _, p := range a {
		key.WriteString(strconv.FormatFloat(p.x, 'g', -1, 64) + " " + strconv.FormatFloat(p.y, 'g', -1, 64) + ";")
	}
	s, ok := done[key.String()]
	if !ok {
		q := make([]pt, len(a))
		for i, p := range a {
			q[i] = proj(p)
		}
		s = douglasPeucker(q, tol)
		done[key.String()] = s
	}
	s = slices.Clone(s)
	if rev {
		slices.Reverse(s)
	}
	return s
}

// douglasPeucker keeps the ends and every point further than tol from the
// simplified line.
func douglasPeucker(p []pt, tol float64) []pt {
	if len(p) <= 2 {
		return p
	}
	far, d := 0, -1.0
	for i := 1; i < len(p)-1; i++ {
		if x := segDist(p[i], p[0], p[len(p)-1]); x > d {
			far, d = i, x
		}
	}
	if d <= tol {
		return []pt{p[0], p[len(p)-1]}
	}
	left := douglasPeucker(p[:far+1], tol)
	return append(left[:len(left)-1:len(left)-1], douglasPeucker(p[far:], tol)...)
}

func dist(a, b pt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

// segDist is the distance from p to the segment ab.
func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l := dx*dx + dy*dy
	if l == 0 {
		return dist(p, a)
	}
	t := max(0, min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	return dist(p, pt{a.x + t*dx, a.y + t*dy})
}

// round rounds to whole units and drops repeated points.
func round(r []pt) []pt {
	var out []pt
	for _, p := range r {
		q := pt{math.Round(p.x), math.Round(p.y)}
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

// area is a ring's unsigned area.
func area(r []pt) float64 {
	a := 0.0
	for i, p := range r {
		q := r[(i+1)%len(r)]
		a += p.x*q.y - q.x*p.y
	}
	return math.Abs(a / 2)
}

func inside(p pt, r []pt) bool {
	in := false
	for i, a := range r {
		b := r[(i+1)%len(r)]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// poleOfInaccessibility finds, by a refined grid search, the point inside
// r furthest from its edges: where a label fits best.
func poleOfInaccessibility(r []pt) pt {
	if len(r) == 0 {
		return pt{}
	}
	lo, hi := r[0], r[0]
	for _, p := range r {
		lo = pt{min(lo.x, p.x), min(lo.y, p.y)}
		hi = pt{max(hi.x, p.x), max(hi.y, p.y)}
	}
	best, bestD := pt{(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, -1.0
	cell := max(hi.x-lo.x, hi.y-lo.y) / 32
	for range 4 {
		for x := lo.x; x <= hi.x; x += cell {
			for y := lo.y; y <= hi.y; y += cell {
				p := pt{x, y}
				if !inside(p, r) {
					continue
				}
				d := math.Inf(1)
				for i, a := range r {
					d = min(d, segDist(p, a, r[(i+1)%len(r)]))
				}
				if d > bestD {
					best, bestD = p, d
				}
			}
		}
		lo, hi = pt{best.x - cell, best.y - cell}, pt{best.x + cell, best.y + cell}
		cell /= 4
	}
	return best
}
