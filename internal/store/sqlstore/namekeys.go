package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/names"
	"github.com/rasd-project/rasd/internal/store"
)

// Duplicate detection's blocking table, incident_name_keys (migrations
// 0040, 0044 and 0046, docs/duplicates.md "Blocking"): the rows are written
// wherever an incident's search text is, which holds the same name keys.

const (
	pieceDays = 31 // a row covers at most this many days of a span
	maxPieces = 13 // a span longer than a year is blocked by its first 13 pieces
)

// maxArms is about the most arms of a BlockedIncidents query (SQLite's
// limit on a compound SELECT is 500): more keys share arms.
const maxArms = 400

const nameKeyCols = "incident_rid, piece, admin1, name_key, wide, day, last, incident_id, type, date_start, date_end, date_precision, district, lat, lon, perps, sigs"

// nameKeyRows are incident rid's rows: none for a restricted incident,
// one merged into another, or one without governorate or date.
func nameKeyRows(rid int64, inc *model.Incident) [][]any {
	if inc.Visibility == model.VisibilityRestricted || inc.MergedInto != "" || inc.Place.Admin1 == "" {
		return nil
	}
	start, end, ok := inc.Date.Span()
	if !ok {
		return nil
	}
	var compared []string
	for _, v := range inc.Victims {
		if n := v.Person.ComparedName(); n != "" {
			compared = append(compared, n)
		}
	}
	sigs := names.Companions(compared...)
	keys := slices.Sorted(maps.Keys(sigs)) // names.BlockKeys, tokenised once
	if len(keys) == 0 {
		keys = []string{""} // names none: a candidate of every incident
	}
	keys = append(keys, store.TypeBlockKey(inc.Type))
	wide := 0
	if end.After(start) {
		wide = 1
	}
	var perps []string
	for _, p := range inc.Perpetrators {
		if !contains(perps, p.Type) {
			perps = append(perps, p.Type)
		}
	}
	perpTypes := strings.Join(perps, " ")
	last := end.Format(time.DateOnly)
	dateEnd := inc.Date.End
	if dateEnd == "" {
		dateEnd = inc.Date.Start // as the incident's row stores it
	}
	var rows [][]any
	for piece, day := 0, start; piece < maxPieces && !day.After(end); piece, day = piece+1, day.AddDate(0, 0, pieceDays) {
		for _, k := range keys {
			rows = append(rows, []any{rid, piece, inc.Place.Admin1, k, wide, day.Format(time.DateOnly), last,
				inc.ID, inc.Type, inc.Date.Start, dateEnd, inc.Date.Precision, inc.Place.District, nullFloat(inc.Place.Lat), nullFloat(inc.Place.Lon), perpTypes, sigs[k]})
		}
	}
	return rows
}

// writeNameKeys writes the blocking rows and the victims' names
// (incident_victim_names) of incidents rids (incs in the same order),
// replacing theirs when replace.
func (t *Tx) writeNameKeys(ctx context.Context, rids []int64, incs []*model.Incident, replace bool) error {
	if err := t.writeKeyRows(ctx, rids, incs, replace); err != nil {
		return err
	}
	return t.writeVictimNames(ctx, rids, incs, replace)
}

// writeKeyRows writes the blocking rows alone (migration 0046's step:
// the victims' names were written by 0045's).
func (t *Tx) writeKeyRows(ctx context.Context, rids []int64, incs []*model.Incident, replace bool) error {
	var rows [][]any
	for i, inc := range incs {
		rows = append(rows, nameKeyRows(rids[i], inc)...)
	}
	if err := t.writeDerived(ctx, "incident_name_keys", nameKeyCols, rids, rows, replace); err != nil {
		return fmt.Errorf("name keys: %w", err)
	}
	return nil
}

// writeDerived writes rows (of cols) into table, a table derived from
// incidents rids, first deleting theirs when replace: by COPY in an
// import that has it, else in statements of a few sizes.
func (t *Tx) writeDerived(ctx context.Context, table, cols string, rids []int64, rows [][]any, replace bool) error {
	if replace {
		for _, rid := range rids {
			if _, err := t.Exec(ctx, `DELETE FROM `+table+` WHERE incident_rid = ?`, rid); err != nil {
				return err
			}
		}
	}
	if c := t.copier(); c != nil {
		return t.copyRows(ctx, c, table, cols, rows)
	}
	return t.insertSized(ctx, table, cols, rows)
}

