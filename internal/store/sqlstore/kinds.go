package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	kindrec "github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/searchtext"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// kindTable keeps one record kind (package kinds) in a table of its own:
// rid and id, a column per field named as the field (lists as JSON
// text), and the bookkeeping columns every record has. Create, update,
// read, list and search, with history, audit and sealing, are written
// once here for every kind.
type kindTable[T any] struct {
	kind  *kindrec.Kind[T]
	table string
	// search says how the kind is found by its Search fields: through the
	// dialect's full-text index of that name (Match, IndexText), or, for
	// kinds with few records, with LIKE on a search_text column.
	search searchBy
	index  string
	// order sorts lists.
	order string
	cols  string // rid, id, the fields, the bookkeeping
	// derived are columns the store computes from the record on every
	// write, outside its description and history, like search_text: a
	// case's next check-in day, to sort the board by (protection.go); a
	// commitment's due day and status, which figures count in SQL.
	derived []derived[T]
	// hidden, if set, is a condition on p true of records that lists and
	// searches leave out, though Get reads them: persons merged into
	// another (docs/persons.md), found through the merge's redirect.
	hidden string
	// written, if set, runs in the transaction after each write of a
	// record (with the old version too, after an update).
	written func(ctx context.Context, t *Tx, r *T) error
	// updated, if set, runs in the transaction after an update, with the
	// old version and the new.
	updated func(ctx context.Context, t *Tx, old, r *T) error
	// totals, if set, are running totals of the kind's records, moved
	// with every write (totals.go).
	totals *totals
}

// derived is a column computed from a record on every write.
type derived[T any] struct {
	col string
	val func(*T) any
}

type searchBy int

const (
	searchIndex searchBy = iota
	searchLike
)

var (
	personTable = func() *kindTable[model.Person] {
		kt := newKindTable(kinds.Person, "persons", searchIndex, "person", "p.rid DESC")
		kt.hidden = `EXISTS (SELECT 1 FROM person_merges pm WHERE pm.from_id = p.id AND pm.undone_at IS NULL)`
		return kt
	}()
	orgTable = newKindTable(kinds.Organisation, "organisations", searchLike, "", "p.name_en, p.name_ar, p.rid")
	// The kinds of people at risk (docs/protection.md): none is searched
	// by its text, which is sealed.
	threatTable     = newKindTable(kinds.Threat, "threats", searchLike, "", "")
	hitListTable    = newKindTable(kinds.HitList, "hit_lists", searchLike, "", "")
	hitEntryTable   = newKindTable(kinds.HitListEntry, "hit_list_entries", searchLike, "", "")
	caseTable       = newKindTable(kinds.ProtectionCase, "protection_cases", searchLike, "", "")
	assessmentTable = newKindTable(kinds.Assessment, "assessments", searchLike, "", "")
	measureTable    = newKindTable(kinds.Measure, "measures", searchLike, "", "")
	moveTable       = newKindTable(kinds.Move, "moves", searchLike, "", "")
	checkInTable    = newKindTable(kinds.CheckIn, "checkins", searchLike, "", "")
	// docs/counting.md, "Commitments and deadlines" and "Impunity".
	commitmentTable = func() *kindTable[model.Commitment] {
		kt := newKindTable(kinds.Commitment, "commitments", searchLike, "", "p.made_on DESC, p.rid DESC")
		kt.derived = []derived[model.Commitment]{
			{"due_on", func(c *model.Commitment) any { due, _ := commitmentDue(c); return due }},
			{"status", func(c *model.Commitment) any { _, status := commitmentDue(c); return status }},
		}
		kt.totals = commitmentTotals
		return kt
	}()
	committeeTable = newKindTable(kinds.Committee, "committees", searchLike, "", "p.formed_on DESC, p.rid DESC")
	stepTable      = newKindTable(kinds.JudicialStep, "judicial_steps", searchLike, "", "")
)

