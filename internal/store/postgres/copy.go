package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

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
// The sequence is named once per statement (a scalar subquery), not once
// per rid: pg_get_serial_sequence for every row was 4% of the server's
// time in an import (BENCHMARKS.md).
func (dialect) NewRIDs(ctx context.Context, tx *sqlstore.Tx, table string, n int) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT nextval((SELECT CAST(pg_get_serial_sequence(?, 'rid') AS regclass))) AS rid
		FROM generate_series(1, ?) ORDER BY rid`, table, n)
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
// row cost the server about 72 µs a row (BENCHMARKS.md).
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
//
// Called for every row of an import, one after another: the lexemes are
// gathered in a buffer kept between calls, not a slice made per row.
func (dialect) SearchValue(text string, words map[string][]string) any {
	buf := lexBuf.Get().(*[]string)
	lex := (*buf)[:0]
	for w := range strings.FieldsSeq(text) {
		lex = append(lex, words[w]...)
	}
	slices.Sort(lex)
	lex = slices.Compact(lex)
	v := pgtype.TSVector{Lexemes: make([]pgtype.TSVectorLexeme, len(lex)), Valid: true}
	for i, l := range lex {
		v.Lexemes[i].Word = l
	}
	clear(lex) // the buffer keeps no words alive
	*buf = lex
	lexBuf.Put(buf)
	return v
}

var lexBuf = sync.Pool{New: func() any { return new([]string) }}

// AnalyzeImport implements sqlstore.ImportAnalyzer: only the columns an
// import looks rows up by (external keys, and the incident of the
// children its statistics facts are derived from), so that it is quick.
// A small sample (3,000 rows) is enough to plan lookups by unique keys;
// autovacuum analyzes fully after the import.
func (dialect) AnalyzeImport(ctx context.Context, tx *sqlstore.Tx) error {
	if _, err := tx.Exec(ctx, `SET LOCAL default_statistics_target = 10`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `ANALYZE incidents (ext_system, ext_id), perpetrators (incident_rid), victims (incident_rid)`)
	return err
}

// BeginImport implements sqlstore.ImportTuner: the import's connection
// compresses long values (original columns, snapshots) with LZ4 where the
// server has it, not pglz, which took a tenth of the server's time in an
// import (BENCHMARKS.md). Values compressed either way read back alike.
//
// After the import, the index of the newest rows is made again if the
// import has grown the tables past it (refreshRecent), and after a large
// one the tables it filled are vacuumed and analyzed (vacuumImported).
func (dialect) BeginImport(ctx context.Context, conn *sql.Conn, n int) (func(), error) {
	recent := func() {
		refreshRecentAll(context.WithoutCancel(ctx), conn)
		if n >= 1000 {
			vacuumImported(context.WithoutCancel(ctx), conn)
		}
	}
	if _, err := conn.ExecContext(ctx, `SET default_toast_compression = 'lz4'`); err != nil {
		return recent, nil // a server built without LZ4 keeps its default
	}
	return func() {
		conn.ExecContext(context.Background(), `RESET default_toast_compression`)
		recent()
	}, nil
}

// vacuumImported vacuums and analyzes the tables an import fills, after
// an import of many rows. Counts, lists and the duplicate lookup on save
// read them by index-only scans (the statistics facts, the incidents by
// status, the blocking tables of docs/duplicates.md), which visit each
// row's table page until VACUUM has marked it all-visible, and the planner
// knows nothing of rows added until they are analyzed. Right after a first
// load of 1,000,000 incidents a lookup on save took p95 146 ms (9.5 ms
// after), and the dashboard 7-8 s (0.4-1.7 s after); the VACUUM took
// about 5 s, where autovacuum would come minutes later, or never where it
// is off (BENCHMARKS.md). VACUUM cannot run in the import's transaction,
// so this runs after it; a failure only leaves the work to autovacuum.
func vacuumImported(ctx context.Context, conn *sql.Conn) {
	conn.ExecContext(ctx, `VACUUM (ANALYZE) `+strings.Join(vacuumedTables, ", "))
}

// vacuumedTables are the tables vacuumImported vacuums.
var vacuumedTables = []string{"incidents", "stat_facts", "perpetrators", "victims", "persons",
	"incident_name_keys", "incident_victim_names"}

// deferredTables are the tables whose secondary indexes a first load may
// build afterwards: those an import adds rows to (as on SQLite).
var deferredTables = []string{"incidents", "persons", "victims", "perpetrators", "stat_facts", "incident_name_keys", "incident_victim_names"}

// DeferIndexes implements sqlstore.IndexDeferrer for a first load: an
// import of 1,000 incidents or more into a store that has none drops the
// non-unique indexes of deferredTables (the text index too) and builds them
// again before commit. Each row of an import otherwise goes into 17 such
// indexes, which took most of the server's time (BENCHMARKS.md); built
// once from the loaded tables they cost far less. The foreign keys of the
// tables an import fills go too, and are added again after the indexes
// (dropForeignKeys). Dropping an index locks
// its table until commit, so only into an empty store, which nobody is
// reading yet; unique indexes stay (the import looks records up by them).
// All in the import's transaction: a failure leaves the indexes as they were.
func (dialect) DeferIndexes(ctx context.Context, tx *sqlstore.Tx, n int) (func(context.Context) error, error) {
	if n < 1000 {
		return nil, nil
	}
	var stored bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM incidents)`).Scan(&stored); err != nil || stored {
		return nil, err
	}
	readd, err := dropForeignKeys(ctx, tx)
	if err != nil {
		return nil, err
	}
	rebuild, err := tx.DropIndexes(ctx, `SELECT CAST(i.indexrelid AS regclass)::text, pg_get_indexdef(i.indexrelid)
		FROM unnest(CAST(? AS text[])) AS t (name) JOIN pg_index i ON i.indrelid = to_regclass(t.name)
		WHERE NOT i.indisunique AND NOT i.indisprimary ORDER BY 1`, deferredTables)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		// Enough memory to sort a million rows' entries in few passes.
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		if err := rebuild(ctx); err != nil {
			return err
		}
		return readd(ctx)
	}, nil
}

