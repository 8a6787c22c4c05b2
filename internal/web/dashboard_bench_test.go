package web

// BenchmarkDashboard measures a whole GET /dashboard (every figure, chart,
// map and the type × governorate × month table) as a coordinator sees it,
// over RASD_BENCH_N demo incidents (default 20,000) in the encrypted
// store. Each iteration is one page, timed on its own.
//
//	RASD_BENCH_N=20000 go test ./internal/web -run '^$' -bench Dashboard -benchtime 20x

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/demo"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

func BenchmarkDashboard(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("RASD_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	g := demo.New(demo.Options{Incidents: n, Seed: 1})
	for done := 0; done < n; {
		batch := make([]model.Incident, 0, min(50000, n-done))
		for len(batch) < cap(batch) {
			inc, _ := g.Next()
			batch = append(batch, inc)
		}
		if _, err := st.ImportIncidents(ctx, "bench", batch, nil); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
	}
	u := &model.User{Username: "bench", Role: model.RoleCoordinator, Lang: "en", PasswordHash: account.HashPassword("not used by the benchmark")}
	if err := st.CreateUser(ctx, "bench", u); err != nil {
		b.Fatal(err)
	}
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
		req := httptest.NewRequest(http.MethodGet, "/dashboard", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("GET /dashboard: %d", w.Code)
		}
	}
	get() // warm the cache
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		get()
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(times)
	ms := func(p int) float64 {
		return float64(times[max((p*len(times)+99)/100-1, 0)]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(50), "p50-ms")
	b.ReportMetric(ms(95), "p95-ms")
}
