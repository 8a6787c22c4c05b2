package postgres

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"time"
)

// The text index of the newest rows. The GIN index over all of a table
// finds every match of a search in no order, and its cost grows with the
// table: at 1,000,000 incidents a search for two common words read tens
// of thousands of index entries, or 7,000 rows backwards, for the 50
// newest matches (BENCHMARKS.md, "PostgreSQL search"). A second, partial
// GIN index over only the newest rows answers such a search from its few
// entries; the full index stays for the older rows. PostgreSQL keeps both
// exact in every write, in its transaction, as it does any index.
//
// Its condition names the lowest rid it holds, fixed when it is made
// (an index condition is a constant): <table>_search_from_<rid>, WHERE
// rid + 0 >= <rid>. A query uses it only if it states that same condition
// as a constant; written on rid + 0, not rid, so that the primary key
// cannot serve that condition and the planner has no other index to take
// for it. As rows are added the index takes them too and grows, so it is
// made again higher up (refreshRecent) when the store is opened and after
// each import.
var (
	// recentRows is how many of the newest rows a recent index holds when
	// made; no table of fewer than twice that many rows has one.
	recentRows int64 = 20000 // a variable for tests
	// recentMax is how many it may hold before it is made again.
	recentMax int64 = 50000
	// recentAlways takes the recent index whenever it holds rows below the
	// probe's, whatever the costs: for tests of every search through it.
	recentAlways = false
)

// querier is a database or one connection of it, outside any transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// recentName is the name of table's recent index from rid from.
func recentName(table string, from int64) string {
	return table + "_search_from_" + strconv.FormatInt(from, 10)
}

// recentCond is the condition of that index, and of a query using it:
// the same text, so that the planner sees the same expression.
func recentCond(from int64) string { return "rid + 0 >= " + strconv.FormatInt(from, 10) }

// recentFrom is a query of the lowest rid of table's valid recent index
// (0 if it has none); its arguments are the table and table+"_search_from_".
const recentFrom = `SELECT COALESCE(MAX(CAST(substring(c.relname FROM '_search_from_([0-9]+)$') AS bigint)), 0)
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE i.indrelid = to_regclass(?) AND i.indisvalid AND starts_with(c.relname::text, ?)`

// recentStart is the lowest rid of table's recent index in db (0 if it
// has none), asked of the catalogue at most once every recentTTL: the
// question costs about as much as the probe, so not every search asks it.
// An answer out of date is safe: a search states the condition of an index
// that is gone or has been made again higher up, and the planner then
// takes the whole index, filtering by that condition — the same rows,
// found more slowly, until the next question.
func recentStart(ctx context.Context, db *sql.DB, table string) int64 {
	k := recentKey{db, table}
	recentSeen.Lock()
	v, ok := recentSeen.m[k]
	recentSeen.Unlock()
	if ok && time.Since(v.at) < recentTTL {
		return v.from
	}
	var from int64
	if err := db.QueryRowContext(ctx, dialect{}.Rebind(recentFrom), table, table+"_search_from_").Scan(&from); err != nil {
		return 0 // searched without it
	}
	recentSeen.Lock()
	recentSeen.m[k] = recentAnswer{from, time.Now()}
	recentSeen.Unlock()
	return from
}

// recentTTL is how long recentStart keeps an answer.
var recentTTL = time.Minute

type recentKey struct {
	db    *sql.DB
	table string
}

type recentAnswer struct {
	from int64
	at   time.Time
}

// recentSeen holds recentStart's answers, one per store and table.
var recentSeen = struct {
	sync.Mutex
	m map[recentKey]recentAnswer
}{m: map[recentKey]recentAnswer{}}

