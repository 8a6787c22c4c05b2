package opendata

import (
	"io"
	"runtime"
	"testing"
	"time"
)

// countingDiscard is io.Discard that counts bytes, to show work was done.
type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestStreamingMemory writes 200,000 records with each writer (JSON Lines
// shares the JSON writer's code) and checks
// that the live heap does not grow with them: sampled at intervals while
// writing, and after. Holding the records (or the output) would take tens
// of megabytes; the slack allowed is 2 MB. (About half a second per
// format on an idle 2-core machine.)
func TestStreamingMemory(t *testing.T) {
	const records, slack = 200_000, 2 << 20
	if testing.Short() {
		t.Skip("writes 200,000 records per format")
	}
	base := samples(t)[1]
	writers := map[string]func(io.Writer) Writer{
		"csv":     func(w io.Writer) Writer { return NewCSV(w, CSVOptions{}) },
		"json":    func(w io.Writer) Writer { return NewJSON(w) },
		"geojson": func(w io.Writer) Writer { return NewGeoJSON(w) },
		"acled":   func(w io.Writer) Writer { return NewACLED(w, ACLEDOptions{}) },
		"atom":    func(w io.Writer) Writer { return NewAtom(w, feed("en")) },
	}
	for name, newWriter := range writers {
		t.Run(name, func(t *testing.T) {
			var out countingDiscard
			w := newWriter(&out)
			before, peak := heap(), uint64(0)
			start := time.Now()
			n := 0
			for p := range generated(records, base) {
				if err := w.Write(p); err != nil {
					t.Fatal(err)
				}
				if n++; n%50_000 == 0 {
					peak = max(peak, heap())
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			after := heap()
			peak = max(peak, after)
			t.Logf("%d records, %d MB out in %v; heap %d KB before, %d KB at most", records, out.n>>20, time.Since(start), before>>10, peak>>10)
			if out.n < int64(records)*100 {
				t.Errorf("only %d bytes written", out.n)
			}
			if peak > before+slack {
				t.Errorf("heap grew from %d KB to %d KB while streaming", before>>10, peak>>10)
			}
		})
	}
}

// TestPagerStreams streams a Pager over a store too large to hold.
func TestPagerStreams(t *testing.T) {
	st := &fakeStore{n: 20_000}
	pg := &Pager{Store: st, PageSize: 1000}
	before := heap()
	n, err := WriteAll(NewCSV(io.Discard, CSVOptions{}), pg.Records(t.Context()))
	if err != nil || pg.Err() != nil || n != st.n-st.n/10 {
		t.Fatalf("wrote %d, err %v %v", n, err, pg.Err())
	}
	if after := heap(); after > before+(2<<20) {
		t.Errorf("heap grew from %d KB to %d KB", before>>10, after>>10)
	}
}
