package export

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

// benchRows is how many incidents BenchmarkExportMemory writes:
// RASD_EXPORT_ROWS, default 100,000 (BENCHMARKS.md gives 1,000,000).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("RASD_EXPORT_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// synthetic hands over n incidents, made one at a time as a store's
// cursor would, so that only the writer can hold memory.
func synthetic(n int) Source {
	lat, lon := 33.3128, 44.3615
	return func(fn func(*model.Incident) error) error {
		for i := range n {
			inc := &model.Incident{Code: fmt.Sprintf("IQ-2020-%07d", i), Type: "assault",
				Date:         model.Date{Start: "2020-01-05", End: "2020-01-05", Precision: "day"},
				Place:        model.Place{Country: "IQ", Admin1: "IQ-BG", District: "IQG08Q06", Locality: "Tahrir Square", Lat: &lat, Lon: &lon},
				Perpetrators: []model.Perpetrator{{Type: "militia", Group: "Group " + strconv.Itoa(i%97)}},
				SummaryEN:    "An activist was beaten near Tahrir Square by men in plain clothes; incident " + strconv.Itoa(i),
				SummaryAR:    "تعرّض ناشط للضرب قرب ساحة التحرير على أيدي رجال بملابس مدنية",
				Verification: "reported", Visibility: "internal", Tags: []string{"tishreen"}, Fatalities: i % 3,
				Meta: model.Meta{UpdatedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}}
			if err := fn(inc); err != nil {
				return err
			}
		}
		return nil
	}
}

// peakHeap samples the live heap while work runs and returns its peak.
func peakHeap(work func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				close(done)
				return
			case <-t.C:
			}
		}
	}()
	work()
	close(stop)
	<-done
	return peak.Load()
}

// BenchmarkExportMemory writes benchRows incidents in each format and
// reports the live heap's peak: flat memory means it does not grow with
// the rows (compare RASD_EXPORT_ROWS=100000 with 1000000).
func BenchmarkExportMemory(b *testing.B) {
	n := benchRows()
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			for range b.N {
				var err error
				start := time.Now()
				peak := peakHeap(func() { _, err = Write(io.Discard, format, synthetic(n)) })
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
			}
		})
	}
}
