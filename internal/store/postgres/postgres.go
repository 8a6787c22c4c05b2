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
	return s, nil
}

type dialect struct{}

func (dialect) Name() string { return "postgres" }

// Capabilities implements sqlstore.Dialect: the search text is a column of
// its row, set in batches.
func (d dialect) Capabilities() sqlstore.Capabilities {
	return sqlstore.Capabilities{BatchIndexer: d, InlineIndexer: d}
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
	_, err := tx.Exec(ctx, `UPDATE `+tables[table]+` SET search = to_tsvector('english', ?) WHERE rid = ?`, text, rid)
	return err
}

// SearchColumn implements sqlstore.InlineIndexer: an import's new rows
// get their search vector in their INSERT.
func (dialect) SearchColumn() (col, expr string) { return "search", `to_tsvector('english', ?)` }

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
		if _, err := tx.Exec(ctx, `UPDATE `+tables[table]+` AS t SET search = to_tsvector('english', v.body)
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
	query := `SELECT rid FROM ` + tables[table] + ` WHERE search @@ to_tsquery('english', ?)`
	if limit <= 0 {
		return query, []any{strings.Join(q, " & ")}
	}
	return query + ` ORDER BY rid DESC LIMIT ?`, []any{strings.Join(q, " & "), limit}
}
