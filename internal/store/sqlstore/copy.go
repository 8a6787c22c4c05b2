package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Copier is implemented by a Dialect that loads rows faster than a
// multi-row INSERT can (PostgreSQL's COPY): an import writes its new
// incidents, their perpetrators and victims, versions and audit entries
// through it, in the import's transaction, so a failure still undoes all.
type Copier interface {
	// CopyRows writes rows (values in the order of cols) into table on
	// conn, whose transaction is open.
	CopyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error
	// NewRIDs takes n new rids of table, in increasing order.
	NewRIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error)
	// SearchValue is the value of a row's search column for the indexed
	// text, equal to what IndexText would store. words are the text's
	// distinct words' index forms, which the dialect fills in for words it
	// is missing (SearchWords) before any SearchValue of the rows.
	SearchValue(text string, words map[string][]string) any
	// SearchWords adds to words the index forms of the missing ones.
	SearchWords(ctx context.Context, tx *Tx, missing []string, words map[string][]string) error
}

// copier is the dialect's Copier if this transaction can use it: it runs
// on a connection of its own (an import's, writeImportOn).
func (t *Tx) copier() Copier {
	if t.conn == nil {
		return nil
	}
	return t.s.caps.Copier
}

// copyRows writes rows of cols into table through the Copier; its error
// names the table.
func (t *Tx) copyRows(ctx context.Context, c Copier, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	names := strings.Split(cols, ",")
	for i, n := range names {
		names[i] = strings.TrimSpace(n)
	}
	if err := c.CopyRows(ctx, t.conn, table, names, rows); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

// searchValues are the search column's values of texts, asking the
// dialect once for the words no earlier chunk of the import had.
func (t *Tx) searchValues(ctx context.Context, c Copier, texts []string) ([]any, error) {
	if t.words == nil {
		t.words = map[string][]string{}
	}
	var missing []string
	for _, text := range texts {
		for _, w := range strings.Fields(text) {
			if _, ok := t.words[w]; !ok {
				t.words[w] = nil // asked once
				missing = append(missing, w)
			}
		}
	}
	if len(missing) > 0 {
		if err := c.SearchWords(ctx, t, missing, t.words); err != nil {
			return nil, fmt.Errorf("search words: %w", err)
		}
	}
	out := make([]any, len(texts))
	for i, text := range texts {
		out[i] = c.SearchValue(text, t.words)
	}
	return out, nil
}
