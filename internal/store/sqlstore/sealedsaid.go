package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// When an incident becomes restricted, what its sources said (kept in the
// clear until then) is sealed in the same transaction, its text purged
// from the history as a record's is (purge.go); when it stops being
// restricted, it moves back into the columns. A source that also told us
// about another restricted incident stays sealed.

// saidRow is a source or an information, for sealing or unsealing its text.
type saidRow struct {
	kind, table, column, id string
	version                 int
	text                    string
	// snap is the row's snapshot holding text, with sealed's digest.
	snap func(text string, sealed *model.Sealed) []byte
	// sealed is the text as it is sealed; open reads it back.
	sealed func(text string) any
	open   func(key model.RecordKey, s *model.Sealed) (string, error)
}

func (t *Tx) saidRow(ctx context.Context, kind, id string) (*saidRow, error) {
	if kind == store.KindSource {
		src, err := t.s.getSource(ctx, t, id)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", id, err)
		}
		return &saidRow{kind: kind, table: "sources", column: "label", id: id, version: src.Version, text: src.Label,
			snap: func(text string, s *model.Sealed) []byte {
				c := *src
				c.Label = text
				return sourceSnapshot(&c, s)
			},
			sealed: func(text string) any { return model.SourceText{Label: text} },
			open: func(key model.RecordKey, s *model.Sealed) (string, error) {
				var v model.SourceText
				err := key.OpenRecord(s, &v)
				return v.Label, err
			}}, nil
	}
	info, err := t.s.getInformation(ctx, t, id)
	if err != nil {
		return nil, fmt.Errorf("information %s: %w", id, err)
	}
	return &saidRow{kind: kind, table: "information", column: "summary", id: id, version: info.Version, text: info.Summary,
		snap: func(text string, s *model.Sealed) []byte {
			c := *info
			c.Summary = text
			return informationSnapshot(&c, s)
		},
		sealed: func(text string) any { return model.InformationText{Summary: text} },
		open: func(key model.RecordKey, s *model.Sealed) (string, error) {
			var v model.InformationText
			err := key.OpenRecord(s, &v)
			return v.Summary, err
		}}, nil
}

