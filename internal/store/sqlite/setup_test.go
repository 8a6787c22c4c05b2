package sqlite

import (
	"testing"

	"github.com/ncruces/go-sqlite3"
)

// TestSetUpPlansOnce: every connection has the query planner's stability
// guarantee, without which the statements kept prepared are compiled
// again whenever a bound value changes (setUp).
func TestSetUpPlansOnce(t *testing.T) {
	c, err := sqlite3.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if on, err := c.Config(sqlite3.DBCONFIG_ENABLE_QPSG); err != nil || on {
		t.Fatalf("a new connection has QPSG %v (%v): the test proves nothing", on, err)
	}
	if err := setUp("")(c); err != nil {
		t.Fatal(err)
	}
	if on, err := c.Config(sqlite3.DBCONFIG_ENABLE_QPSG); err != nil || !on {
		t.Fatalf("after setUp, QPSG is %v (%v), want on", on, err)
	}
}
