package cli

import (
	"flag"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestTrustedProxyFlag: --trusted-proxy takes networks and single
// addresses, repeated; anything else is a usage error that names the flag.
func TestTrustedProxyFlag(t *testing.T) {
	var sf serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sf.register(fs)
	if err := fs.Parse([]string{"--trusted-proxy", "10.1.2.3/8", "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"}); err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	if !slices.Equal(sf.proxies, want) {
		t.Errorf("--trusted-proxy: %v, want %v", sf.proxies, want)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.org", ""} {
		code, _, stderr := run(t, "serve", "--trusted-proxy", bad)
		if code != 2 || !strings.Contains(stderr, "trusted-proxy") || !strings.Contains(stderr, "CIDR") {
			t.Errorf("--trusted-proxy %q: exit %d, %q", bad, code, stderr)
		}
	}
}
