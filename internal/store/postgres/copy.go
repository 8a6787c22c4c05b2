package postgres

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// CopyRows implements sqlstore.Copier with COPY (pgx's CopyFrom) on the
// import's own connection, inside its open transaction: one stream of
// rows per table and chunk instead of a statement of thousands of
// parameters to parse and plan.
func (dialect) CopyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}

// NewRIDs implements sqlstore.Copier: rows given by COPY name their rid,
// taken here from the identity column's sequence, as an INSERT would.
func (dialect) NewRIDs(ctx context.Context, tx *sqlstore.Tx, table string, n int) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence(?, 'rid')) AS rid FROM generate_series(1, ?) ORDER BY rid`, table, n)
	ids, err := rowIDs(rows, err)
	if err == nil && len(ids) != n {
		err = errors.New("the rid sequence gave too few values")
	}
	return ids, err
}

// SearchWords implements sqlstore.Copier: the server's own 'english'
// configuration gives each word's lexemes (none for a stop word), so that
// a row's search vector is what to_tsvector makes of its text. Asked once
// per distinct word of an import, not once per row: to_tsvector of every
// row was the largest part of the server's time in an import.
func (dialect) SearchWords(ctx context.Context, tx *sqlstore.Tx, missing []string, words map[string][]string) error {
	rows, err := tx.Query(ctx, `SELECT w, l FROM unnest(CAST(? AS text[])) AS w
		CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', w))) AS l`, missing)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var w, l string
		if err := rows.Scan(&w, &l); err != nil {
			return err
		}
		words[w] = append(words[w], l)
	}
	return rows.Err()
}

// SearchValue implements sqlstore.Copier: the text's lexemes, sorted and
// without positions, as strip(to_tsvector('english', text)) gives them
// (IndexText). The text is words separated by spaces (searchtext.Index),
// which the parser reads one by one, so its lexemes are its words'.
func (dialect) SearchValue(text string, words map[string][]string) any {
	var lex []string
	for _, w := range strings.Fields(text) {
		lex = append(lex, words[w]...)
	}
	slices.Sort(lex)
	lex = slices.Compact(lex)
	v := pgtype.TSVector{Lexemes: make([]pgtype.TSVectorLexeme, len(lex)), Valid: true}
	for i, l := range lex {
		v.Lexemes[i].Word = l
	}
	return v
}

// AnalyzeImport implements sqlstore.ImportAnalyzer: only the columns an
// import looks rows up by (external keys, and the incident of the
// children its statistics facts are derived from), so that it is quick.
func (dialect) AnalyzeImport(ctx context.Context, tx *sqlstore.Tx) error {
	_, err := tx.Exec(ctx, `ANALYZE incidents (ext_system, ext_id), perpetrators (incident_rid), victims (incident_rid)`)
	return err
}
