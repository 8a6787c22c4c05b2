package web

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// clientAddr is the address the per-client sign-in counter is keyed by
// (hashed there, never stored or logged): the connection's peer; or, when
// the peer is a trusted reverse proxy (rasd serve --trusted-proxy), the
// rightmost X-Forwarded-For address that is not a trusted proxy itself.
// Each proxy appends the address it saw, so everything left of that one
// is whatever the client chose to send. A header that a trusted proxy
// filled with something that is no address counts under the peer.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr // not an IP connection (tests, a Unix socket): nothing to trust
	}
	addr := peer.Addr().Unmap()
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr.String()
		}
		hop = hop.Unmap()
		if i == 0 || !isTrusted(hop, trusted) { // only proxies: the first one is the client
			return hop.String()
		}
	}
	return addr.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a) })
}
