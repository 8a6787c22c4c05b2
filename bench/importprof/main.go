// Command importprof runs one rasd command in-process under the CPU
// profiler, to find where an import's time goes (BENCHMARKS.md):
//
//	go run ./bench/importprof -o cpu.pprof -- import --data DIR --format acled FILE
//	go tool pprof -top cpu.pprof
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/rasd-project/rasd/internal/cli"
)

func main() {
	out := flag.String("o", "cpu.pprof", "where the CPU profile goes")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "importprof:", err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "importprof:", err)
		os.Exit(1)
	}
	code := cli.Main(context.Background(), cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, flag.Args())
	pprof.StopCPUProfile()
	f.Close()
	os.Exit(code)
}
