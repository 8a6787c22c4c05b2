package web

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestPanicLogsCarryNoPersonalData runs the panic action through each of
// its refusals, a failed and a successful wipe, and checks that the log
// says what happened (so an organisation can tell a wipe from a crash)
// and holds no name, password, phrase typed, token or client address.
func TestPanicLogsCarryNoPersonalData(t *testing.T) {
	for _, wipeErr := range []error{nil, errors.New("shred /data/rasd.keyring: input/output error")} {
		h := newHarness(t)
		var buf lockedBuffer
		h.srv.log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h.srv.opts.Wipe = func() error { return wipeErr }
		const (
			name = "zzcanaryadmin"
			pw   = "zzcanarypassword"
			typo = "zzcanaryphrase"
		)
		u := h.user(name, model.RoleAdmin)
		c := h.as(u)
		c.get("/admin/panic")
		c.post("/admin/panic", url.Values{"password": {pw}, "phrase": {panicPhrases["en"]}})
		c.post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {typo}})
		c.post("/admin/panic", url.Values{"password": {testPassword}, "phrase": {panicPhrases["ar"]}})
		c.get("/incidents?q=" + name)

		log := buf.String()
		for _, want := range []string{"panic wipe refused: wrong password", "panic wipe refused: confirmation phrase",
			"panic wipe: destroying the key material"} {
			if !strings.Contains(log, want) {
				t.Errorf("the log lacks %q:\n%s", want, log)
			}
		}
		if wipeErr != nil && !strings.Contains(log, "panic wipe incomplete") {
			t.Errorf("a failed wipe is not logged:\n%s", log)
		}
		for _, secret := range []string{name, pw, typo, testPassword, panicPhrases["en"], panicPhrases["ar"], "zzcanary",
			"127.0.0.1", sessionToken(c), u.ID} {
			if secret != "" && strings.Contains(log, secret) {
				t.Errorf("the log holds %q:\n%s", secret, log)
			}
		}
	}
}

// TestHTTPErrorLogHasNoClientAddress makes net/http log an error about a
// client (a plain-HTTP request to the TLS port) and checks that the line
// reaches the log without the client's address.
func TestHTTPErrorLogHasNoClientAddress(t *testing.T) {
	h := newHarness(t)
	var buf lockedBuffer
	h.srv.log = slog.New(slog.NewTextHandler(&buf, nil))
	ts := httptest.NewUnstartedServer(h.srv.Handler())
	ts.Config.ErrorLog = h.srv.errorLog()
	ts.StartTLS()
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	local := conn.LocalAddr().String()
	conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	io.ReadAll(conn)
	conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "TLS handshake error") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	log := buf.String()
	if !strings.Contains(log, "TLS handshake error") {
		t.Fatalf("net/http logged no handshake error: the test proves nothing\n%s", log)
	}
	host, _, _ := net.SplitHostPort(local)
	if strings.Contains(log, host) || strings.Contains(log, local) {
		t.Errorf("the log holds the client address %s:\n%s", local, log)
	}
	for in, want := range map[string]string{
		"http: TLS handshake error from 203.0.113.7:51234: EOF":        "http: TLS handshake error from [client]: EOF",
		"http: panic serving [2001:db8::1]:443: boom":                  "http: panic serving [client]: boom",
		"from 2001:db8:0:0:1:0:0:1 and ::ffff:192.0.2.1, not 1.2.3.4.": "from [client] and [client], not [client].",
	} {
		if got := scrubAddrs(in); got != want {
			t.Errorf("scrubAddrs(%q) = %q, want %q", in, got, want)
		}
	}
	if got := panicText("zzcanary secret"); strings.Contains(got, "zzcanary") {
		t.Errorf("panicText logs the panic value: %q", got)
	}
	var m map[string]int
	func() {
		defer func() {
			if got := panicText(recover()); !strings.Contains(got, "nil map") {
				t.Errorf("panicText of a runtime error: %q", got)
			}
		}()
		m["x"] = 1
	}()
}
