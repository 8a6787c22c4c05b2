// Command acledgen writes a file of fictional incidents in ACLED's CSV
// export format, for bench/acled.sh: the incidents of `rasd demo` (same
// generator, same seed), written by rasd's own ACLED export, so that
// `rasd import --format acled` reads them back. Types that ACLED does not
// code (threats, smears, ...) are skipped and more are generated, so the
// file has exactly -rows rows.
//
//	go run ./bench/acledgen -rows 1000000 -o /var/tmp/acled-1000000.csv
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/opendata"
	"github.com/rasd-project/rasd/internal/redact"
)

func main() {
	rows := flag.Int("rows", 100000, "rows to write")
	out := flag.String("o", "", "output file (required)")
	seed := flag.Int64("seed", 1, "generator seed")
	flag.Parse()
	if err := write(*out, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "acledgen:", err)
		os.Exit(1)
	}
}

func write(path string, rows int, seed int64) error {
	if path == "" || rows < 1 {
		return errors.New("give -o FILE and -rows N (N ≥ 1)")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := opendata.NewACLED(bw, opendata.ACLEDOptions{Source: "Fictional Monitor (demo)"})
	// About half of the demo's types are ones ACLED codes; generate
	// without a bound and stop at rows.
	exported := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := demo.New(demo.Options{Incidents: 1 << 40, Seed: seed})
	for i, written := 0, 0; written < rows; i++ {
		inc, _ := g.Next()
		// Published as the portal would publish a public, verified record;
		// the code becomes ACLED's event_id_cnty.
		inc.Code = "DEMO" + strconv.Itoa(i+1)
		inc.Visibility, inc.Verification = model.VisibilityPublic, "verified"
		p, ok := redact.Incident(&inc, redact.Options{})
		if !ok {
			continue
		}
		// ACLED's notes run to a few sentences: the demo's narrative
		// (every name in it fictional) is nearer than the one-line summary
		// the portal would publish.
		if inc.NarrativeEN != "" {
			p.SummaryEN = inc.NarrativeEN
		}
		p.Updated = exported
		before := w.Skipped()
		if err := w.Write(p); err != nil {
			f.Close()
			return err
		}
		if w.Skipped() == before {
			written++
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