// setText writes r's text column as a new version.
func (t *Tx) setText(ctx context.Context, actor string, r *saidRow, text string) (version int, at time.Time, err error) {
	now := t.s.clock()
	_, err = t.Exec(ctx, `UPDATE `+r.table+` SET `+r.column+` = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
		text, r.version+1, now, actor, r.id)
	if err != nil {
		return 0, now, fmt.Errorf("%s %s: %w", r.kind, r.id, err)
	}
	return r.version + 1, now, nil
}

// sealRow seals the text of a row kept in the clear, purging it from the
// row's history: a new version, action "seal".
func (t *Tx) sealRow(ctx context.Context, actor string, r *saidRow, key model.RecordKey) error {
	if key == nil {
		return fmt.Errorf("%s %s: %w", r.kind, r.id, store.ErrSealNeedsMember)
	}
	sealed, err := sealText(key, r.kind, r.id, r.sealed(r.text))
	if err != nil {
		return err
	}
	prev, next := r.snap(r.text, nil), r.snap("", sealed)
	v, at, err := t.setText(ctx, actor, r, "")
	if err != nil {
		return err
	}
	sealing, err := t.sealUpdate(ctx, actor, r.kind, r.id, nil, sealed)
	if err != nil {
		return err
	}
	return t.keep(ctx, record{kind: r.kind, id: r.id, actor: actor, action: "seal", version: v,
		snapshot: next, previous: prev, at: at, sealing: sealing})
}

// unsealRow moves a row's sealed text back into its column: a new
// version, action "unseal", the sealed group destroyed.
func (t *Tx) unsealRow(ctx context.Context, actor string, r *saidRow, stored *model.Sealed, key model.RecordKey) error {
	if key == nil {
		return fmt.Errorf("%s %s: %w", r.kind, r.id, store.ErrUnsealNeedsMember)
	}
	text, err := r.open(key, stored)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.kind, r.id, err)
	}
	prev, next := r.snap(r.text, stored), r.snap(text, nil)
	v, at, err := t.setText(ctx, actor, r, text)
	if err != nil {
		return err
	}
	if err := t.syncSealed(ctx, actor, r.kind, r.id, stored, nil); err != nil {
		return err
	}
	return t.keep(ctx, record{kind: r.kind, id: r.id, actor: actor, action: "unseal", version: v,
		snapshot: next, previous: prev, at: at})
}

// sealSource seals the label of source id if it is kept in the clear.
func (t *Tx) sealSource(ctx context.Context, actor, id string, key model.RecordKey) error {
	r, err := t.saidRow(ctx, store.KindSource, id)
	if err != nil || r.text == "" {
		return err
	}
	return t.sealRow(ctx, actor, r, key)
}

// ids runs q (one column of IDs) inside the transaction.
func (t *Tx) ids(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := t.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// sealInformationOf seals what sources said about incident id that is
// still in the clear: summaries, then sources' labels. It says how many
// rows it sealed.
func (t *Tx) sealInformationOf(ctx context.Context, actor, id string, key model.RecordKey) (int, error) {
	infos, err := t.ids(ctx, `SELECT f.id FROM information f JOIN incidents i ON i.rid = f.incident_rid
		WHERE i.id = ? AND f.summary <> '' ORDER BY f.rid`, id)
	if err != nil {
		return 0, err
	}
	srcs, err := t.ids(ctx, `SELECT DISTINCT s.id FROM information f JOIN incidents i ON i.rid = f.incident_rid
		JOIN sources s ON s.rid = f.source_rid WHERE i.id = ? AND s.label <> '' ORDER BY s.id`, id)
	if err != nil {
		return 0, err
	}
	for _, kinds := range []struct {
		kind string
		ids  []string
	}{{store.KindInformation, infos}, {store.KindSource, srcs}} {
		for _, rid := range kinds.ids {
			r, err := t.saidRow(ctx, kinds.kind, rid)
			if err != nil {
				return 0, err
			}
			if err := t.sealRow(ctx, actor, r, key); err != nil {
				return 0, fmt.Errorf("incident %s: %w", id, err)
			}
		}
	}
	return len(infos) + len(srcs), nil
}

// unsealInformationOf moves what sources said about incident id, no
// longer restricted, back into the columns; a source that told us about
// another restricted incident stays sealed.
func (t *Tx) unsealInformationOf(ctx context.Context, actor, id string, key model.RecordKey) error {
	infos, err := t.ids(ctx, `SELECT f.id FROM information f JOIN incidents i ON i.rid = f.incident_rid
		WHERE i.id = ? AND `+sealedRow(store.KindInformation, "f")+` ORDER BY f.rid`, id)
	if err != nil {
		return err
	}
	srcs, err := t.ids(ctx, `SELECT DISTINCT s.id FROM information f JOIN incidents i ON i.rid = f.incident_rid
		JOIN sources s ON s.rid = f.source_rid WHERE i.id = ? AND `+sealedRow(store.KindSource, "s")+`
		AND NOT EXISTS (SELECT 1 FROM information f2 JOIN incidents i2 ON i2.rid = f2.incident_rid
			WHERE f2.source_rid = s.rid AND i2.id <> ? AND i2.visibility = 'restricted') ORDER BY s.id`, id, id)
	if err != nil {
		return err
	}
	for _, kinds := range []struct {
		kind string
		ids  []string
	}{{store.KindInformation, infos}, {store.KindSource, srcs}} {
		for _, rid := range kinds.ids {
			r, err := t.saidRow(ctx, kinds.kind, rid)
			if err != nil {
				return err
			}
			stored, err := t.recordSealed(ctx, kinds.kind, rid)
			if err != nil {
				return err
			}
			if err := t.unsealRow(ctx, actor, r, stored, key); err != nil {
				return fmt.Errorf("incident %s: %w", id, err)
			}
		}
	}
	return nil
}

// sealSaid keeps what sources said about inc as its visibility requires,
// for an update from old: sealed with inc.Key while restricted (what is
// still in the clear: stored before it was sealed), unsealed when it stops
// being restricted.
func (t *Tx) sealSaid(ctx context.Context, actor string, old, inc *model.Incident) error {
	switch {
	case inc.Visibility == model.VisibilityRestricted && inc.Key != nil:
		_, err := t.sealInformationOf(ctx, actor, inc.ID, inc.Key)
		return err
	case inc.Visibility != model.VisibilityRestricted && old.Visibility == model.VisibilityRestricted:
		return t.unsealInformationOf(ctx, actor, inc.ID, inc.Key)
	}
	return nil
}

// SealInformation implements store.Keys.
func (s *DB) SealInformation(ctx context.Context, actor, incidentID string, key model.RecordKey) (n int, err error) {
	err = s.write(ctx, func(t *Tx) error {
		restricted, err := t.restrictedIncident(ctx, incidentID)
		if err != nil {
			return err
		}
		if !restricted {
			return fmt.Errorf("incident %s is not restricted: what its sources said stays in the clear", incidentID)
		}
		n, err = t.sealInformationOf(ctx, actor, incidentID, key)
		return err
	})
	return n, err
}
