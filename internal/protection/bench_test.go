package protection_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkBoard measures the board's reads over RASD_BENCH_N cases
// (default 2000; the target is stated for 10,000) with 20 check-ins each,
// in an encrypted SQLite store: "board" is what the web's board reads (its
// 300 most urgent cases), "due" what 'rasd checkins due' reads, "risk" the
// whole board ('rasd risk list'), "links" what a member's lookup of a
// person's cases opens (every case's sealed group). It reports the 95th percentile and the
// CPU time (user+sys) per read.
//
//	RASD_BENCH_N=10000 go test ./internal/protection/ -run '^$' -bench Board -benchtime 40x
func BenchmarkBoard(b *testing.B) {
	n := storetest.Env().N
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	storetest.FastKDF(b)
	member, id := storetest.FirstMember(b, ctx, st, "rana", "rana password 1")
	defer id.Zero()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	storetest.SeedCases(b, st.SQL(), now, n, 20)
	rs, err := keys.NewRecordSealer(ctx, st, id)
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	persons := storetest.SealSeededCases(b, st.SQL(), rs)
	svc := protection.New(st, func() time.Time { return now })
	for _, c := range []struct {
		name string
		run  func() (int, error)
	}{
		{"board", func() (int, error) { r, _, err := svc.BoardTop(ctx, member, 300); return len(r), err }},
		{"due", func() (int, error) { r, err := svc.Dues(ctx, member); return len(r), err }},
		{"risk", func() (int, error) { r, err := svc.Board(ctx, member); return len(r), err }},
		// What a person's page opens for a member: every case's sealed
		// group (the person is sealed), to find the person's.
		{"links", func() (int, error) {
			l, err := svc.Links(ctx, member, rs)
			if err != nil {
				return 0, err
			}
			r, err := l.CasesOf(ctx, persons[len(persons)/2])
			return len(r), err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			rows := 0
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				var err error
				if rows, err = c.run(); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			cpu := cpuTime() - cpu0
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(took)), "cpu-ms/op")
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
