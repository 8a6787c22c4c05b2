// Command webprofile serves a data directory's web interface like
// `rasd serve` does, with Go's profiler on a second address, so that a
// load test (bench/web.sh with PROFILE=1) can record where the time goes.
// Demo or test data only.
//
//	RASD_PASSPHRASE=… go run ./bench/webprofile -data DIR -addr 127.0.0.1:18080 -pprof 127.0.0.1:18081
//	go tool pprof -top http://127.0.0.1:18081/debug/pprof/profile?seconds=10
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/web"
)

func main() {
	data := flag.String("data", "", "data directory")
	addr := flag.String("addr", "127.0.0.1:18080", "address of the web interface")
	prof := flag.String("pprof", "127.0.0.1:18081", "address of the profiler")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *data, *addr, *prof); err != nil {
		fmt.Fprintln(os.Stderr, "webprofile:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir, addr, prof string) error {
	pass, ok := os.LookupEnv("RASD_PASSPHRASE")
	if dir == "" || !ok {
		return errors.New("give -data DIR and set RASD_PASSPHRASE")
	}
	keys, err := keyring.Unlock(dir, keyring.Secret{Passphrase: []byte(pass)})
	if err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName), keys.Derive("database"), keys.Derive("audit"))
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := web.New(web.Options{Store: st, SecretKey: keys.Derive("web"), Logger: logger})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go http.ListenAndServe(prof, mux)
	return srv.Serve(ctx, web.ServeOptions{Addr: addr})
}
