// Command boundaries writes the district polygons vocab embeds to place a
// point (go generate in internal/vocab):
//
//	go run ./gen/boundaries -src .../irq_admbnda_adm2_cso_20190603.geojson -out data/boundaries/IQ.json
//
// It keeps every vertex, rounded to 1e-4 degrees (about 11 m): rounding is
// the same for the two sides of a shared border, so neighbours still meet
// and a point is never in a gap between them. Each district is named by
// its OCHA P-code, which the gazetteer knows.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
)

type feature struct {
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// District is one district: rings as flat lon,lat pairs.
type District struct {
	PCode string      `json:"pcode"`
	Rings [][]float64 `json:"rings"`
}

// Output is the generated file.
type Output struct {
	Source      string     `json:"source"`
	Attribution string     `json:"attribution"`
	Districts   []District `json:"districts"`
}

func main() {
	src := flag.String("src", "", "ADM2 boundaries GeoJSON (OCHA COD-AB)")
	out := flag.String("out", "data/boundaries/IQ.json", "file to write")
	flag.Parse()
	b, err := os.ReadFile(*src)
	if err != nil {
		log.Fatal(err)
	}
	o, err := convert(b)
	if err != nil {
		log.Fatal(err)
	}
	j, err := json.Marshal(o)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(j, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

func convert(b []byte) (*Output, error) {
	var fc struct{ Features []feature }
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, err
	}
	o := &Output{Source: "OCHA COD-AB Iraq ADM2 (irq_admbnda_adm2_cso_20190603)", Attribution: "OCHA COD-AB Iraq, CSO/ITOS"}
	for _, f := range fc.Features {
		pcode, _ := f.Properties["ADM2_PCODE"].(string)
		if pcode == "" {
			return nil, fmt.Errorf("a feature has no ADM2_PCODE")
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("%s: %w", pcode, err)
			}
			polys = append(polys, p)
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("%s: %w", pcode, err)
			}
		default:
			return nil, fmt.Errorf("%s: geometry %s", pcode, f.Geometry.Type)
		}
		d := District{PCode: pcode}
		for _, poly := range polys {
			for _, ring := range poly {
				var flat []float64
				for _, pt := range ring {
					x, y := round(pt[0]), round(pt[1])
					if n := len(flat); n >= 2 && flat[n-2] == x && flat[n-1] == y {
						continue
					}
					flat = append(flat, x, y)
				}
				if len(flat) >= 8 {
					d.Rings = append(d.Rings, flat)
				}
			}
		}
		o.Districts = append(o.Districts, d)
	}
	sort.Slice(o.Districts, func(i, j int) bool { return o.Districts[i].PCode < o.Districts[j].PCode })
	return o, nil
}

func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }
