// Package postgres is rasd's store for larger deployments: the same SQL
// core as the embedded store, on PostgreSQL with its own text search.
// Encryption at rest is the operator's disk encryption here; restricted
// fields are envelope-encrypted by the application above the store.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/rasd-project/rasd/internal/searchtext"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// Open connects to the database at url (postgres://…) and brings its
// schema up to date.
func Open(ctx context.Context, url string, auditKey []byte) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: cannot connect (check --db / RASD_DB and that the server runs): %w", err)
	}
	s, err := sqlstore.New(ctx, db, dialect{}, auditKey)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// The index of the newest rows, made again if the tables have grown
	// past it (recent.go). Without it searches are exact, only slower in
	// a large table, so a failure here (a server busy for longer than the
	// caller waits) does not stop the store from opening.
	if c, err := db.Conn(ctx); err == nil {
		refreshRecentAll(ctx, c)
		c.Close()
	}
	return s, nil
}

type dialect struct{}

func (dialect) Name() string { return "postgres" }

// Capabilities implements sqlstore.Dialect: the search text is a column of
// its row, set in batches; a search runs in steps (MatchNewest); an import
// copies its rows (copy.go).
func (d dialect) Capabilities() sqlstore.Capabilities {
	return sqlstore.Capabilities{BatchIndexer: d, InlineIndexer: d, NewestMatcher: d, Copier: d, ImportAnalyzer: d, IndexDeferrer: d, ImportTuner: d}
}
func (dialect) LockHead() string { return " FOR UPDATE" }

// Rebind numbers the '?' placeholders; rasd's queries hold no '?' in
// literals.
func (dialect) Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var tables = map[string]string{"incident": "incidents", "person": "persons"}

func (dialect) IndexText(ctx context.Context, tx *sqlstore.Tx, table string, rid int64, text string, _ bool) error {
	_, err := tx.Exec(ctx, `UPDATE `+tables[table]+` SET search = strip(to_tsvector('english', ?)) WHERE rid = ?`, text, rid)
	return err
}

// SearchColumn implements sqlstore.InlineIndexer: an import's new rows
// get their search vector in their INSERT.
// Without positions (strip): no search uses them (phrases, ranking), and
// an import builds the same vector from its words (Copier, copy.go).
func (dialect) SearchColumn() (col, expr string) { return "search", `strip(to_tsvector('english', ?))` }

// indexChunk is how many search texts one statement of IndexBatch sets.
const indexChunk = 1000

// IndexBatch implements sqlstore.BatchIndexer: a transaction's search
// texts are set a thousand rows per statement (one round trip) instead of
// one UPDATE per row. A row's old text, if any, is simply replaced.
func (dialect) IndexBatch(ctx context.Context, tx *sqlstore.Tx, table string, rows []sqlstore.IndexRow) error {
	for len(rows) > 0 {
		part := rows[:min(indexChunk, len(rows))]
		rows = rows[len(part):]
		rids, texts := make([]int64, len(part)), make([]string, len(part))
		for i, r := range part {
			rids[i], texts[i] = r.RID, r.Text
		}
		if _, err := tx.Exec(ctx, `UPDATE `+tables[table]+` AS t SET search = strip(to_tsvector('english', v.body))
			FROM unnest(?::bigint[], ?::text[]) AS v (rid, body) WHERE t.rid = v.rid`, rids, texts); err != nil {
			return err
		}
	}
	return nil
}

// Match builds a query of every term, each a prefix query of its word and
// stem or its name key whole; terms hold only letters and digits
// (textnorm.Terms), so none can be tsquery syntax.
func (dialect) Match(table string, terms []searchtext.Term, limit int) (string, []any) {
	query := `SELECT rid FROM ` + tables[table] + ` WHERE search @@ to_tsquery('english', ?)`
	if limit <= 0 {
		return query, []any{tsquery(terms)}
	}
	return query + ` ORDER BY rid DESC LIMIT ?`, []any{tsquery(terms), limit}
}

// tsquery is the text query of every term.
func tsquery(terms []searchtext.Term) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		var alt []string
		for _, p := range t.Prefixes() {
			alt = append(alt, p+":*")
		}
		if t.Key != "" {
			alt = append(alt, t.Key)
		}
		q[i] = "(" + strings.Join(alt, " | ") + ")"
	}
	return strings.Join(q, " & ")
}

// probeWindow is how many of the newest rows MatchNewest first reads one
// by one: about 1.3 ms at 1.3 µs a row (quiet machine).
var probeWindow int64 = 1000 // a variable for tests

// MatchNewest implements sqlstore.NewestMatcher. A search wants the newest
// matches; the GIN index finds every match, in no order. Asked both in one
// query, the planner estimates any prefix term at 0.5% of rows or more,
// reads the primary key backwards filtering every row, and for a rare name
// reads the whole table: 53–67 ms at 20,000 incidents (BENCHMARKS.md,
// "PostgreSQL search"). So in two round trips:
//  1. here, the newest probeWindow rows, read backwards and filtered;
//  2. in the query returned, if they hold fewer than limit matches: what
//     they hold measures how common the match is, and the cheapest of three
//     ways goes on: a larger window read the same way (about limit/share
//     rows at 1.3 µs), or a bitmap of the text index for the older rows
//     (about 2 ms, plus share × rows fetched at up to 5 µs each, rechecking
//     the text), measured by EXPLAIN ANALYZE at 20,000 incidents; or, in a
//     large table, the index of the newest rows first (recentFirst).
//
// The query returned yields the newest matches first, in UNION ALL's
// order (an Append runs its branches in turn, and its LIMIT stops it when
// the first has enough), so a branch that is not needed never runs.
func (d dialect) MatchNewest(ctx context.Context, db *sql.DB, table string, terms []searchtext.Term, limit int) (string, []any, error) {
	t, query := tables[table], tsquery(terms)
	// The highest rid (0 if none), the lowest of the window, then the
	// matches in the window.
	window := `SELECT rid FROM ` + t + ` ORDER BY rid DESC LIMIT ?`
	ids, err := rowIDs(db.QueryContext(ctx, d.Rebind(`SELECT COALESCE(MAX(rid), 0) FROM `+t+
		` UNION ALL SELECT COALESCE(MIN(rid), 0) FROM (`+window+`) w UNION ALL (`+newest(t)+`)`),
		probeWindow, probeWindow, query, limit))
	if err != nil {
		return "", nil, err
	}
	top, floor, rids := ids[0], ids[1], ids[2:]
	if len(rids) == limit || probeWindow >= top {
		return sqlstore.RowIDs(rids), sqlstore.Args(rids), nil
	}
	share := max(float64(len(rids)), 0.5) / float64(probeWindow)
	found, args := sqlstore.RowIDs(rids)+` UNION ALL `, sqlstore.Args(rids)
	if len(rids) == 0 {
		found = ""
	}
	wider := int64(1.5 * float64(limit) / share)
	if q, a, ok := recentFirst(t, query, recentStart(ctx, db, t), top, floor, share, wider, limit, len(rids)); ok {
		return `SELECT rid FROM (` + found + q + `) u LIMIT ?`, append(append(args, a...), limit), nil
	}
	if 1.3*float64(wider) < 2000+5*share*float64(top) {
		// Further back from the probe's window, the same way, then the
		// index below that: one statement, so one snapshot between them.
		below := `SELECT rid FROM ` + t + ` WHERE rid < ? ORDER BY rid DESC LIMIT ?`
		further := `SELECT rid FROM (SELECT rid, search FROM ` + t + ` WHERE rid < ? ORDER BY rid DESC LIMIT ?) w
			WHERE search @@ to_tsquery('english', ?) LIMIT ?`
		return `SELECT rid FROM (` + found + `(` + further + `) UNION ALL (` + older(t, `(SELECT MIN(rid) FROM (`+below+`) b)`) + `)) u LIMIT ?`,
			append(args, floor, wider-probeWindow, query, limit-len(rids), query, floor, wider-probeWindow, limit-len(rids), limit), nil
	}
	// Below the probe's window, as it was: rows added since are left out.
	return found + `(` + older(t, "?") + `)`, append(args, query, floor, limit-len(rids)), nil
}

// older is the query of the matches of t below a rid, newest first, from
// the text index of the whole table: its arguments are the text query,
// those of below, and the limit.
func older(t, below string) string {
	return `SELECT rid FROM (SELECT rid FROM ` + t + ` WHERE search @@ to_tsquery('english', ?) OFFSET 0) m
		WHERE rid < ` + below + ` ORDER BY rid DESC LIMIT ?`
}

// newest is the query of the matches among the newest rows of t: its
// arguments are how many rows, the text query and the limit. The rows are
// read by the primary key backwards, tested, and no more than needed:
// planned by its LIMIT, whatever the statistics (stale after an import)
// say of the rids.
func newest(t string) string {
	return `SELECT rid FROM (SELECT rid, search FROM ` + t + ` ORDER BY rid DESC LIMIT ?) w
		WHERE search @@ to_tsquery('english', ?) LIMIT ?`
}

func rowIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return nil, err
		}
		out = append(out, rid)
	}
	return out, rows.Err()
}
