package cli

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/web"
)

type serveFlags struct {
	addr, cert, key string
}

func (f *serveFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.cert, "tls-cert", "", "TLS certificate file (with --tls-key); without, plain HTTP: put rasd behind TLS or Tor")
	fs.StringVar(&f.key, "tls-key", "", "TLS private key file")
}

func runServe(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	var sf serveFlags
	fs := flags(io, "serve", "")
	cfg.Register(fs)
	sf.register(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, keys, err := openData(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, io, st, keys, sf)
}

func serve(ctx context.Context, io IO, st store.Store, keys *keyring.Keys, sf serveFlags) error {
	if (sf.cert == "") != (sf.key == "") {
		return fmt.Errorf("%w: give both --tls-cert and --tls-key, or neither", ErrUsage)
	}
	logger := slog.New(slog.NewTextHandler(io.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := web.New(web.Options{Store: st, SecretKey: keys.Derive("web"), Logger: logger})
	if err != nil {
		return err
	}
	scheme := "http"
	if sf.cert != "" {
		scheme = "https"
	}
	return srv.Serve(ctx, web.ServeOptions{Addr: sf.addr, CertFile: sf.cert, KeyFile: sf.key, Ready: func(addr string) {
		fmt.Fprintf(io.Stdout, "rasd is serving %s://%s/ (Ctrl-C to stop)\n", scheme, addr)
	}})
}
