package sqlite

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// PruneVocab implements sqlstore.VocabPruner: of the words of a text that
// was just sealed and purged from the history, those that no incident or
// person search row holds any more leave the search vocabulary and its
// index (secure-delete, migration 0010: gone from the index pages too).
// The search rows are asked through MATCH, which skips deleted rows (the
// tombstones of contentless_delete) and compares stems: a word that shares
// its English stem with a word still indexed stays.
func (dialect) PruneVocab(ctx context.Context, tx *sqlstore.Tx, words []string) error {
	args := make([]any, len(words))
	for i, w := range words {
		args[i] = w
	}
	gone, err := vocabRows(ctx, tx, func(n int) string {
		return `DELETE FROM search_vocab WHERE term IN (` + sqlstore.RowsOf("?", n) + `)
			AND NOT EXISTS (SELECT 1 FROM incident_fts WHERE incident_fts MATCH '"' || replace(search_vocab.term, '"', '""') || '"')
			AND NOT EXISTS (SELECT 1 FROM person_fts WHERE person_fts MATCH '"' || replace(search_vocab.term, '"', '""') || '"')
			RETURNING rid, term`
	}, args)
	if err != nil {
		return err
	}
	// An external-content index forgets a row only when told its values.
	return insertRows(ctx, tx, `INSERT INTO search_vocab_fts (search_vocab_fts, rowid, term) VALUES `, "('delete', ?, ?)", 2, gone)
}

// vocabRows runs stmt(n), a statement on search_vocab taking n words and
// returning the rid and term of the rows it changed, on words, indexRows
// at a time; it returns those rids and terms, in pairs.
func vocabRows(ctx context.Context, tx *sqlstore.Tx, stmt func(n int) string, words []any) ([]any, error) {
	var out []any
	for len(words) > 0 {
		part := words[:min(indexRows, len(words))]
		words = words[len(part):]
		rows, err := tx.Query(ctx, stmt(len(part)), part...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var rid int64
			var term string
			if err := rows.Scan(&rid, &term); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, rid, term)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CompactSearch implements sqlstore.SearchCompactor: FTS5's 'optimize'
// merges every segment of each index into one, which drops the entries of
// deleted rows (contentless indexes only mark them deleted, and
// secure-delete cannot reach a row whose words they do not store).
func (dialect) CompactSearch(ctx context.Context, tx *sqlstore.Tx) error {
	for _, fts := range []string{"incident_fts", "person_fts", "search_vocab_fts"} {
		if _, err := tx.Exec(ctx, `INSERT INTO `+fts+` (`+fts+`) VALUES ('optimize')`); err != nil {
			return fmt.Errorf("compact the search index %s: %w", fts, err)
		}
	}
	return nil
}
