package sqlstore

import (
	"context"
	"sort"
)

// BatchIndexer is implemented by a Dialect whose search index is much
// faster to fill once per transaction than row by row. SQLite's FTS5 is:
// it keeps new rows in memory until the transaction ends, but every later
// write statement in the transaction opens a savepoint, which makes FTS5
// flush what it holds to disk as a new index segment. Indexing each
// incident as it is written, between its other statements, therefore wrote
// one tiny segment per row and spent most of an import merging them.
//
// With a BatchIndexer, a Tx queues the search texts and hands them over
// just before the transaction commits (inside it, so a failure still rolls
// everything back), or whenever maxQueuedTexts are waiting: that bounds the
// memory of a large import and still makes segments of thousands of rows.
// Nothing reads the index inside a write transaction.
type BatchIndexer interface {
	// IndexBatch sets the search text of each row of table ("incident" or
	// "person"): rows with Replace set had a text before this batch and
	// lose it first. Every RID appears once, in increasing order.
	IndexBatch(ctx context.Context, tx *Tx, table string, rows []IndexRow) error
}

// InlineIndexer is implemented by a Dialect that keeps a row's search text
// in a column of the row itself (PostgreSQL's tsvector). An import's new
// rows then get it in their INSERT: set by a later UPDATE, every row would
// be written twice, and with a GIN index on the column that UPDATE can
// never be a heap-only one, so every index of the table takes the row
// again.
type InlineIndexer interface {
	// SearchColumn returns the column and the SQL expression that makes
	// its value from one bound text.
	SearchColumn() (col, expr string)
}

// inlineSearch returns the dialect's search column and expression, if it
// is an InlineIndexer.
func (s *DB) inlineSearch() (col, expr string, ok bool) {
	if s.caps.InlineIndexer == nil {
		return "", "", false
	}
	col, expr = s.caps.InlineIndexer.SearchColumn()
	return col, expr, true
}

// VocabPruner is implemented by a Dialect that keeps a vocabulary of the
// words in its search index (SQLite's search_vocab). When a record's text
// is sealed and purged from the history, its words may be in no indexed
// row any more: PruneVocab, called before commit after the last search
// texts are written, removes those of words (normalised terms) that no
// indexed row holds.
type VocabPruner interface {
	PruneVocab(ctx context.Context, tx *Tx, words []string) error
}

// pruneVocab hands the words purged in this transaction to the dialect.
func (t *Tx) pruneVocab(ctx context.Context) error {
	vp := t.s.caps.VocabPruner
	if vp == nil || len(t.dropped) == 0 {
		return nil
	}
	words := make([]string, 0, len(t.dropped))
	for w := range t.dropped {
		words = append(words, w)
	}
	sort.Strings(words)
	t.dropped = nil
	return vp.PruneVocab(ctx, t, words)
}

// IndexRow is one row's search text for a BatchIndexer.
type IndexRow struct {
	RID     int64
	Text    string
	Replace bool
}

// maxQueuedTexts is how many search texts a Tx holds before handing them
// to its BatchIndexer (about 10 MB of text for incidents).
var maxQueuedTexts = 10000

// indexQueue holds a transaction's search texts per table until commit.
type indexQueue struct {
	tables []string                      // in first-use order
	rows   map[string]map[int64]IndexRow // table → rid → row
	n      int                           // rows held, all tables
}

// indexText sets the search text of row rid of table: at once, or queued
// until commit if the dialect is a BatchIndexer. replace is false for a
// new row.
func (t *Tx) indexText(ctx context.Context, table string, rid int64, text string, replace bool) error {
	if t.s.caps.BatchIndexer == nil {
		return t.s.d.IndexText(ctx, t, table, rid, text, replace)
	}
	q := &t.index
	if q.rows == nil {
		q.rows = map[string]map[int64]IndexRow{}
	}
	m := q.rows[table]
	if m == nil {
		m = map[int64]IndexRow{}
		q.rows[table] = m
		q.tables = append(q.tables, table)
	}
	if prev, ok := m[rid]; ok {
		// Written twice in one batch: the last text wins, and the row had
		// a text before the batch only if it did the first time.
		replace = prev.Replace
	} else {
		q.n++
	}
	m[rid] = IndexRow{RID: rid, Text: text, Replace: replace}
	if q.n >= maxQueuedTexts {
		return t.flushIndex(ctx)
	}
	return nil
}

// flushIndex hands the queued search texts to the dialect.
func (t *Tx) flushIndex(ctx context.Context) error {
	bi := t.s.caps.BatchIndexer
	if bi == nil {
		return nil
	}
	for _, table := range t.index.tables {
		m := t.index.rows[table]
		rows := make([]IndexRow, 0, len(m))
		for _, r := range m {
			rows = append(rows, r)
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].RID < rows[j].RID })
		if err := bi.IndexBatch(ctx, t, table, rows); err != nil {
			return err
		}
	}
	t.index = indexQueue{}
	return nil
}

// SearchCompactor is implemented by a Dialect whose search index keeps
// the words of deleted rows in its pages until it is rewritten (SQLite's
// FTS5 with contentless tables).
type SearchCompactor interface {
	CompactSearch(ctx context.Context, tx *Tx) error
}

// CompactSearch implements store.Keys: nothing to do where the dialect's
// index drops deleted words itself (PostgreSQL's tsvector column is
// rewritten with its row).
func (s *DB) CompactSearch(ctx context.Context) error {
	c := s.caps.SearchCompactor
	if c == nil {
		return nil
	}
	return s.write(ctx, func(t *Tx) error { return c.CompactSearch(ctx, t) })
}
