package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// MergePersons implements store.PersonMerges (docs/persons.md): from's
// names become aliases of into, and every incident naming from as a
// victim names into instead (once, if into was a victim there too). Each
// changed record gets a version with the action "merge".
func (s *DB) MergePersons(ctx context.Context, actor, fromID, intoID string) (*store.PersonMerge, error) {
	if fromID == intoID {
		return nil, store.ErrMergeSelf
	}
	var m *store.PersonMerge
	err := s.write(ctx, func(t *Tx) error {
		from, fromRID, err := personTable.get(ctx, t, fromID)
		if err != nil {
			return err
		}
		into, _, err := personTable.get(ctx, t, intoID)
		if err != nil {
			return err
		}
		for _, id := range []string{fromID, intoID} {
			merged, err := t.mergedAway(ctx, id)
			if err != nil {
				return err
			}
			if merged {
				return store.ErrMerged
			}
		}
		m = &store.PersonMerge{ID: uuid.Must(uuid.NewV7()).String(), From: fromID, Into: intoID,
			MergedBy: actor, MergedAt: t.s.clock()}
		for _, n := range append([]string{from.NameLatin, from.NameAR}, from.Aliases...) {
			if n != "" && n != into.NameLatin && n != into.NameAR && !slices.Contains(into.Aliases, n) {
				into.Aliases = append(into.Aliases, n)
				m.Aliases = append(m.Aliases, n)
			}
		}
		if _, err := personTable.updateAs(ctx, t, actor, "merge", into, true); err != nil {
			return err
		}
		if m.Moved, err = t.moveVictims(ctx, actor, fromRID, fromID, intoID); err != nil {
			return err
		}
		aliases, _ := json.Marshal(orEmpty(m.Aliases))
		moved, _ := json.Marshal(m.Moved)
		_, err = t.Exec(ctx, `INSERT INTO person_merges (id, from_id, into_id, merged_by, merged_at, aliases, moved)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, fromID, intoID, actor, m.MergedAt, string(aliases), string(moved))
		if err != nil {
			return fmt.Errorf("store merge: %w", err)
		}
		return nil
	})
	return m, err
}

// mergedAway tells whether a person is the from of a merge not undone.
func (t *Tx) mergedAway(ctx context.Context, id string) (bool, error) {
	var n int
	err := t.QueryRow(ctx, `SELECT COUNT(*) FROM person_merges WHERE from_id = ? AND undone_at IS NULL`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read merges: %w", err)
	}
	return n > 0, nil
}

// moveVictims makes every incident naming from as a victim name into.
func (t *Tx) moveVictims(ctx context.Context, actor string, fromRID int64, fromID, intoID string) ([]store.MovedVictim, error) {
	ids, err := t.ids(ctx, `SELECT DISTINCT i.id FROM incidents i JOIN victims v ON v.incident_rid = i.rid WHERE v.person_rid = ?`, fromRID)
	if err != nil {
		return nil, err
	}
	moved := []store.MovedVictim{}
	for _, id := range ids {
		inc, _, err := t.s.getIncident(ctx, t, "id", id)
		if err != nil {
			return nil, err
		}
		hasInto := slices.ContainsFunc(inc.Victims, func(v model.Victim) bool { return v.PersonID == intoID })
		var victims []model.Victim
		for i, v := range inc.Victims {
			if v.PersonID != fromID {
				victims = append(victims, v)
				continue
			}
			mv := store.MovedVictim{Incident: id, Index: i, Role: v.Role, Outcome: v.Outcome, Dropped: hasInto}
			moved = append(moved, mv)
			if !hasInto {
				victims = append(victims, model.Victim{PersonID: intoID, Role: v.Role, Outcome: v.Outcome})
				hasInto = true
			}
		}
		inc.Victims = victims
		if _, err := t.updateIncident(ctx, actor, "merge", inc, false); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// UnmergePersons implements store.PersonMerges: into loses the aliases
// the merge gave it, and the incidents name from again where the merge
// moved it, each change versioned with the action "unmerge".
func (s *DB) UnmergePersons(ctx context.Context, actor, mergeID string) error {
	return s.write(ctx, func(t *Tx) error {
		m, err := t.personMerge(ctx, mergeID)
		if err != nil {
			return err
		}
		if m.UndoneAt != nil {
			return store.ErrMergeUndone
		}
		into, _, err := personTable.get(ctx, t, m.Into)
		if err != nil {
			return err
		}
		into.Aliases = slices.DeleteFunc(into.Aliases, func(a string) bool { return slices.Contains(m.Aliases, a) })
		if _, err := personTable.updateAs(ctx, t, actor, "unmerge", into, true); err != nil {
			return err
		}
		byIncident := map[string][]store.MovedVictim{}
		var order []string
		for _, mv := range m.Moved {
			if byIncident[mv.Incident] == nil {
				order = append(order, mv.Incident)
			}
			byIncident[mv.Incident] = append(byIncident[mv.Incident], mv)
		}
		for _, id := range order {
			if err := t.restoreVictims(ctx, actor, id, m, byIncident[id]); err != nil {
				return err
			}
		}
		_, err = t.Exec(ctx, `UPDATE person_merges SET undone_by = ?, undone_at = ? WHERE id = ?`, actor, t.s.clock(), mergeID)
		return err
	})
}

// restoreVictims puts from back among an incident's victims where the
// merge took it out: in place of into's entry if the merge made it, at
// its old position if it was dropped beside into's own.
func (t *Tx) restoreVictims(ctx context.Context, actor, incidentID string, m *store.PersonMerge, moved []store.MovedVictim) error {
	inc, _, err := t.s.getIncident(ctx, t, "id", incidentID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // purged since: nothing to restore
	}
	if err != nil {
		return err
	}
	victims := slices.Clone(inc.Victims)
	for _, mv := range moved {
		back := model.Victim{PersonID: m.From, Role: mv.Role, Outcome: mv.Outcome}
		if !mv.Dropped {
			if i := slices.IndexFunc(victims, func(v model.Victim) bool { return v.PersonID == m.Into }); i >= 0 {
				victims[i] = model.Victim{PersonID: m.From, Role: victims[i].Role, Outcome: victims[i].Outcome}
				continue
			}
		}
		victims = slices.Insert(victims, min(mv.Index, len(victims)), back)
	}
	for i := range victims {
		victims[i].Person = nil // resolveVictims reads each person again
	}
	inc.Victims = victims
	_, err = t.updateIncident(ctx, actor, "unmerge", inc, false)
	return err
}

func (t *Tx) personMerge(ctx context.Context, id string) (*store.PersonMerge, error) {
	m, err := scanMerge(t.QueryRow(ctx, `SELECT `+mergeCols+` FROM person_merges WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	return m, err
}

const mergeCols = `id, from_id, into_id, merged_by, merged_at, undone_by, undone_at, aliases, moved`

func scanMerge(row interface{ Scan(...any) error }) (*store.PersonMerge, error) {
	var m store.PersonMerge
	var undone sql.NullTime
	var aliases, moved string
	if err := row.Scan(&m.ID, &m.From, &m.Into, &m.MergedBy, &m.MergedAt, &m.UndoneBy, &undone, &aliases, &moved); err != nil {
		return nil, err
	}
	if undone.Valid {
		at := undone.Time
		m.UndoneAt = &at
	}
	if err := json.Unmarshal([]byte(aliases), &m.Aliases); err != nil {
		return nil, fmt.Errorf("merge %s: %w", m.ID, err)
	}
	if err := json.Unmarshal([]byte(moved), &m.Moved); err != nil {
		return nil, fmt.Errorf("merge %s: %w", m.ID, err)
	}
	return &m, nil
}

// PersonMergesOf implements store.PersonMerges.
func (s *DB) PersonMergesOf(ctx context.Context, personID string) ([]store.PersonMerge, error) {
	rows, err := pool{s}.Query(ctx, `SELECT `+mergeCols+` FROM person_merges WHERE from_id = ? OR into_id = ?
		ORDER BY merged_at DESC, id DESC`, personID, personID)
	if err != nil {
		return nil, fmt.Errorf("read merges: %w", err)
	}
	defer rows.Close()
	var out []store.PersonMerge
	for rows.Next() {
		m, err := scanMerge(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// MergedInto implements store.PersonMerges.
func (s *DB) MergedInto(ctx context.Context) (map[string]string, error) {
	rows, err := pool{s}.Query(ctx, `SELECT from_id, into_id FROM person_merges WHERE undone_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("read merges: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var from, into string
		if err := rows.Scan(&from, &into); err != nil {
			return nil, fmt.Errorf("read merges: %w", err)
		}
		out[from] = into
	}
	return out, rows.Err()
}
