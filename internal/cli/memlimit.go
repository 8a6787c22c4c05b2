package cli

import (
	"os"
	"runtime/debug"
)

// serveMemoryLimit is the Go heap's soft limit for 'rasd serve' unless
// GOMEMLIMIT says otherwise. Without one the collector lets the heap grow
// to twice what is live, and under load (64 concurrent pages) the server
// peaked at ~150 MiB where ~50 MiB is live; with it, the peak stays near
// 110 MiB (BENCHMARKS.md, Web). It is soft: a server that truly needs more
// gets more, with the collector working harder (capped by the runtime at
// half the CPU), never an out-of-memory error.
const serveMemoryLimit = 96 << 20

// limitServeMemory applies serveMemoryLimit when GOMEMLIMIT is not set.
func limitServeMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