// importedTables are the tables an import adds rows to: deferredTables and
// the murders' table, whose rows also name their incident.
var importedTables = append([]string{"impunity"}, deferredTables...)

// dropForeignKeys drops, for a first load, the foreign keys of the tables
// an import fills, and returns what adds them again. Checked row by row,
// every perpetrator, victim, statistics fact, name key and murder looked
// its incident up and locked it: a quarter of the server's time in an
// import (BENCHMARKS.md). Added again at the end, each is validated in
// one pass over its table (a join), and a row whose parent is missing
// fails the import there, so it is still all or nothing.
func dropForeignKeys(ctx context.Context, tx *sqlstore.Tx) (func(context.Context) error, error) {
	rows, err := tx.Query(ctx, `SELECT CAST(c.conrelid AS regclass)::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
		FROM unnest(CAST(? AS text[])) AS t (name) JOIN pg_constraint c ON c.conrelid = to_regclass(t.name)
		WHERE c.contype = 'f' ORDER BY 1, 2`, importedTables)
	if err != nil {
		return nil, fmt.Errorf("list foreign keys: %w", err)
	}
	type fk struct{ table, name, def string }
	var fks []fk
	for rows.Next() {
		var k fk
		if err := rows.Scan(&k.table, &k.name, &k.def); err != nil {
			rows.Close()
			return nil, err
		}
		fks = append(fks, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, k := range fks {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+k.table+` DROP CONSTRAINT `+k.name); err != nil {
			return nil, fmt.Errorf("drop foreign key %s: %w", k.name, err)
		}
	}
	return func(ctx context.Context) error {
		for _, k := range fks {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+k.table+` ADD CONSTRAINT `+k.name+` `+k.def); err != nil {
				return fmt.Errorf("add foreign key %s again: %w", k.name, err)
			}
		}
		return nil
	}, nil
}
