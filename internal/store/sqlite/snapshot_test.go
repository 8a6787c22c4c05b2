package sqlite

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestSnapshot copies a database that is being written to and checks that
// the copy is one consistent state, opens with the same key only, and
// never put a plain byte on disk.
func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	dataDir, snapDir, tmpDir := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmpDir)
	t.Setenv("SQLITE_TMPDIR", tmpDir)
	key := newKey()
	s, err := Open(ctx, filepath.Join(dataDir, FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const canary = "Snapcanary Vellichor"
	inc := storetest.Incident()
	inc.NarrativeEN = "Witness " + canary
	if err := s.CreateIncident(ctx, "t", &inc); err != nil {
		t.Fatal(err)
	}

	// Writers keep going while the snapshot is taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			i := storetest.Incident()
			if err := s.CreateIncident(ctx, "w", &i); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dst := filepath.Join(snapDir, FileName)
	head, err := Snapshot(ctx, s, dst, key)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Snapshot(ctx, s, dst, key); err == nil {
		t.Error("Snapshot overwrote an existing file")
	}
	filepath.WalkDir(snapDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte("SQLite format 3")) {
				t.Errorf("plain bytes in %s", p)
			}
		}
		return err
	})

	if _, err := Open(ctx, dst, newKey(), storetest.AuditKey); !errors.Is(err, ErrWrongKey) {
		t.Errorf("snapshot opened with another key: %v", err)
	}
	c, err := Open(ctx, dst, key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.GetIncident(ctx, inc.ID)
	if err != nil || got.NarrativeEN != inc.NarrativeEN {
		t.Fatalf("incident in the snapshot: %v %v", got, err)
	}
	h, err := c.AuditHead(ctx)
	if err != nil || h != head {
		t.Errorf("snapshot head %+v, Snapshot said %+v (%v)", h, head, err)
	}
	if n, err := store.VerifyAudit(ctx, c, storetest.AuditKey); err != nil || n != head.Seq {
		t.Errorf("audit of the snapshot: %d entries, %v (head %d)", n, err, head.Seq)
	}
	_, total, err := c.ListIncidents(ctx, store.IncidentFilter{})
	if err != nil || int64(total) > head.Seq {
		t.Errorf("snapshot holds %d incidents for %d audit entries (%v)", total, head.Seq, err)
	}
}
