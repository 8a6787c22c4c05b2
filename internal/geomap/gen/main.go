// Command gen simplifies Iraq's governorate boundaries once, at build time,
// into the data file geomap embeds (go generate in internal/geomap):
//
//	go run ./gen -src .../irq_admbnda_adm1_cso_20190603.geojson -out boundaries/iraq.json
//
// It projects lon/lat to a plane (equirectangular, x scaled by the cosine
// of the mean latitude), splits the rings into arcs at the points where
// neighbours meet so that a shared border is simplified once and stays
// shared (no gaps or slivers), simplifies each arc with Douglas–Peucker,
// rounds to whole units and writes per governorate (ISO 3166-2 code, from
// the gazetteer's P-code) an SVG path and a label point.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/vocab"
)

// Attribution the boundaries require wherever they are shown.
const attribution = "OCHA COD-AB Iraq, CSO/ITOS"

type feature struct {
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// Output is the generated file.
type Output struct {
	Source       string  `json:"source"`
	Attribution  string  `json:"attribution"`
	Width        float64 `json:"width"`
	Height       float64 `json:"height"`
	Points       int     `json:"points"`
	Governorates []Shape `json:"governorates"`
}

// Shape is one governorate.
type Shape struct {
	Code  string     `json:"code"`
	PCode string     `json:"pcode"`
	D     string     `json:"d"`
	Label [2]float64 `json:"label"`
}

func main() {
	src := flag.String("src", "", "ADM1 boundaries GeoJSON (OCHA COD-AB)")
	out := flag.String("out", "boundaries/iraq.json", "file to write")
	width := flag.Float64("width", 800, "width of the projected map, in units")
	tol := flag.Float64("tol", 0.4, "Douglas–Peucker tolerance, in units")
	flag.Parse()
	if *src == "" {
		log.Fatal("gen: -src is required")
	}
	b, err := os.ReadFile(*src)
	if err != nil {
		log.Fatal(err)
	}
	o, err := generate(b, *width, *tol)
	if err != nil {
		log.Fatal(err)
	}
	o.Source = "OCHA COD-AB Iraq, admin 1 boundaries (irq_admbnda_adm1_cso_20190603), simplified by internal/geomap/gen"
	if err := os.WriteFile(*out, encode(o), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("gen: %d governorates, %d points, %.0f×%.0f", len(o.Governorates), o.Points, o.Width, o.Height)
}

// generate reads the GeoJSON and returns the simplified map.
func generate(geojson []byte, width, tol float64) (*Output, error) {
	var fc struct{ Features []feature }
	if err := json.Unmarshal(geojson, &fc); err != nil {
		return nil, err
	}
	gaz := vocab.GazetteerFor("IQ")
	var codes, pcodes []string
	var polys [][][]pt // per feature: rings (outer rings and holes alike)
	for _, f := range fc.Features {
		pc, _ := f.Properties["ADM1_PCODE"].(string)
		p, ok := gaz.Lookup(pc)
		if !ok || p.Level != 1 {
			return nil, fmt.Errorf("P-code %q is not a governorate in the gazetteer", pc)
		}
		rings, err := readRings(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pc, err)
		}
		codes, pcodes, polys = append(codes, p.Code), append(pcodes, pc), append(polys, rings)
	}
	if len(polys) == 0 {
		return nil, fmt.Errorf("no features")
	}
	proj, w, h := projection(polys, width)
	simple := simplifyShared(polys, proj, tol)
	o := &Output{Attribution: attribution, Width: w, Height: h}
	for i, rings := range simple {
		var d strings.Builder
		var outer []pt
		for _, r := range rings {
			if len(r) < 3 {
				continue
			}
			o.Points += len(r)
			for j, p := range r {
				switch j {
				case 0:
					d.WriteString("M")
				case 1:
					d.WriteString("L")
				default:
					d.WriteString(" ")
				}
				d.WriteString(strconv.Itoa(int(p.x)) + " " + strconv.Itoa(int(p.y)))
			}
			d.WriteString("Z")
			if area(r) > area(outer) {
				outer = r
			}
		}
		l := poleOfInaccessibility(outer)
		o.Governorates = append(o.Governorates, Shape{Code: codes[i], PCode: pcodes[i], D: d.String(), Label: [2]float64{math.Round(l.x), math.Round(l.y)}})
	}
	sort.Slice(o.Governorates, func(i, j int) bool { return o.Governorates[i].Code < o.Governorates[j].Code })
	return o, nil
}

// readRings flattens a Polygon or MultiPolygon into its rings, without
// the closing point.
func readRings(typ string, raw json.RawMessage) ([][]pt, error) {
	var polys [][][][2]float64
	switch typ {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, err
		}
		polys = [][][][2]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &polys); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry %q", typ)
	}
	var rings [][]pt
	for _, p := range polys {
		for _, r := range p {
			var ring []pt
			for _, c := range r {
				q := pt{c[0], c[1]}
				if len(ring) == 0 || ring[len(ring)-1] != q {
					ring = append(ring, q)
				}
			}
			if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
				ring = ring[:len(ring)-1]
			}
			if len(ring) >= 3 {
				rings = append(rings, ring)
			}
		}
	}
	return rings, nil
}

// projection maps lon/lat to units, north up, the map width units wide.
func projection(polys [][][]pt, width float64) (func(pt) pt, float64, float64) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, rings := range polys {
		for _, r := range rings {
			for _, p := range r {
				minX, maxX = min(minX, p.x), max(maxX, p.x)
				minY, maxY = min(minY, p.y), max(maxY, p.y)
			}
		}
	}
	k := math.Cos((minY + maxY) / 2 * math.Pi / 180)
	s := width / ((maxX - minX) * k)
	proj := func(p pt) pt { return pt{(p.x - minX) * k * s, (maxY - p.y) * s} }
	return proj, width, math.Ceil((maxY - minY) * s)
}

// encode writes the output with one governorate a line, for readable diffs.
func encode(o *Output) []byte {
	gs := o.Governorates
	o.Governorates = nil
	head, _ := json.Marshal(o)
	o.Governorates = gs
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(string(head), `,"governorates":null}`) + `,"governorates":[` + "\n")
	for i, g := range gs {
		line, _ := json.Marshal(g)
		b.Write(line)
		if i < len(gs)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]}\n")
	return []byte(b.String())
}
