package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestAdmit: with one slot, a second page waits for the first, in line;
// static files pass by; a client that leaves while waiting is dropped.
func TestAdmit(t *testing.T) {
	release := make(chan struct{})
	var working, entered atomic.Int32
	h := (&Server{opts: Options{Active: 1}}).admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Add(1)
		if r.URL.Path == "/slow" {
			working.Add(1)
			<-release
			working.Add(-1)
		}
	}))
	serve := func(path string, ctx context.Context) chan struct{} {
		done := make(chan struct{})
		go func() {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
			close(done)
		}()
		return done
	}
	first := serve("/slow", context.Background())
	for working.Load() != 1 {
		time.Sleep(time.Millisecond)
	}
	second := serve("/slow", context.Background())
	gone, leave := context.WithCancel(context.Background())
	third := serve("/slow", gone)
	time.Sleep(20 * time.Millisecond)
	if n := entered.Load(); n != 1 {
		t.Fatalf("%d requests working with one slot", n)
	}
	select {
	case <-serve("/static/style.css", context.Background()):
	case <-time.After(2 * time.Second):
		t.Fatal("a static file waited in the queue")
	}
	leave()
	<-third
	if n := entered.Load(); n != 2 { // the first page and the static file
		t.Fatalf("a request whose client left was served: %d entered", n)
	}
	release <- struct{}{}
	<-first
	release <- struct{}{}
	<-second
	if n := entered.Load(); n != 3 {
		t.Fatalf("%d entered, want 3", n)
	}
}

// TestAdmitSleepGivesSlotBack: a request that sleeps (sign-in slowing
// down after failures) gives its slot to the next page meanwhile.
func TestAdmitSleepGivesSlotBack(t *testing.T) {
	sleeping, wake := make(chan struct{}), make(chan struct{})
	var s *Server
	s = &Server{opts: Options{Active: 1, Sleep: func(time.Duration) { close(sleeping); <-wake }}}
	h := s.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			s.sleep(&request{r: r}, time.Second)
		}
	}))
	serve := func(method, path string) chan struct{} {
		done := make(chan struct{})
		go func() {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil))
			close(done)
		}()
		return done
	}
	login := serve(http.MethodPost, "/login")
	<-sleeping
	select {
	case <-serve(http.MethodGet, "/incidents"):
	case <-time.After(2 * time.Second):
		t.Fatal("a page waited for a sleeping sign-in")
	}
	close(wake)
	select {
	case <-login:
	case <-time.After(2 * time.Second):
		t.Fatal("the sign-in did not get its slot back after the sleep")
	}
}
