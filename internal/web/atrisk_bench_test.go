package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkAtRiskBoard measures a whole GET /atrisk, the board of people
// at risk as a member sees it (its 300 most urgent cases, rendered), over
// RASD_BENCH_N cases (default 2000; the target is stated for 10,000) with
// 20 check-ins each, in the encrypted store. It reports the 95th
// percentile and the CPU time (user+sys) per page.
//
//	RASD_BENCH_N=10000 go test ./internal/web -run '^$' -bench AtRiskBoard -benchtime 40x
func BenchmarkAtRiskBoard(b *testing.B) {
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
	u, id := storetest.FirstMember(b, ctx, st, "rana", "rana password 1")
	id.Zero()
	storetest.SeedCases(b, st.SQL(), time.Now(), n, 20)
	now := time.Now()
	const token = "benchmark-session-token"
	if err := st.CreateSession(ctx, &model.Session{TokenHash: hashToken(token), UserID: u.ID, CSRF: "x", Verified: true,
		CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{Store: st, SecretKey: key, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	get := func() {
		req := httptest.NewRequest(http.MethodGet, "/atrisk", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || strings.Count(w.Body.String(), `href="/cases/`) < min(n, boardShown) {
			b.Fatalf("GET /atrisk: %d, %d cases", w.Code, strings.Count(w.Body.String(), `href="/cases/`))
		}
	}
	get() // warm the cache
	times := make([]time.Duration, 0, b.N)
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for b.Loop() {
		t0 := time.Now()
		get()
		times = append(times, time.Since(t0))
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	slices.Sort(times)
	ms := func(p int) float64 {
		return float64(times[max((p*len(times)+99)/100-1, 0)]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(50), "p50-ms")
	b.ReportMetric(ms(95), "p95-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(times)), "cpu-ms/op")
}
