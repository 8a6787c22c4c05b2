// Command rasd documents attacks on activists, journalists and rights
// workers. See README.md, and 'rasd help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rasd-project/rasd/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}