// kindTables are the stores of the record kinds, by kind name: every kind
// of package kinds has its table here (KindStore).
func (s *DB) kindTables() map[string]any {
	return map[string]any{
		kinds.Person.Name:         kindStore[model.Person]{s, personTable},
		kinds.Organisation.Name:   kindStore[model.Organisation]{s, orgTable},
		kinds.Threat.Name:         kindStore[model.Threat]{s, threatTable},
		kinds.HitList.Name:        kindStore[model.HitList]{s, hitListTable},
		kinds.HitListEntry.Name:   kindStore[model.HitListEntry]{s, hitEntryTable},
		kinds.ProtectionCase.Name: kindStore[model.ProtectionCase]{s, caseTable},
		kinds.Assessment.Name:     kindStore[model.Assessment]{s, assessmentTable},
		kinds.Measure.Name:        kindStore[model.Measure]{s, measureTable},
		kinds.Move.Name:           kindStore[model.Move]{s, moveTable},
		kinds.CheckIn.Name:        kindStore[model.CheckIn]{s, checkInTable},
		kinds.Person.Name:         kindStore[model.Person]{s, personTable},
		kinds.Organisation.Name:   kindStore[model.Organisation]{s, orgTable},
		kinds.Commitment.Name:     kindStore[model.Commitment]{s, commitmentTable},
		kinds.Committee.Name:      kindStore[model.Committee]{s, committeeTable},
		kinds.JudicialStep.Name:   kindStore[model.JudicialStep]{s, stepTable},
	}
}

// KindStore implements store.Store.
func (s *DB) KindStore(name string) any { return s.kindTables()[name] }

// orderOf is the ORDER BY of a kind's lists: its Order field, else newest
// first.
func orderOf(order string) string {
	switch {
	case order == "":
		return "p.rid DESC"
	case order[0] == '-':
		return "p." + order[1:] + " DESC, p.rid DESC"
	}
	return "p." + order + ", p.rid"
}

func newKindTable[T any](k *kindrec.Kind[T], table string, search searchBy, index, order string) *kindTable[T] {
	if order == "" {
		order = orderOf(k.Order)
	}
	cols := []string{"rid", "id"}
	for _, f := range k.Fields {
		cols = append(cols, f.Name)
	}
	cols = append(cols, "version", "created_at", "updated_at", "created_by", "updated_by")
	return &kindTable[T]{kind: k, table: table, search: search, index: index, order: order,
		cols: strings.Join(cols, ", ")}
}

// values are r's field columns, in the order of cols.
func (kt *kindTable[T]) values(r *T) []any {
	out := make([]any, 0, len(kt.kind.Fields))
	for _, f := range kt.kind.Fields {
		v := kt.kind.Get(r, f.Name)
		if l, ok := v.([]string); ok {
			v = jsonList(l)
		}
		out = append(out, v)
	}
	return out
}

// insertCols are the columns an insert names: cols without rid, and the
// search_text column of a kind found with LIKE.
func (kt *kindTable[T]) insertCols() string {
	c := strings.TrimPrefix(kt.cols, "rid, ")
	if kt.search == searchLike {
		c += ", search_text"
	}
	for _, d := range kt.derived {
		c += ", " + d.col
	}
	return c
}

// insertArgs are the values of insertCols for a new record.
func (kt *kindTable[T]) insertArgs(r *T) []any {
	m := kt.kind.Meta(r)
	args := append(append([]any{kt.kind.ID(r)}, kt.values(r)...), m.Version, m.CreatedAt, m.UpdatedAt, m.CreatedBy, m.UpdatedBy)
	if kt.search == searchLike {
		args = append(args, likeText(kt.kind.SearchText(r)))
	}
	for _, d := range kt.derived {
		args = append(args, d.val(r))
	}
	return args
}

// scan reads one row of cols (columns qualified or not, in that order).
func (kt *kindTable[T]) scan(row interface{ Scan(...any) error }) (*T, int64, error) {
	var (
		r   = new(T)
		rid int64
		id  string
		m   model.Meta
	)
	dest := []any{&rid, &id}
	lists := map[string]*string{}
	for _, f := range kt.kind.Fields {
		switch kt.kind.Get(r, f.Name).(type) {
		case []string:
			s := new(string)
			lists[f.Name] = s
			dest = append(dest, s)
		case string:
			dest = append(dest, new(string))
		case int:
			dest = append(dest, new(int))
		case bool:
			dest = append(dest, new(bool))
		}
	}
	dest = append(dest, &m.Version, &m.CreatedAt, &m.UpdatedAt, &m.CreatedBy, &m.UpdatedBy)
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, store.ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", kt.kind.Name, err)
	}
	kt.kind.SetID(r, id)
	for i, f := range kt.kind.Fields {
		switch d := dest[2+i].(type) {
		case *string:
			if l, ok := lists[f.Name]; ok {
				kt.kind.Set(r, f.Name, fromJSONList(*l))
			} else {
				kt.kind.Set(r, f.Name, *d)
			}
		case *int:
			kt.kind.Set(r, f.Name, *d)
		case *bool:
			kt.kind.Set(r, f.Name, *d)
		}
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	*kt.kind.Meta(r) = m
	return r, rid, nil
}

