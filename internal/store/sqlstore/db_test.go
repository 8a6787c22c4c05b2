package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestWritePanicInTheDriver: when SQLite runs out of memory inside a
// statement, the driver panics with database/sql's transaction still
// locked by that statement, so a Rollback waits forever. The panic must
// still reach the caller, and every later write fail at once with
// ErrStuck, which says what to do; `rasd import` once hung there instead.
func TestWritePanicInTheDriver(t *testing.T) {
	defer sqlstore.SetRollbackWait(time.Second)()
	ctx := context.Background()
	s := teststores.SQLite(t)
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		s.Write(ctx, func(tx *sqlstore.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE code_counters SET next = next WHERE 1 = 0`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `PRAGMA hard_heap_limit = 8000000`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `SELECT length(randomblob(50000000))`) // out of memory
			return err
		})
	}()
	select {
	case p := <-done:
		if p == nil {
			t.Fatal("the write ran out of memory without a panic: the test proves nothing")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the write hung after the driver panicked")
	}
	wrote := false
	if err := s.Write(ctx, func(*sqlstore.Tx) error {
		wrote = true
		return nil
	}); !errors.Is(err, sqlstore.ErrStuck) || wrote {
		t.Fatalf("the next write: %v (ran: %v), want ErrStuck before it runs", err, wrote)
	}
	if _, err := s.GetIncident(ctx, "no such incident"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a read after it: %v, want ErrNotFound (reads go on)", err)
	}
}
