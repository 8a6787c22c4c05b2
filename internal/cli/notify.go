package cli

import (
	"context"
	"flag"
	"log/slog"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/justice"
	"github.com/rasd-project/rasd/internal/protection"
	"github.com/rasd-project/rasd/internal/store"
)

// notifyFlags are serve's --notify-* flags (docs/protection.md,
// "Notifications").
type notifyFlags struct {
	cmd, url string
	every    time.Duration
}

func (f *notifyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.cmd, "notify-cmd", "", "run this `command` (split at spaces, no shell) with a JSON notice on its standard input\n"+
		"when a protection case's check-in becomes overdue, its risk level rises, or a commitment's deadline passes:\n"+
		"codes and links only")
	fs.StringVar(&f.url, "notify-url", "", "with --notify-cmd, the web interface's absolute URL, e.g. https://rasd.example/app, before the cases' links")
	fs.DurationVar(&f.every, "notify-every", 5*time.Minute, "with --notify-cmd, how often the cases and commitments are read")
}

// startNotify starts the notifier when --notify-cmd is given, and returns
// what stops it.
func startNotify(ctx context.Context, st store.Store, f notifyFlags, logger *slog.Logger) (stop func()) {
	if strings.TrimSpace(f.cmd) == "" {
		return func() {}
	}
	n := &protection.Notifier{Service: protection.New(st, nil), Command: strings.Fields(f.cmd),
		BaseURL: strings.TrimSuffix(f.url, "/"), Every: f.every, Log: logger.Info,
		Watches: []protection.Watch{justice.New(st, time.Now).OverdueWatch()}}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.Run(ctx)
	}()
	return func() { cancel(); <-done }
}
