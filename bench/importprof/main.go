// Command importprof runs one rasd command in-process under the CPU
// profiler, to find where an import's time goes (BENCHMARKS.md), or a
// server's (serve, then Ctrl-C):
//
//	go run ./bench/importprof -o cpu.pprof -- import --data DIR --format acled FILE
//	go tool pprof -top cpu.pprof
//
// It prints, at the end, the CPU time of the garbage collector and of the
// rest of the program. With -heap FILE it also keeps a heap profile taken
// when the live heap was largest (checked every second), to find what an
// import holds on to:
//
//	go run ./bench/importprof -o cpu.pprof -heap heap.pprof -- import …
//	go tool pprof -sample_index=inuse_space -top heap.pprof
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/rasd-project/rasd/internal/cli"
)

func main() {
	out := flag.String("o", "cpu.pprof", "where the CPU profile goes")
	heap := flag.String("heap", "", "where the heap profile at the largest live heap goes (none if empty)")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fail(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if *heap != "" {
			peakHeap(*heap, stop)
		}
	}()
	// Ctrl-C ends the command (rasd serve too), and the profiles are kept.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, flag.Args())
	cancel()
	close(stop)
	<-done
	pprof.StopCPUProfile()
	f.Close()
	gc := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/user:cpu-seconds"}}
	metrics.Read(gc)
	fmt.Fprintf(os.Stderr, "importprof: the garbage collector used %.1f CPU-s, the program %.1f\n",
		gc[0].Value.Float64(), gc[1].Value.Float64())
	os.Exit(code)
}

// peakHeap writes a heap profile to path whenever the heap live after
// the last collection (what the profile shows) has grown a tenth past the
// largest seen, until stop.
func peakHeap(path string, stop <-chan struct{}) {
	var peak uint64
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		v := live[0].Value.Uint64()
		if v < peak+peak/10 {
			continue
		}
		peak = v
		var buf bytes.Buffer
		if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
			fail(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "importprof: heap profile at %d MB live\n", peak>>20)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "importprof:", err)
	os.Exit(1)
}
