package portal_test

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/portal"
)

// TestLive: the served site is generated, then generated again with what
// changed, and its temporary directories are removed at the end.
func TestLive(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st := openStore(t)
	tmp := t.TempDir()
	live := &portal.Live{Store: st, Dir: tmp, Every: 20 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- live.Run(ctx) }()
	wait := func(name string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if f := live.FS(); f != nil {
				if _, err := fs.Stat(f, name); err == nil {
					return
				}
			}
		}
		t.Fatalf("%s never served", name)
	}
	wait("en/index.html")
	inc := model.Incident{Type: "assault", Date: model.Date{Start: "2021-01-02", Precision: "day"},
		Place: model.Place{Country: "IQ", Admin1: "IQ-BG"}, Verification: "verified", Visibility: model.VisibilityPublic}
	if err := st.CreateIncident(ctx, "test", &inc); err != nil {
		t.Fatal(err)
	}
	wait("ar/incidents/" + inc.Code + ".html")
	// Finished sites: the current one and the one before; a third may be
	// being built meanwhile, under another name.
	entries, _ := os.ReadDir(tmp)
	finished := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "rasd-portal-") {
			finished++
		} else if !strings.HasPrefix(e.Name(), "rasd-building-") {
			t.Errorf("%s on disk: neither a finished site nor one being built", e.Name())
		}
	}
	if finished == 0 || finished > 2 {
		t.Errorf("%d finished sites kept on disk, want 1 or 2", finished)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 || live.FS() != nil {
		t.Errorf("left behind: %v", entries)
	}
}
