package web

import (
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

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
