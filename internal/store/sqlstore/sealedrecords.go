package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// A restricted incident, person or organisation arrives with its identifying text
// already sealed (model.Incident.Sealed, by package keys) and blanked in
// its columns. The store writes the sealed group in the record's own
// transaction, so a record never exists without its text nor the other
// way round, and keeps in the history only a digest of the ciphertext:
// the versions table holds no plaintext of sealed content (what versions
// kept before the record was sealed is purged as it is: purge.go).

// sealedFor checks that s is the record group of this record.
func sealedFor(s *model.Sealed, kind, id string) error {
	if s.Kind != kind || s.RecordID != id || s.Group != model.GroupRecord {
		return fmt.Errorf("sealed group %s/%s/%s does not belong to %s %s", s.Kind, s.RecordID, s.Group, kind, id)
	}
	return nil
}

// putSealed stores r; ErrConflict if the compartment was rotated since r
// was sealed (seal again).
func (t *Tx) putSealed(ctx context.Context, actor string, r *model.Sealed) error {
	v, err := t.compartmentVersion(ctx, r.Compartment)
	if err != nil {
		return err
	}
	if v != r.KeyVersion {
		return store.ErrConflict
	}
	if _, err := t.Exec(ctx, `DELETE FROM sealed_fields WHERE kind = ? AND record_id = ? AND field_group = ?`,
		r.Kind, r.RecordID, r.Group); err != nil {
		return fmt.Errorf("put sealed: %w", err)
	}
	r.UpdatedAt, r.UpdatedBy = t.s.clock(), actor
	if _, err := t.Exec(ctx, `INSERT INTO sealed_fields (`+sealedCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Kind, r.RecordID, r.Group, r.Compartment, r.KeyVersion, r.WrappedKey, r.Box, r.UpdatedAt, actor); err != nil {
		return fmt.Errorf("store sealed fields: %w", err)
	}
	return t.keyAudit(ctx, actor, "seal:"+r.Group, r.Kind, r.RecordID, r.Box)
}

// recordSealed is the stored record group of a record, nil if none.
func (t *Tx) recordSealed(ctx context.Context, kind, id string) (*model.Sealed, error) {
	r, err := scanSealed(t.QueryRow(ctx, `SELECT `+sealedCols+` FROM sealed_fields
		WHERE kind = ? AND record_id = ? AND field_group = ?`, kind, id, model.GroupRecord))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return r, err
}

// sealNow is the record group a write stores: seal's result for this
// record's ID, or for an update without seal the stored group (stored),
// kept; none for a record that is not restricted (its caller unsealed
// the text into the columns, or it never had any).
func sealNow(st model.SealedText, stored *model.Sealed, kind, id, visibility string) (*model.Sealed, error) {
	seal := st.Seal
	if visibility != model.VisibilityRestricted {
		if seal != nil {
			return nil, fmt.Errorf("%s %s: only a restricted record is sealed", kind, id)
		}
		if stored != nil && !st.Unseal {
			return nil, fmt.Errorf("%s %s: %w", kind, id, store.ErrUnsealNeedsMember)
		}
		return nil, nil
	}
	if seal == nil {
		return stored, nil
	}
	s, err := seal(id, stored)
	if err != nil {
		return nil, err
	}
	return s, sealedFor(s, kind, id)
}

// syncSealed writes next in place of prev (either may be nil).
func (t *Tx) syncSealed(ctx context.Context, actor, kind, id string, prev, next *model.Sealed) error {
	switch {
	case next != nil && next != prev:
		return t.putSealed(ctx, actor, next)
	case next == nil && prev != nil:
		if _, err := t.Exec(ctx, `DELETE FROM sealed_fields WHERE kind = ? AND record_id = ? AND field_group = ?`,
			kind, id, model.GroupRecord); err != nil {
			return fmt.Errorf("sync sealed: %w", err)
		}
		return t.keyAudit(ctx, actor, "destroy:"+model.GroupRecord, kind, id, nil)
	}
	return nil
}

// sealUpdate is syncSealed for a record already stored. When it seals
// text kept in the clear until now, it first purges that text from the
// record's history, in the same transaction (purge.go); it reports whether
// it did, for the new version's changes.
func (t *Tx) sealUpdate(ctx context.Context, actor, kind, id string, prev, next *model.Sealed) (sealing bool, err error) {
	if sealing = prev == nil && next != nil; sealing {
		if _, err := t.purgeHistory(ctx, actor, kind, id); err != nil {
			return false, err
		}
	}
	return sealing, t.syncSealed(ctx, actor, kind, id, prev, next)
}

// withSealed adds the ciphertext's digest to a snapshot (a JSON object),
// so that a change of sealed text is a new version without its content.
func withSealed(snap []byte, s *model.Sealed) []byte {
	if s == nil {
		return snap
	}
	sum := sha256.Sum256(s.Box)
	return withSealedDigest(snap, hex.EncodeToString(sum[:]))
}

// withSealedDigest adds a ciphertext's hex digest to a snapshot.
func withSealedDigest(snap []byte, digest string) []byte {
	if len(snap) < 2 {
		return snap
	}
	out := append([]byte(nil), snap[:len(snap)-1]...)
	return append(out, `,"sealed_sha256":"`+digest+`"}`...)
}

// clearIncidentText names a field of a sealed incident that holds text in
// the clear ("" if none): whoever calls the store, a sealed record's text
// is never also written to its columns.
func clearIncidentText(inc *model.Incident) string {
	switch {
	case inc.SummaryEN != "" || inc.SummaryAR != "":
		return "summary"
	case inc.NarrativeEN != "" || inc.NarrativeAR != "":
		return "narrative"
	case inc.Place.Locality != "" || inc.Place.Lat != nil || inc.Place.Lon != nil:
		return "place"
	case len(inc.Tags) > 0:
		return "tags"
	case inc.External != nil && len(inc.External.Original) > 0:
		return "external.original"
	}
	for _, p := range inc.Perpetrators {
		if p.Group != "" || p.ModusOperandi != "" {
			return "perpetrators"
		}
	}
	return ""
}

// errClearText refuses a sealed record given with text in the clear.
func errClearText(kind, id, field string) error {
	return fmt.Errorf("%s %s is sealed: its %s must be written sealed (package keys), never in the clear", kind, id, field)
}