// refreshRecent makes table's recent index again if the table has grown
// past it (or has none and is large enough), then drops the older ones.
// The build is a transaction of its own, so a failure leaves nothing
// behind: it reads the whole table (a few seconds at a million rows),
// writers of the table wait for it, readers do not. Not CONCURRENTLY: that
// waits for every transaction open on the database, whatever its tables.
// The old index is then dropped concurrently, waiting for the searches
// using it without holding up others. A failure leaves searches exact,
// only slower.
func refreshRecent(ctx context.Context, db querier, table string) error {
	d := dialect{}
	var top, from int64
	if err := db.QueryRowContext(ctx, d.Rebind(`SELECT COALESCE(MAX(rid), 0), (`+recentFrom+`) FROM `+table),
		table, table+"_search_from_").Scan(&top, &from); err != nil {
		return err
	}
	if top < 2*recentRows || (from > 0 && top-from <= recentMax) {
		return nil
	}
	// A drop that failed half way leaves an invalid index, which writes
	// may still update: drop every one but the valid index in use.
	if err := dropRecent(ctx, db, table, recentName(table, from)); err != nil {
		return err
	}
	from = max(top-recentRows, 1)
	name := recentName(table, from)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE INDEX `+name+` ON `+table+` USING gin (search) WHERE `+recentCond(from)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	recentSeen.Lock()
	clear(recentSeen.m) // searches in this process take the new index at once
	recentSeen.Unlock()
	return dropRecent(ctx, db, table, name)
}

// dropRecent drops table's recent indexes other than keep.
func dropRecent(ctx context.Context, db querier, table, keep string) error {
	rows, err := db.QueryContext(ctx, dialect{}.Rebind(`SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = to_regclass(?) AND c.relname ~ ? AND c.relname::text <> ?`), table, "^"+table+"_search_from_[0-9]+$", keep)
	if err != nil {
		return err
	}
	var old []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		old = append(old, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range old {
		if _, err := db.ExecContext(ctx, `DROP INDEX CONCURRENTLY IF EXISTS `+n); err != nil {
			return err
		}
	}
	return nil
}

// refreshRecentAll refreshes the recent index of each searched table, on
// c. The build waits for the table's writers, the drop for its readers:
// each gives up after lockWait rather than hold its caller up.
func refreshRecentAll(ctx context.Context, c *sql.Conn) error {
	if _, err := c.ExecContext(ctx, `SET lock_timeout = '`+lockWait+`'`); err != nil {
		return err
	}
	defer c.ExecContext(context.WithoutCancel(ctx), `RESET lock_timeout`) // c goes back to a pool
	for _, t := range []string{"incidents", "persons"} {
		if err := refreshRecent(ctx, c, t); err != nil {
			return err
		}
	}
	return nil
}

// lockWait is how long a refresh waits for a lock.
const lockWait = "10s"

// recentFirst is the rest of a search (MatchNewest) through table t's
// recent index, from rid from (0: none), if that is the cheaper way: the
// matches in it below floor, newest first, then those below it from the
// index of the whole table (read only if the first are too few). top is
// the table's highest rid, share the share of the probe's rows that match,
// found how many they held,
// wider how many rows a read backwards would take. The costs, in µs, are
// measured ones (BENCHMARKS.md, "PostgreSQL search"): its index entries,
// about 0.35 µs a row of the index for two common words as prefixes, and
// each match fetched at about 3 µs; against 1.3 µs a row read backwards,
// or about 2 ms plus 5 µs a match for the whole index's list.
//
// It is taken when the recent rows should hold the page and cost less than
// the read backwards; and also when they should not but the whole index's
// list would be read instead: that list comes after the recent one anyway,
// which costs a fraction of it, and the probe's share of a few matches in
// 1,000 is often two or three times too low, so that the recent rows hold
// the page after all. Two terms in 0.8% of a million incidents, 3 of them
// in the probe: 2.4–3.3 ms of CPU through the recent index, 218–261 ms
// through the whole index (BENCHMARKS.md, "Search p95 on a quiet machine").
func recentFirst(t, query string, from, top, floor int64, share float64, wider int64, limit, found int) (string, []any, bool) {
	need := limit - found
	if from <= 0 || from >= floor {
		return "", nil, false
	}
	holds := share*float64(floor-from) >= 1.5*float64(need)
	backward := 1.3 * float64(wider)
	if !recentAlways && ((holds && 0.35*float64(top-from)+3*share*float64(floor-from) >= backward) ||
		(!holds && backward < 2000+5*share*float64(top))) {
		return "", nil, false
	}
	recent := `SELECT rid FROM (SELECT rid FROM ` + t + ` WHERE search @@ to_tsquery('english', ?) AND ` + recentCond(from) + ` OFFSET 0) m
		WHERE rid < ? ORDER BY rid DESC LIMIT ?`
	return `(` + recent + `) UNION ALL (` + older(t, "?") + `)`, []any{query, floor, need, query, from, need}, true
}