// insertSized inserts rows (each of as many values as cols names) into
// table in statements of a few fixed sizes: a transaction keeps every
// statement it prepared, so one per size of chunk would fill SQLite's
// memory in a large import.
func (t *Tx) insertSized(ctx context.Context, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	row := "(?" + strings.Repeat(", ?", len(rows[0])-1) + ")"
	for len(rows) > 0 {
		n := 1
		for _, size := range []int{512, 64, 8} {
			if len(rows) >= size {
				n = size
				break
			}
		}
		args := make([]any, 0, len(rows[0])*n)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := t.Exec(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES `+RowsOf(row, n), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// backfillNameKeys is migration 0046's Go step: the rows of every
// incident stored before (0040's and 0044's steps did the same for their
// columns).
func (t *Tx) backfillNameKeys(ctx context.Context) error {
	return t.eachIncident(ctx, "name keys", (*Tx).writeKeyRows)
}

// eachIncident writes what write derives of every stored incident, for a
// migration's Go step (what names the rows in an error).
func (t *Tx) eachIncident(ctx context.Context, what string, write func(*Tx, context.Context, []int64, []*model.Incident, bool) error) error {
	ids, err := t.allIDs(ctx, "incidents")
	if err != nil {
		return err
	}
	for _, id := range ids {
		inc, rid, err := t.s.getIncident(ctx, t, "id", id)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := write(t, ctx, []int64{rid}, []*model.Incident{inc}, false); err != nil {
			return err
		}
	}
	return nil
}

// victimNamesRow is incident rid's row of incident_victim_names, or nil:
// none for an incident that has no blocking rows (restricted, merged,
// without governorate or date) or names no victim whose name can be
// compared (a restricted person's never can: ComparedName).
func victimNamesRow(rid int64, inc *model.Incident) ([]any, error) {
	if inc.Visibility == model.VisibilityRestricted || inc.MergedInto != "" || inc.Place.Admin1 == "" {
		return nil, nil
	}
	if _, _, ok := inc.Date.Span(); !ok {
		return nil, nil
	}
	var compared []string
	for _, v := range inc.Victims {
		if n := v.Person.ComparedName(); n != "" {
			compared = append(compared, n)
		}
	}
	if len(compared) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(compared)
	if err != nil {
		return nil, err
	}
	return []any{rid, inc.ID, string(b)}, nil
}

const victimNamesCols = "incident_rid, incident_id, names"

// writeVictimNames writes the incident_victim_names rows of incidents
// rids (incs in the same order), replacing theirs when replace.
func (t *Tx) writeVictimNames(ctx context.Context, rids []int64, incs []*model.Incident, replace bool) error {
	var rows [][]any
	for i, inc := range incs {
		r, err := victimNamesRow(rids[i], inc)
		if err != nil {
			return fmt.Errorf("victims' names: %w", err)
		}
		if r != nil {
			rows = append(rows, r)
		}
	}
	if err := t.writeDerived(ctx, "incident_victim_names", victimNamesCols, rids, rows, replace); err != nil {
		return fmt.Errorf("victims' names: %w", err)
	}
	return nil
}

// backfillVictimNames is migration 0045's Go step: the row of every
// incident stored before.
func (t *Tx) backfillVictimNames(ctx context.Context) error {
	return t.eachIncident(ctx, "victims' names", (*Tx).writeVictimNames)
}

// A person's update that changes what an incident naming them holds of
// them (its search text, blocking keys and victims' names: their names,
// unless they are sealed) writes those again for every such incident (set
// here: reading an incident reads personTable).
func init() {
	personTable.updated = func(ctx context.Context, t *Tx, old, p *model.Person) error {
		if heldOf(old) == heldOf(p) {
			return nil
		}
		return t.reindexIncidentsOf(ctx, p.ID)
	}
}

// heldOf is what an incident naming p holds of p: nothing of a sealed
// person, else the words it is found by and the name it is compared by.
func heldOf(p *model.Person) string {
	if p.Visibility == model.VisibilityRestricted {
		return ""
	}
	return kinds.Person.SearchText(p) + "\x00" + p.ComparedName()
}

// decodeNames reads a row's names, as victimNamesRow wrote them.
func decodeNames(s string) ([]string, error) {
	var ns []string
	if err := json.Unmarshal([]byte(s), &ns); err != nil {
		return nil, fmt.Errorf("victims' names: %w", err)
	}
	return ns, nil
}

// BlockedIncidents implements store.Store: ranges of the covering index
// (admin1, name_key, wide, day): per key, the rows of one-day spans
// starting in [q.From, q.To], those of wider spans whose piece starts at
// most pieceDays-1 days before q.From, and per day key the rows starting
// on q.Day; of a key with a mask in q.Sigs, only the rows whose mask
// shares a bit with it. No incident row is read.
func (s *DB) BlockedIncidents(ctx context.Context, q store.BlockQuery) ([]store.Blocked, error) {
	if q.Admin1 == "" || len(q.Keys)+len(q.DayKeys) == 0 {
		return nil, nil
	}
	from, err := time.Parse(time.DateOnly, q.From)
	if err != nil {
		return nil, fmt.Errorf("blocked incidents: from %q: give a date YYYY-MM-DD", q.From)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	// One arm per key and width, each a range of the index read in its
	// order (day, last, incident_id, latest first), merged: the limit
	// stops the reading, where ranges of several keys at once would all
	// be read and sorted first (a year's window of a common name key
	// holds thousands of rows). An incident naming very many victims asks
	// several keys an arm.
	const cols = `SELECT day, last, incident_id, type, date_start, date_end, date_precision,
		district, lat, lon, perps, name_key FROM incident_name_keys WHERE admin1 = ? AND wide = `
	alike, alikeArgs := alikeClause(q.Alike)
	per := (len(q.Keys) + len(q.DayKeys) + maxArms/2 - 1) / (maxArms / 2)
	var parts []string
	var args []any
	widest := from.AddDate(0, 0, 1-pieceDays).Format(time.DateOnly)
	for i := 0; i < len(q.Keys); i += per {
		ks := q.Keys[i:min(i+per, len(q.Keys))]
		keyArgs := anys(padded(ks))
		in := ` AND name_key IN (?` + strings.Repeat(", ?", len(keyArgs)-1) + `)`
		if m := armSigs(q.Sigs, i, len(ks)); m != 0 {
			in += ` AND (sigs & ?) <> 0`
			keyArgs = append(keyArgs, m)
		}
		parts = append(parts, cols+`0`+in+` AND day >= ? AND day <= ?`+alike, cols+`1`+in+` AND day >= ? AND day <= ? AND last >= ?`+alike)
		args = append(append(append(append(args, q.Admin1), keyArgs...), q.From, q.To), alikeArgs...)
		args = append(append(append(append(args, q.Admin1), keyArgs...), widest, q.To, q.From), alikeArgs...)
	}
	if q.Day != "" {
		for ks := range slices.Chunk(q.DayKeys, per) {
			ks = padded(ks)
			in := ` AND name_key IN (?` + strings.Repeat(", ?", len(ks)-1) + `)`
			parts = append(parts, cols+`0`+in+` AND day = ?`+alike, cols+`1`+in+` AND day = ?`+alike)
			args = append(append(append(append(args, q.Admin1), anys(ks)...), q.Day), alikeArgs...)
			args = append(append(append(append(args, q.Admin1), anys(ks)...), q.Day), alikeArgs...)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	rows, err := pool{s}.Query(ctx, strings.Join(parts, " UNION ALL ")+` ORDER BY day DESC, last DESC, incident_id DESC LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("blocked incidents: %w", err)
	}
	defer rows.Close()
	var out []store.Blocked
	at := map[string]int{}
	for rows.Next() {
		var b store.Blocked
		var day, last, perps, key string
		if err := rows.Scan(&day, &last, &b.ID, &b.Type, &b.Date.Start, &b.Date.End, &b.Date.Precision,
			&b.Place.District, &b.Place.Lat, &b.Place.Lon, &perps, &key); err != nil {
			return nil, fmt.Errorf("blocked incidents: %w", err)
		}
		i, ok := at[b.ID]
		if !ok {
			b.Place.Admin1 = q.Admin1
			b.Perps = strings.Fields(perps)
			i, at[b.ID] = len(out), len(out)
			out = append(out, b)
		}
		if !contains(out[i].Keys, key) {
			out[i].Keys = append(out[i].Keys, key)
		}
	}
	return out, rows.Err()
}

// armSigs is the mask an arm asking keys [i, i+n) of a BlockQuery reads
// (their masks together), or 0, none, when one of them reads any row.
func armSigs(sigs []int64, i, n int) int64 {
	if len(sigs) < i+n {
		return 0
	}
	var m int64
	for _, s := range sigs[i : i+n] {
		if s == 0 {
			return 0
		}
		m |= s
	}
	return m
}

// padded is vs (not empty) made as long as the next power of two by
// repeating its last value, for a list of IN (…): the statement cache
// (stmts.go, 512 statements kept for the store's life) then holds a few
// shapes of a duplicate lookup's queries, not one for every count of keys
// and candidates, which would fill it and leave every later query
// unprepared. A value twice in IN (…) matches what it matched once.
func padded(vs []string) []string {
	n := 1
	for n < len(vs) {
		n *= 2
	}
	if n == len(vs) {
		return vs
	}
	out := make([]string, n)
	copy(out, vs)
	for i := len(vs); i < n; i++ {
		out[i] = vs[len(vs)-1]
	}
	return out
}

// alikeClause is the condition of an arm of BlockedIncidents that keeps
// what a (if not nil) keeps, on the covering index's columns, and its
// arguments. The box around the coordinates holds every point within
// a.Km of them: a great circle is never shorter than the difference of
// its ends' latitudes, nor than that of their longitudes at the cosine
// of the latitude farthest from the equator.
func alikeClause(a *store.Alike) (string, []any) {
	if a == nil {
		return "", nil
	}
	clause, args := ` AND (type = ?`, []any{a.Type}
	if a.Days {
		clause += ` OR date_precision = 'day'`
	}
	if a.District != "" {
		clause, args = clause+` OR district = ?`, append(args, a.District)
	}
	if a.Lat != nil && a.Lon != nil {
		const earthKm = 6371 // as duplicates' distance
		dLat := a.Km / earthKm * 180 / math.Pi * 1.01
		far := math.Abs(*a.Lat) + dLat
		dLon := 0.0
		if far < 85 {
			dLon = a.Km / (earthKm * math.Cos(far*math.Pi/180)) * 180 / math.Pi * 1.05
		}
		if dLon > 0 && *a.Lon-dLon > -180 && *a.Lon+dLon < 180 {
			clause += ` OR (lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?)`
			args = append(args, *a.Lat-dLat, *a.Lat+dLat, *a.Lon-dLon, *a.Lon+dLon)
		} else { // near a pole or the antimeridian: the latitudes alone
			clause += ` OR (lat BETWEEN ? AND ?)`
			args = append(args, *a.Lat-dLat, *a.Lat+dLat)
		}
	}
	return clause + `)`, args
}

// VictimNames implements store.Store: one query for all of ids, each a
// point of incident_victim_names' covering index (incident_id, names).
func (s *DB) VictimNames(ctx context.Context, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	ids = padded(ids)
	rows, err := pool{s}.Query(ctx, `SELECT incident_id, names FROM incident_victim_names
		WHERE incident_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("victims' names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, names string
		if err := rows.Scan(&id, &names); err != nil {
			return nil, fmt.Errorf("victims' names: %w", err)
		}
		ns, err := decodeNames(names)
		if err != nil {
			return nil, err
		}
		out[id] = ns
	}
	return out, rows.Err()
}

// EachBlocked implements store.Store: one pass over the type's first
// row of each incident in the blocking table (no incident row is read)
// and its victims' names.
func (s *DB) EachBlocked(ctx context.Context, fn func(b *store.Blocked, victims []string) error) error {
	rows, err := pool{s}.Query(ctx, `SELECT k.incident_id, k.admin1, k.type, k.date_start, k.date_end, k.date_precision,
		k.district, k.lat, k.lon, k.perps, n.names
		FROM incident_name_keys k LEFT JOIN incident_victim_names n ON n.incident_rid = k.incident_rid
		WHERE k.piece = 0 AND k.name_key = '#' || k.type ORDER BY k.incident_rid`)
	if err != nil {
		return fmt.Errorf("blocked incidents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b store.Blocked
		var perps string
		var names sql.NullString
		if err := rows.Scan(&b.ID, &b.Place.Admin1, &b.Type, &b.Date.Start, &b.Date.End, &b.Date.Precision,
			&b.Place.District, &b.Place.Lat, &b.Place.Lon, &perps, &names); err != nil {
			return fmt.Errorf("blocked incidents: %w", err)
		}
		b.Perps = strings.Fields(perps)
		var victims []string
		if names.Valid {
			if victims, err = decodeNames(names.String); err != nil {
				return err
			}
		}
		if err := fn(&b, victims); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("blocked incidents: %w", err)
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