// sealed is the sealed text on its way to the store that r carries.
func (kt *kindTable[T]) sealed(r *T) *model.SealedText { return kt.kind.SealedText(r) }

// snapshot is r as its history keeps it: no bookkeeping, and the digest
// of its sealed text instead of the text.
func (kt *kindTable[T]) snapshot(r *T) []byte {
	c := *r
	*kt.kind.Meta(&c) = model.Meta{}
	return withSealed(snapshot(c), kt.sealed(r).Sealed)
}

// indexText is what the kind's search index holds of r: its Search
// fields (none once they are sealed), names, with their name keys
// (docs/search.md).
func (kt *kindTable[T]) indexText(r *T) string {
	var x searchtext.Index
	x.Name(kt.kind.SearchText(r))
	return x.String()
}

// likeText is a normalised search text with spaces around each term, so
// that LIKE '% term%' matches from a word's start.
func likeText(s string) string { return " " + strings.Join(textnorm.Terms(s), " ") + " " }

// seal prepares r's sealed group for the write: the text arrives sealed
// (package keys) and blank in the fields, or r is not restricted.
func (kt *kindTable[T]) seal(r *T, stored *model.Sealed) error {
	st := kt.sealed(r)
	var err error
	if st.Sealed, err = sealNow(*st, stored, kt.kind.Name, kt.kind.ID(r), kt.kind.Visibility(r)); err != nil {
		return err
	}
	if f := kt.kind.ClearText(r); st.Sealed != nil && f != "" {
		return errClearText(kt.kind.Name, kt.kind.ID(r), f)
	}
	return nil
}

// create stores a new record with its first version.
func (kt *kindTable[T]) create(ctx context.Context, t *Tx, actor string, r *T) (int64, error) {
	now := t.s.clock()
	kt.kind.SetID(r, uuid.Must(uuid.NewV7()).String())
	if kt.kind.Visibility(r) == "" {
		kt.kind.Set(r, "visibility", model.VisibilityInternal)
	}
	if err := kt.seal(r, nil); err != nil {
		return 0, err
	}
	*kt.kind.Meta(r) = newMeta(now, actor)
	var rid int64
	err := t.QueryRow(ctx, `INSERT INTO `+kt.table+` (`+kt.insertCols()+`) VALUES (?`+
		strings.Repeat(", ?", len(kt.insertArgs(r))-1)+`) RETURNING rid`, kt.insertArgs(r)...).Scan(&rid)
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", kt.kind.Name, err)
	}
	if err := kt.indexed(ctx, t, rid, r, false); err != nil {
		return 0, err
	}
	if kt.totals != nil {
		key, err := kt.totals.keyOf(ctx, t, kt.table, rid)
		if err != nil {
			return 0, err
		}
		if err := kt.totals.moved(ctx, t, nil, key); err != nil {
			return 0, err
		}
	}
	if err := t.syncSealed(ctx, actor, kt.kind.Name, kt.kind.ID(r), nil, kt.sealed(r).Sealed); err != nil {
		return 0, err
	}
	if kt.written != nil {
		if err := kt.written(ctx, t, r); err != nil {
			return 0, err
		}
	}
	return rid, t.keep(ctx, record{kind: kt.kind.Name, id: kt.kind.ID(r), actor: actor, action: "create", version: 1,
		snapshot: kt.snapshot(r), at: now})
}

func (kt *kindTable[T]) indexed(ctx context.Context, t *Tx, rid int64, r *T, replace bool) error {
	if kt.search != searchIndex {
		return nil
	}
	return t.indexText(ctx, kt.index, rid, kt.indexText(r), replace)
}

// update replaces the stored record by r; r's Version must be the stored
// one unless force (an import updating what it imported before). It says
// whether anything changed.
func (kt *kindTable[T]) update(ctx context.Context, t *Tx, actor string, r *T, force bool) (bool, error) {
	return kt.updateAs(ctx, t, actor, "update", r, force)
}

