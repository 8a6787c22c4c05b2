package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestIsolateLTR: the runs that must read left to right are found, and
// nothing else; character references are left whole.
func TestIsolateLTR(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"يوم (2019-10-05).", `يوم (<bdi dir="ltr" class="nowrap">2019-10-05</bdi>).`},
		{"شهر ٢٠١٩-١٠ فقط", `شهر <bdi dir="ltr" class="nowrap">٢٠١٩-١٠</bdi> فقط`},
		{"عرض 1–15 من 40", `عرض <bdi dir="ltr" class="nowrap">1–15</bdi> من 40`},
		{"الحادثة IQ-2025-0031 في 15:04", `الحادثة <bdi dir="ltr" class="nowrap">IQ-2025-0031</bdi> في <bdi dir="ltr" class="nowrap">15:04</bdi>`},
		{"سنة 2019 وحدها", "سنة 2019 وحدها"},
		{"&#34;2019&#34; &amp; 12", "&#34;2019&#34; &amp; 12"},
	} {
		if got := isolateLTR(tc.in, "ar"); got != tc.want {
			t.Errorf("isolateLTR(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := isolateLTR(tc.in, "en"); got != tc.in {
			t.Errorf("on an English page isolateLTR(%q) = %q, want it unchanged", tc.in, got)
		}
	}
}

// TestDatesIsolatedInArabic: in Arabic pages the dates and ranges of help
// texts and messages, errors among them, are isolated left to right.
func TestDatesIsolatedInArabic(t *testing.T) {
	h := newHarness(t)
	u := h.userLang("bidi-ar", model.RoleAnalyst, "ar")
	c := h.as(u)
	for range 3 {
		h.mkIncident(u.Username, nil)
	}
	resp, body := c.get("/incidents?from=2019-13")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /incidents: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`(<bdi dir="ltr" class="nowrap">2019-10-05</bdi>)`, // the help under the filter
		`<bdi dir="ltr" class="nowrap">1–3</bdi>`,          // "showing 1–3 of 3"
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the Arabic incident list lacks %s", want)
		}
	}
	// The error for the bad date names the formats, each isolated.
	if i := strings.Index(body, `class="field-error"`); i < 0 || !strings.Contains(body[i:i+400], `<bdi dir="ltr" class="nowrap">`) {
		t.Errorf("the date error does not isolate its dates")
	}
}

// TestNoDotBesideArabicZero: with Arabic-Indic digits no "·" stands beside
// a digit, where it reads as the zero "٠" (itself a dot) or hides it.
func TestNoDotBesideArabicZero(t *testing.T) {
	h := newHarness(t)
	u := h.userLang("dots-ar", model.RoleCoordinator, "ar")
	c := h.as(u)
	h.mkIncident(u.Username, nil)
	dotNearDigit := regexp.MustCompile(`[٠-٩]\s*(?:<[^>]*>\s*)*·|·\s*(?:<[^>]*>\s*)*[٠-٩]`)
	for _, path := range []string{"/dashboard", "/dashboard?last=all", "/incidents"} {
		req, _ := http.NewRequest(http.MethodGet, h.ts.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "digits", Value: "arab"})
		resp, body := c.do(req)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusForbidden {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if !strings.ContainsAny(body, "٠١٢٣٤٥٦٧٨٩") {
			t.Fatalf("GET %s: no Arabic-Indic digits on the page", path)
		}
		if m := dotNearDigit.FindString(body); m != "" {
			t.Errorf("GET %s: %q", path, m)
		}
	}
}
