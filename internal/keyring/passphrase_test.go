package keyring

import (
	"strings"
	"testing"
)

func TestCheckPassphrase(t *testing.T) {
	for _, c := range []struct {
		pass string
		want string // part of the error, "" for accepted
	}{
		{"correct horse battery", ""},
		{"ثلاث كلمات عشوائية", ""},
		{"a test passphrase", ""},
		{"short", "too short (5 characters)"},
		{"elevenchars", "too short (11 characters)"},
		{"ناشط صحفي", "too short"},
		{"aaaaaaaaaaaaaaaa", "repeats a few characters"},
		{"abababababababab", "repeats a few characters"},
		{"abcdeabcdeabcde", "one short pattern"},
		{"Password1234", "built on \"password\""},
		{"qwerty123456", "built on \"qwerty\""},
		{"my password is long enough", ""},
		{string([]byte{0xff, 0xfe, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'}), "not valid UTF-8"},
		{strings.Repeat("word ", 300), "too long"},
	} {
		err := CheckPassphrase([]byte(c.pass))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q refused: %v", c.pass, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: got %v, want an error with %q", c.pass, err, c.want)
		}
	}
}
