package web

import (
	"fmt"
	"log"
	"log/slog"
	"regexp"
	"runtime"
	"strings"
)

// net/http writes its own errors ("http: TLS handshake error from
// 203.0.113.7:51234: …", "http: panic serving …") with the client's
// address. Logs must never hold client addresses, so they go through
// scrubAddrs on their way to the structured log.

// addrPattern matches IPv4 and IPv6 addresses, with or without a port.
var addrPattern = regexp.MustCompile(`\[?[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?(:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)

func scrubAddrs(s string) string { return addrPattern.ReplaceAllString(s, "[client]") }

type scrubWriter struct{ log *slog.Logger }

func (w scrubWriter) Write(p []byte) (int, error) {
	w.log.Warn("http server", "message", scrubAddrs(strings.TrimSpace(string(p))))
	return len(p), nil
}

// errorLog is the http.Server's ErrorLog.
func (s *Server) errorLog() *log.Logger { return log.New(scrubWriter{s.log}, "", 0) }

// panicText is what the log says of a handler's panic: a runtime error's
// message (an index out of range, a nil pointer: no data), but of any
// other panic value only its type, which cannot carry what a user typed.
func panicText(p any) string {
	if re, ok := p.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("panic value of type %T", p)
}
