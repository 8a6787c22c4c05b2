package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/accountability"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The impunity table (migration 0036) holds each murder with the classes
// its judicial steps derive: written with every incident (writeFacts) and
// rewritten with every judicial step (stepTable's written hook).

// murderCond is accountability.IsMurder over the incident row i, whose
// tags are a JSON list.
func murderCond(i string) (string, []any) {
	cond := i + ".type = ? AND " + i + ".motive_link = ?"
	args := []any{accountability.MurderType, accountability.MurderMotive}
	for _, tag := range accountability.NotMurderTags {
		cond += " AND " + i + ".tags NOT LIKE ?"
		args = append(args, `%"`+tag+`"%`)
	}
	return cond, args
}

// writeImpunity rewrites the rows of incidents rids; replace says they
// may have rows and steps already (an update), not only new incidents.
func (t *Tx) writeImpunity(ctx context.Context, rids []int64, replace bool) error {
	in := "?" + strings.Repeat(", ?", len(rids)-1)
	ridArgs := make([]any, len(rids))
	for i, rid := range rids {
		ridArgs[i] = rid
	}
	if replace {
		if _, err := t.Exec(ctx, `DELETE FROM impunity WHERE incident_rid IN (`+in+`)`, ridArgs...); err != nil {
			return fmt.Errorf("impunity: %w", err)
		}
	}
	cond, args := murderCond("i")
	res, err := t.Exec(ctx, `INSERT INTO impunity SELECT i.rid, i.type, i.admin1, i.country, i.date_start, i.date_end,
		i.date_precision, i.date_estimated, i.verification, i.merged_into, i.visibility, ?, ?
		FROM incidents i WHERE i.rid IN (`+in+`) AND `+cond,
		append(append([]any{accountability.Complete, accountability.Complete}, ridArgs...), args...)...)
	if err != nil {
		return fmt.Errorf("impunity: %w", err)
	}
	if n, _ := res.RowsAffected(); !replace || n == 0 {
		return nil // new incidents have no steps yet
	}
	for _, rid := range rids {
		var id string
		if err := t.QueryRow(ctx, `SELECT id FROM incidents WHERE rid = ?`, rid).Scan(&id); err != nil {
			return fmt.Errorf("impunity: %w", err)
		}
		if err := t.reclassify(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// reclassify derives the classes of incident id (a murder's) from its
// steps as stored: a restricted step's sealed text arrives blank, as the
// figures read it (kinds.TrackOf).
func (t *Tx) reclassify(ctx context.Context, id string) error {
	var rid int64
	err := t.QueryRow(ctx, `SELECT m.incident_rid FROM impunity m JOIN incidents i ON i.rid = m.incident_rid WHERE i.id = ?`, id).Scan(&rid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // not a murder
	}
	if err != nil {
		return fmt.Errorf("impunity: %w", err)
	}
	rows, err := t.Query(ctx, `SELECT `+stepTable.cols+` FROM judicial_steps WHERE incident = ?`, id)
	if err != nil {
		return fmt.Errorf("impunity: %w", err)
	}
	var all []model.JudicialStep
	for rows.Next() {
		s, _, err := stepTable.scan(rows)
		if err != nil {
			rows.Close()
			return err
		}
		all = append(all, *s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	open := slices.DeleteFunc(slices.Clone(all), func(s model.JudicialStep) bool { return s.Visibility == model.VisibilityRestricted })
	_, err = t.Exec(ctx, `UPDATE impunity SET class_open = ?, class_all = ? WHERE incident_rid = ?`,
		accountability.Class(kinds.TrackOf(open)), accountability.Class(kinds.TrackOf(all)), rid)
	return err
}

// A judicial step's write keeps the class of its incident (set here, not
// in stepTable's declaration, which reclassify reads).
func init() { stepTable.written = stepWritten }

// stepWritten keeps the class of the step's incident.
func stepWritten(ctx context.Context, t *Tx, s *model.JudicialStep) error {
	return t.reclassify(ctx, s.Incident)
}

// backfillImpunity is migration 0036's Go step.
func (t *Tx) backfillImpunity(ctx context.Context) error {
	cond, args := murderCond("i")
	if _, err := t.Exec(ctx, `INSERT INTO impunity SELECT i.rid, i.type, i.admin1, i.country, i.date_start, i.date_end,
		i.date_precision, i.date_estimated, i.verification, i.merged_into, i.visibility, ?, ?
		FROM incidents i WHERE `+cond, append([]any{accountability.Complete, accountability.Complete}, args...)...); err != nil {
		return fmt.Errorf("impunity: %w", err)
	}
	rows, err := t.Query(ctx, `SELECT DISTINCT incident FROM judicial_steps`)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := t.reclassify(ctx, id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ImpunityCounts implements store.Store: the rows either query counts,
// read once, each counted by the one or the other or both.
func (s *DB) ImpunityCounts(ctx context.Context, q store.CountQuery, country string, index store.CountQuery) ([]store.ImpunityCount, error) {
	w, class, err := s.impunityWhere(ctx, q, country)
	if err != nil {
		return nil, err
	}
	wi, _, err := s.impunityWhere(ctx, index, "")
	if err != nil {
		return nil, err
	}
	a, b := w.cond(), wi.cond()
	args := append(append(append(append([]any{}, w.args...), wi.args...), w.args...), wi.args...)
	rows, err := pool{s}.Query(ctx, `SELECT i.country, `+class+`, i.visibility,
		SUM(CASE WHEN `+a+` THEN 1 ELSE 0 END), SUM(CASE WHEN `+b+` THEN 1 ELSE 0 END)
		FROM impunity i WHERE (`+a+`) OR (`+b+`) GROUP BY i.country, `+class+`, i.visibility`, args...)
	if err != nil {
		return nil, fmt.Errorf("count murders: %w", err)
	}
	defer rows.Close()
	var out []store.ImpunityCount
	for rows.Next() {
		var c store.ImpunityCount
		if err := rows.Scan(&c.Country, &c.Class, &c.Visibility, &c.N, &c.InIndex); err != nil {
			return nil, fmt.Errorf("count murders: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ImpunityReceipt implements store.Store.
func (s *DB) ImpunityReceipt(ctx context.Context, q store.CountQuery, country string, show store.Visible, limit int) ([]store.ImpunityListed, error) {
	w, class, err := s.impunityWhere(ctx, q, country)
	if err != nil {
		return nil, err
	}
	w.in("i.visibility", show.Levels)
	page := ""
	if limit > 0 {
		page = fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := pool{s}.Query(ctx, `SELECT n.id, n.code, i.country, i.admin1, i.visibility, i.date_start, i.date_end,
		i.date_precision, i.date_estimated, `+class+` FROM impunity i JOIN incidents n ON n.rid = i.incident_rid`+w.sql()+
		` ORDER BY i.date_start, i.incident_rid`+page, w.args...)
	if err != nil {
		return nil, fmt.Errorf("list murders: %w", err)
	}
	defer rows.Close()
	var out []store.ImpunityListed
	for rows.Next() {
		var r store.ImpunityListed
		if err := rows.Scan(&r.ID, &r.Code, &r.Country, &r.Admin1, &r.Visibility, &r.Date.Start, &r.Date.End,
			&r.Date.Precision, &r.Date.Estimated, &r.Class); err != nil {
			return nil, fmt.Errorf("list murders: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// impunityWhere is countWhere over the impunity table (its rows carry
// the columns of stat_facts's), and the class column q's reader counts:
// every step's for a reader who may list every restricted record, else
// the public and internal steps'. Victim and perpetrator filters are not
// in the table, nor the classes of a reader's own restricted steps:
// ErrImpunitySlow says to count another way.
func (s *DB) impunityWhere(ctx context.Context, q store.CountQuery, country string) (*where, string, error) {
	if len(q.PerpetratorTypes)+len(q.VictimRoles)+len(q.Outcomes) > 0 || q.By != "" {
		return nil, "", store.ErrImpunitySlow
	}
	if q.Reader.OwnedBy != "" && !slices.Contains(q.Reader.Levels, model.VisibilityRestricted) {
		var n int
		if err := (pool{s}).QueryRow(ctx, `SELECT COUNT(*) FROM judicial_steps WHERE visibility = 'restricted' AND created_by = ?`,
			q.Reader.OwnedBy).Scan(&n); err != nil {
			return nil, "", err
		}
		if n > 0 {
			return nil, "", store.ErrImpunitySlow
		}
	}
	w, err := countWhere(q, true)
	if err != nil {
		return nil, "", err
	}
	if country != "" {
		w.add("i.country = ?", country)
	}
	if slices.Contains(q.Reader.Levels, model.VisibilityRestricted) {
		return w, "i.class_all", nil
	}
	return w, "i.class_open", nil
}
