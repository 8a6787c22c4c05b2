package svgenc

import "testing"

func TestEscapeHrefNum(t *testing.T) {
	for in, want := range map[string]string{`a<b>&"c'`: "a&lt;b&gt;&amp;&#34;c&#39;", "بغداد": "بغداد", "\x00x": "\uFFFDx"} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"/r?g=IQ-BG": "/r?g=IQ-BG", " https://x.org/a ": "https://x.org/a",
		"javascript:alert(1)": "", "JavaScript:x": "", "data:text/html,x": "", "": "", "http://[::1": ""} {
		if got := SafeHref(in); got != want {
			t.Errorf("SafeHref(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{1.234: "1.23", -0.005: "-0.01", 3: "3"} {
		if got := Num(in); got != want {
			t.Errorf("Num(%v) = %q, want %q", in, got, want)
		}
	}
}
