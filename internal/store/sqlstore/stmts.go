package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps reads prepared: parsing SQL was a fifth of a page's
// cost. database/sql re-prepares a statement on each connection it runs
// on, so one *sql.Stmt serves the whole pool. Queries are built from a
// fixed set of fragments, but filters combine: the cache stops growing at
// maxStmts and later queries are simply not kept.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxStmts = 512

func (c *stmtCache) get(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st, true
	}
	if len(c.m) >= maxStmts {
		return nil, false
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, false // the caller runs it unprepared and reports the error
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st, true
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
