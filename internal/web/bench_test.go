package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// BenchmarkIncidentPage serves GET /incidents/{id} in-process (no network)
// for a signed-in coordinator over 2,000 demo incidents, one incident after
// another: the server's CPU cost per page, which bench/web.sh measures
// under load with wrk. Run with -benchmem; compare with benchstat.
func BenchmarkIncidentPage(b *testing.B) {
	for _, lang := range []string{"en", "ar"} {
		b.Run(lang, func(b *testing.B) {
			h := newHarness(b)
			incs := storetest.NewGen(2000).Batch(2000)
			if _, err := h.st.ImportIncidents(context.Background(), "bench", incs, nil); err != nil {
				b.Fatal(err)
			}
			u := h.user("coord", model.RoleCoordinator)
			u.Lang = lang
			if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
				b.Fatal(err)
			}
			c := h.as(u)
			cookies := c.http.Jar.Cookies(mustURL(h.ts.URL))
			handler := h.srv.Handler()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				req := httptest.NewRequest(http.MethodGet, "/incidents/"+incs[i%len(incs)].ID, nil)
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				w := httptest.NewRecorder()
				handler.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