// updateAs is update with the action its version and audit entry name
// ("merge", "unmerge").
func (kt *kindTable[T]) updateAs(ctx context.Context, t *Tx, actor, action string, r *T, force bool) (bool, error) {
	id := kt.kind.ID(r)
	old, rid, err := kt.get(ctx, t, id)
	if err != nil {
		return false, err
	}
	m := kt.kind.Meta(r)
	if !force && kt.kind.Meta(old).Version != m.Version {
		return false, store.ErrConflict
	}
	if kt.kind.Visibility(r) == "" {
		kt.kind.Set(r, "visibility", kt.kind.Visibility(old))
	}
	oldSealed, err := t.recordSealed(ctx, kt.kind.Name, id)
	if err != nil {
		return false, err
	}
	kt.sealed(old).Sealed = oldSealed
	if err := kt.seal(r, oldSealed); err != nil {
		return false, err
	}
	prev, next := kt.snapshot(old), kt.snapshot(r)
	*m = *kt.kind.Meta(old)
	if same(prev, next) {
		return false, nil
	}
	// Before anything is written (sealing purges the history).
	if err := t.keepImported(ctx, kt.kind.Name, id, prev, *kt.kind.Meta(old)); err != nil {
		return false, err
	}
	now := t.s.clock()
	m.Version, m.UpdatedAt, m.UpdatedBy = m.Version+1, now, actor
	sets := make([]string, 0, len(kt.kind.Fields)+4)
	for _, f := range kt.kind.Fields {
		sets = append(sets, f.Name+" = ?")
	}
	sets = append(sets, "version = ?", "updated_at = ?", "updated_by = ?")
	args := append(kt.values(r), m.Version, now, actor)
	if kt.search == searchLike {
		sets = append(sets, "search_text = ?")
		args = append(args, likeText(kt.kind.SearchText(r)))
	}
	for _, d := range kt.derived {
		sets = append(sets, d.col+" = ?")
		args = append(args, d.val(r))
	}
	var before []string
	if kt.totals != nil {
		if before, err = kt.totals.keyOf(ctx, t, kt.table, rid); err != nil {
			return false, err
		}
	}
	if _, err := t.Exec(ctx, `UPDATE `+kt.table+` SET `+strings.Join(sets, ", ")+` WHERE rid = ?`,
		append(args, rid)...); err != nil {
		return false, fmt.Errorf("update %s: %w", kt.kind.Name, err)
	}
	if kt.totals != nil {
		after, err := kt.totals.keyOf(ctx, t, kt.table, rid)
		if err != nil {
			return false, err
		}
		if err := kt.totals.moved(ctx, t, before, after); err != nil {
			return false, err
		}
	}
	if err := kt.indexed(ctx, t, rid, r, true); err != nil {
		return false, err
	}
	sealing, err := t.sealUpdate(ctx, actor, kt.kind.Name, id, oldSealed, kt.sealed(r).Sealed)
	if err != nil {
		return false, err
	}
	// A Sealed field kept in the clear beside the sealed group (a case's
	// person stored before it was sealed: sealedlinks.go) is sealed now:
	// purged from the history, this version's changes too.
	moved := !sealing && oldSealed != nil && kt.sealed(r).Sealed != nil && kt.kind.ClearText(old) != ""
	if kt.written != nil {
		if err := kt.written(ctx, t, old); err != nil {
			return false, err
		}
		if err := kt.written(ctx, t, r); err != nil {
			return false, err
		}
	}
	if kt.updated != nil {
		if err := kt.updated(ctx, t, old, r); err != nil {
			return false, err
		}
	}
	if err := t.keep(ctx, record{kind: kt.kind.Name, id: id, actor: actor, action: action,
		version: m.Version, snapshot: next, previous: prev, at: now, sealing: sealing}); err != nil {
		return false, err
	}
	if moved {
		if _, err := t.purgeHistory(ctx, actor, kt.kind.Name, id); err != nil {
			return false, err
		}
	}
	return true, nil
}

// get reads one record by ID.
func (kt *kindTable[T]) get(ctx context.Context, q querier, id string) (*T, int64, error) {
	return kt.scan(q.QueryRow(ctx, `SELECT `+kt.cols+` FROM `+kt.table+` WHERE id = ?`, id))
}

