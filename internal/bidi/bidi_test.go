package bidi

import "testing"

func TestIsolate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"من 2019-10 إلى 2020-03", "من \u20662019-10\u2069 إلى \u20662020-03\u2069"},
		{"٢٠١٩-١٠: ١٢", "\u2066٢٠١٩-١٠\u2069: ١٢"},
		{"الحادثة IQ-2025-0031", "الحادثة \u2066IQ-2025-0031\u2069"},
		{"الساعة 15:04", "الساعة \u206615:04\u2069"},
		{"1–15 من 53", "\u20661–15\u2069 من 53"},
		{"بغداد ١٬٢٣٤", "بغداد ١٬٢٣٤"}, // a lone number keeps its order
		{"2019", "2019"},
		{"", ""},
	} {
		if got := Isolate(tc.in); got != tc.want {
			t.Errorf("Isolate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
