package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/rasd-project/rasd/internal/config"
	"github.com/rasd-project/rasd/internal/evidence"
	"github.com/rasd-project/rasd/internal/instance"
	"github.com/rasd-project/rasd/internal/portal"
	"github.com/rasd-project/rasd/internal/web"
)

type serveFlags struct {
	addr, cert, key string
	portal          bool
	portalEvery     time.Duration
	pf              publishFlags
	dataDir         string // set from --data: the evidence folder lives there, and the panic action destroys its keys
	evidenceMiB     int64
	proxies         proxyList
	notify          notifyFlags
}

// proxyList is --trusted-proxy, given once per network.
type proxyList []netip.Prefix

func (p *proxyList) String() string { return fmt.Sprint([]netip.Prefix(*p)) }

// Set takes a network in CIDR notation, or one address.
func (p *proxyList) Set(v string) error {
	pr, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return fmt.Errorf("%q is not a network: give one as CIDR, e.g. 127.0.0.1/32 or 10.0.0.0/8, once per --trusted-proxy", v)
		}
		pr = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
	}
	*p = append(*p, pr.Masked())
	return nil
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.cert, "tls-cert", "", "TLS certificate file (with --tls-key); without, plain HTTP: put rasd behind TLS or Tor")
	fs.StringVar(&f.key, "tls-key", "", "TLS private key file")
	fs.BoolVar(&f.portal, "portal", false, "also serve the public portal, read-only to anyone, at / (the signed-in interface\n"+
		"then starts at /app, sign-in at /login); it is generated at start into a temporary directory, as 'rasd publish' writes it")
	fs.DurationVar(&f.portalEvery, "portal-every", time.Hour, "with --portal, generate the portal again this often (0: only at start)")
	fs.Int64Var(&f.evidenceMiB, "evidence-max", evidence.DefaultMaxSize>>20, "largest evidence file accepted by upload, in MiB")
	f.pf.register(fs, "with --portal, the portal's absolute URL, e.g. https://example.org/; needed for its Atom feeds")
	fs.Var(&f.proxies, "trusted-proxy", "a reverse proxy's network, as `CIDR` (repeat for more), whose X-Forwarded-For header names\n"+
		"the client for the sign-in slow-down; from any other peer the header is ignored")
	f.notify.register(fs)
}

func runServe(ctx context.Context, io IO, args []string) error {
	var cfg config.Config
	var sf serveFlags
	fs := flags(io, "serve", "")
	cfg.Register(fs)
	readsEnv(fs, "GOMEMLIMIT")
	sf.register(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	in, err := open(ctx, &cfg, io)
	if err != nil {
		return err
	}
	defer in.Close()
	sf.dataDir = cfg.DataDir
	return serve(ctx, io, in, sf)
}

func serve(ctx context.Context, io IO, in *instance.Instance, sf serveFlags) (err error) {
	st, keys := in.Store, in.Keys
	if (sf.cert == "") != (sf.key == "") {
		return fmt.Errorf("%w: give both --tls-cert and --tls-key, or neither", ErrUsage)
	}
	limitServeMemory()
	logger := slog.New(slog.NewTextHandler(io.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts := web.Options{Store: st, SecretKey: keys.Derive("web"), Logger: logger, Wipe: panicWipe(sf.dataDir),
		TrustedProxies: sf.proxies}
	if opts.Evidence, err = startEvidence(ctx, in, sf, logger); err != nil {
		return err
	}
	defer startNotify(ctx, st, sf.notify, logger)()
	if sf.portal {
		popts, err := sf.pf.options()
		if err != nil {
			return err
		}
		live := &portal.Live{Store: st, Options: popts, Every: sf.portalEvery, Log: logger.Info}
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		defer func() { cancel(); <-done }() // the portal's temporary files are removed before serve returns
		go func() {
			defer close(done)
			if err := live.Run(ctx); err != nil {
				logger.Error("portal: not served", "err", err)
			}
		}()
		opts.Portal = live.FS
	}
	srv, err := web.New(opts)
	if err != nil {
		return err
	}
	scheme := "http"
	if sf.cert != "" {
		scheme = "https"
	}
	return srv.Serve(ctx, web.ServeOptions{Addr: sf.addr, CertFile: sf.cert, KeyFile: sf.key, Ready: func(addr string) {
		if sf.portal {
			fmt.Fprintf(io.Stdout, "rasd is serving %s://%s/app (Ctrl-C to stop); sign in at /login.\n", scheme, addr)
			fmt.Fprintf(io.Stdout, "The public portal is at %s://%s/ once generated.\n", scheme, addr)
		} else {
			fmt.Fprintf(io.Stdout, "rasd is serving %s://%s/ (Ctrl-C to stop)\n", scheme, addr)
		}
	}})
}

// panicWipe is the web panic action's work: what rasd wipe destroys.
func panicWipe(dir string) func() error {
	if dir == "" {
		return nil
	}
	return func() error {
		_, err := instance.Wipe(dir)
		return err
	}
}