// list returns one page of the records f selects, and how many it
// selects in all.
func (kt *kindTable[T]) list(ctx context.Context, s *DB, f store.ListFilter) ([]T, int, error) {
	var w where
	w.visible("p", f.Visible)
	if kt.hidden != "" {
		w.add("NOT " + kt.hidden)
	}
	if f.Field != "" {
		fd, ok := kt.kind.Field(f.Field)
		switch {
		case !ok:
			return nil, 0, fmt.Errorf("list %s: no field %q", kt.table, f.Field)
		case fd.Input == kindrec.Refs || fd.Input == kindrec.Lines || fd.Input == kindrec.Codes:
			// A JSON list holding it, the value's LIKE wildcards escaped.
			esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(string(snapshot(f.Value)))
			w.add("p."+fd.Name+` LIKE ? ESCAPE '\'`, "%"+esc+"%")
		default:
			w.add("p."+fd.Name+" = ?", f.Value)
		}
	}
	terms, err := store.QueryTerms(f.Query)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case len(terms) == 0:
	case kt.search == searchIndex:
		match, args := s.d.Match(kt.index, terms, 0)
		w.add("p.rid IN ("+match+")", args...)
	default:
		for _, term := range terms {
			w.add("p.search_text LIKE ?", "% "+term.Word+"%")
		}
	}
	var total int
	if err := (pool{s}).QueryRow(ctx, `SELECT COUNT(*) FROM `+kt.table+` p`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", kt.table, err)
	}
	out, err := kt.query(ctx, s, `SELECT `+kt.qualified()+` FROM `+kt.table+` p`+w.sql()+` ORDER BY `+kt.order+
		` LIMIT ? OFFSET ?`, append(w.args, limit(f.Limit), f.Offset)...)
	return out, total, err
}

// searchIndexed finds up to limit records of an indexed kind by every
// term of query, newest first, whoever may see them (callers filter).
func (kt *kindTable[T]) searchIndexed(ctx context.Context, s *DB, query string, limit int) ([]T, error) {
	terms, err := store.QueryTerms(query)
	if len(terms) == 0 || kt.search != searchIndex {
		return nil, err
	}
	match, args, err := s.match(ctx, kt.index, terms, limit)
	if err != nil {
		return nil, err
	}
	where := ""
	if kt.hidden != "" {
		where = " WHERE NOT " + kt.hidden
	}
	return kt.query(ctx, s, `SELECT `+kt.qualified()+` FROM `+kt.table+` p JOIN (`+match+`) m ON m.rid = p.rid`+where+` ORDER BY p.rid DESC`, args...)
}

func (kt *kindTable[T]) qualified() string {
	return "p." + strings.ReplaceAll(kt.cols, ", ", ", p.")
}

func (kt *kindTable[T]) query(ctx context.Context, s *DB, q string, args ...any) ([]T, error) {
	rows, err := pool{s}.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kt.table, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, _, err := kt.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// kindStore is store.Kind over a kindTable.
type kindStore[T any] struct {
	s  *DB
	kt *kindTable[T]
}

// Persons implements store.Store.
func (s *DB) Persons() store.Kind[model.Person] { return kindStore[model.Person]{s, personTable} }

// Organisations implements store.Store.
func (s *DB) Organisations() store.Kind[model.Organisation] {
	return kindStore[model.Organisation]{s, orgTable}
}

func (k kindStore[T]) Create(ctx context.Context, actor string, r *T) error {
	return k.s.write(ctx, func(t *Tx) error { _, err := k.kt.create(ctx, t, actor, r); return err })
}

func (k kindStore[T]) Update(ctx context.Context, actor string, r *T) error {
	return k.s.write(ctx, func(t *Tx) error { _, err := k.kt.update(ctx, t, actor, r, false); return err })
}

func (k kindStore[T]) Get(ctx context.Context, id string) (*T, error) {
	r, _, err := k.kt.get(ctx, pool{k.s}, id)
	return r, err
}

func (k kindStore[T]) List(ctx context.Context, f store.ListFilter) ([]T, int, error) {
	return k.kt.list(ctx, k.s, f)
}

func (k kindStore[T]) Search(ctx context.Context, query string, limit int) ([]T, error) {
	return k.kt.searchIndexed(ctx, k.s, query, limit)
}
