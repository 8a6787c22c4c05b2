package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"testing"
	"testing/fstest"

	"github.com/rasd-project/rasd/internal/model"
)

// TestLangBackStaysOnSite: the language switch returns only to a path of
// this server that the router knows. Browsers read a backslash as a slash
// and drop tabs and newlines, so "/\evil.example" and "/\t/evil.example"
// lead off-site as surely as "//evil.example" does.
func TestLangBackStaysOnSite(t *testing.T) {
	for _, portal := range []bool{false, true} {
		var h *harness
		if portal {
			h = newHarnessWith(t, func(o *Options) {
				o.Portal = func() fs.FS { return fstest.MapFS{"index.html": {Data: []byte("portal")}} }
			})
		} else {
			h = newHarness(t)
		}
		home := h.srv.homePath()
		c := h.as(h.user("ana", model.RoleAnalyst))
		const id = "/incidents/0190a5d2-7c1e-7b3a-9f1e-2d3c4b5a6f70"
		for back, want := range map[string]string{
			"/incidents": "/incidents", id: id, "/dashboard": "/dashboard", home: home,
			"/\\evil.example": home, "/\\/evil.example": home, "/\t/evil.example": home, "/\n/evil.example": home,
			"/\r\n/evil.example": home, "//evil.example": home, "///evil.example": home, "https://evil.example/": home,
			"javascript:alert(1)": home, "/%5Cevil.example": home, "/%2F/evil.example": home, "/./\\evil.example": home,
			"/incidents/../\\evil": home, "/incidents/..//evil.example": home, "/incidents?x=//evil": home,
			"/no-such-page": home, "/lang": home, "": home, " /incidents": home, "/incidents\\": home,
			"/incidents\x00": home, "/incidents\u2028": home,
		} {
			resp, _ := c.post("/lang", url.Values{"lang": {"en"}, "back": {back}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("portal %v, back %q: status %d", portal, back, resp.StatusCode)
				continue
			}
			if got := resp.Header.Get("Location"); got != want {
				t.Errorf("portal %v, back %q: went to %q, want %q", portal, back, got, want)
			}
		}
	}
}
