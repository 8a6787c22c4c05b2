package web

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"time"
)

// activeRequests is how many requests work at once when Options.Active
// is 0. A page on the embedded store is CPU work (SQLite runs in-process):
// one per core serves the most pages with the shortest tail (bench/web.sh
// at 64 clients on 2 cores: 2 → p99 38 ms, 3 → 43 ms, 4 → 55–60 ms, none
// → 70–80 ms). On PostgreSQL a request also waits on the network, so more
// may work at once.
func activeRequests(backend string) int {
	n := runtime.GOMAXPROCS(0)
	if backend != "sqlite" {
		n *= 4
	}
	return max(n, 2)
}

// admit lets at most n requests work at once and queues the others in
// the order they came (a goroutine blocked sending on a channel waits in
// line). Without it, 64 concurrent pages all ran and competed for the
// cores and for four database connections, which database/sql hands to a
// waiting request picked at random: p99 latency was 4× the median.
// Static files and evidence transfers (long, and no page work) pass by.
func (s *Server) admit(next http.Handler) http.Handler {
	n := s.opts.Active
	if n <= 0 {
		n = activeRequests(s.st.Backend())
	}
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bypassesQueue(r) {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return // the client left while waiting
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), admittedKey{}, slots)))
	})
}

type admittedKey struct{}

// sleep is Options.Sleep for a handler: an admitted request gives its slot
// back while it waits (sign-in slows down after failures) and queues again
// after, so that a burst of wrong passwords cannot hold every slot.
func (s *Server) sleep(req *request, d time.Duration) {
	slots, _ := req.r.Context().Value(admittedKey{}).(chan struct{})
	if slots != nil {
		<-slots
	}
	s.opts.Sleep(d)
	if slots != nil {
		slots <- struct{}{}
	}
}

// bypassesQueue: static assets, evidence uploads and downloads.
func bypassesQueue(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/evidence/") ||
		(r.Method == http.MethodPost && strings.HasSuffix(p, "/evidence"))
}
