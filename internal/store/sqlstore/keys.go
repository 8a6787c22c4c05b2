package sqlstore

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Audit entries of the key hierarchy carry the hash of the ciphertext
// written, never anything that was sealed.
func (t *Tx) keyAudit(ctx context.Context, actor, action, kind, id string, blob []byte) error {
	sum := sha256.Sum256(blob)
	return t.appendAudit(ctx, audit.Entry{At: t.s.clock(), Actor: actor, Action: action, Kind: kind,
		RecordID: id, Digest: hex.EncodeToString(sum[:])})
}

func (t *Tx) compartmentVersion(ctx context.Context, name string) (int, error) {
	var v int
	err := t.QueryRow(ctx, `SELECT version FROM compartments WHERE name = ?`+t.s.d.LockHead(), name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	return v, err
}

// Compartment implements store.Keys.
func (s *DB) Compartment(ctx context.Context, name string) (int, []model.Wrap, error) {
	var v int
	err := pool{s}.QueryRow(ctx, `SELECT version FROM compartments WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, store.ErrNotFound
	}
	if err != nil {
		return 0, nil, err
	}
	rows, err := pool{s}.Query(ctx, `SELECT compartment, version, member, wrapped, mac, created_at, created_by
		FROM compartment_keys WHERE compartment = ? ORDER BY member`, name)
	if err != nil {
		return 0, nil, fmt.Errorf("compartment: %w", err)
	}
	defer rows.Close()
	var out []model.Wrap
	for rows.Next() {
		var w model.Wrap
		var mac []byte
		if err := rows.Scan(&w.Compartment, &w.Version, &w.Member, &w.Wrapped, &mac, &w.CreatedAt, &w.CreatedBy); err != nil {
			return 0, nil, fmt.Errorf("compartment: %w", err)
		}
		if w.Version != v || !hmac.Equal(mac, s.wrapMAC(w)) {
			rows.Close()
			return 0, nil, s.audited(ctx, &refusal{what: "compartment " + name + ", a member's key wrap",
				rows: []refusedRow{{"compartment:" + name, w.Member}}})
		}
		if w.Wrapped, err = s.unlayer(w); err != nil {
			rows.Close()
			return 0, nil, s.audited(ctx, err)
		}
		w.CreatedAt = w.CreatedAt.UTC()
		out = append(out, w)
	}
	return v, out, rows.Err()
}

// PutWrap implements store.Keys.
func (s *DB) PutWrap(ctx context.Context, actor string, w model.Wrap) error {
	return s.write(ctx, func(t *Tx) error { return t.grant(ctx, actor, w) })
}

// LogRecovery implements store.Keys.
func (s *DB) LogRecovery(ctx context.Context, actor string, grants []model.Wrap) error {
	var names []string
	for _, w := range grants {
		if !slices.Contains(names, w.Compartment) {
			names = append(names, w.Compartment)
		}
	}
	slices.Sort(names)
	return s.write(ctx, func(t *Tx) error {
		if err := t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "recover:keys",
			Kind: "recovery-key", RecordID: strings.Join(names, ",")}); err != nil {
			return err
		}
		for _, w := range grants {
			if err := t.grant(ctx, actor, w); err != nil {
				return fmt.Errorf("grant %s: %w", w.Compartment, err)
			}
		}
		return nil
	})
}

// grant stores w, creating the compartment at version 1 if w.Version is 1
// and it does not exist, with its "grant" audit entry.
func (t *Tx) grant(ctx context.Context, actor string, w model.Wrap) error {
	v, err := t.compartmentVersion(ctx, w.Compartment)
	if errors.Is(err, store.ErrNotFound) && w.Version == 1 {
		v, err = 1, nil
		if _, err := t.Exec(ctx, `INSERT INTO compartments (name, version) VALUES (?, 1)`, w.Compartment); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	if v != w.Version {
		return store.ErrConflict
	}
	stored, err := t.putWrap(ctx, actor, w)
	if err != nil {
		return err
	}
	return t.keyAudit(ctx, actor, "grant", "compartment:"+w.Compartment, w.Member, stored)
}

// putWrap stores w inside the keyring layer (wraplayer.go), and returns
// what it stored.
func (t *Tx) putWrap(ctx context.Context, actor string, w model.Wrap) ([]byte, error) {
	if _, err := t.Exec(ctx, `DELETE FROM compartment_keys WHERE compartment = ? AND member = ?`, w.Compartment, w.Member); err != nil {
		return nil, fmt.Errorf("put wrap: %w", err)
	}
	w.Wrapped = t.s.layer(w)
	_, err := t.Exec(ctx, `INSERT INTO compartment_keys (compartment, version, member, wrapped, mac, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, w.Compartment, w.Version, w.Member, w.Wrapped, t.s.wrapMAC(w), t.s.clock(), actor)
	return w.Wrapped, err
}

// RotateCompartment implements store.Keys.
func (s *DB) RotateCompartment(ctx context.Context, actor, name string, from int, wraps []model.Wrap, sealed []model.Sealed) error {
	return s.write(ctx, func(t *Tx) error {
		v, err := t.compartmentVersion(ctx, name)
		if err != nil {
			return err
		}
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM sealed_fields WHERE compartment = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("rotate compartment: %w", err)
		}
		if v != from || n != len(sealed) {
			return store.ErrConflict
		}
		if _, err := t.Exec(ctx, `UPDATE compartments SET version = ? WHERE name = ?`, from+1, name); err != nil {
			return fmt.Errorf("rotate compartment: %w", err)
		}
		if _, err := t.Exec(ctx, `DELETE FROM compartment_keys WHERE compartment = ?`, name); err != nil {
			return fmt.Errorf("rotate compartment: %w", err)
		}
		for _, w := range wraps {
			if w.Compartment != name || w.Version != from+1 {
				return fmt.Errorf("rotate %s: wrap for %s has the wrong compartment or version", name, w.Member)
			}
			if _, err := t.putWrap(ctx, actor, w); err != nil {
				return err
			}
		}
		now := s.clock()
		for _, r := range sealed {
			res, err := t.Exec(ctx, `UPDATE sealed_fields SET key_version = ?, wrapped_key = ?, box = ?, updated_at = ?, updated_by = ?
				WHERE kind = ? AND record_id = ? AND field_group = ? AND compartment = ? AND key_version = ?`,
				from+1, r.WrappedKey, r.Box, now, actor, r.Kind, r.RecordID, r.Group, name, from)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 || r.KeyVersion != from+1 {
				return store.ErrConflict
			}
		}
		return t.keyAudit(ctx, actor, "rotate", "compartment:"+name, fmt.Sprint(from+1), nil)
	})
}

// RecoveryKey implements store.Keys.
func (s *DB) RecoveryKey(ctx context.Context) ([]byte, error) {
	var pub, mac []byte
	err := pool{s}.QueryRow(ctx, `SELECT public_key, mac FROM recovery_key WHERE id = 1`).Scan(&pub, &mac)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err == nil && !hmac.Equal(mac, s.keyMAC([]byte("recovery"), pub)) {
		return nil, s.audited(ctx, &refusal{what: "the recovery key", rows: []refusedRow{{"recovery-key", ""}}})
	}
	return pub, err
}

// SetRecoveryKey implements store.Keys.
func (s *DB) SetRecoveryKey(ctx context.Context, actor string, pub []byte) error {
	return s.write(ctx, func(t *Tx) error {
		if _, err := t.Exec(ctx, `DELETE FROM recovery_key WHERE id = 1`); err != nil {
			return fmt.Errorf("set recovery key: %w", err)
		}
		if _, err := t.Exec(ctx, `DELETE FROM compartment_keys WHERE member = ?`, model.MemberRecovery); err != nil {
			return fmt.Errorf("set recovery key: %w", err)
		}
		if _, err := t.Exec(ctx, `INSERT INTO recovery_key (id, public_key, mac, created_at, created_by) VALUES (1, ?, ?, ?, ?)`,
			pub, s.keyMAC([]byte("recovery"), pub), s.clock(), actor); err != nil {
			return fmt.Errorf("set recovery key: %w", err)
		}
		return t.keyAudit(ctx, actor, "set", "recovery-key", "", pub)
	})
}

const sealedCols = `kind, record_id, field_group, compartment, key_version, wrapped_key, box, updated_at, updated_by`

func scanSealed(row interface{ Scan(...any) error }) (*model.Sealed, error) {
	var r model.Sealed
	err := row.Scan(&r.Kind, &r.RecordID, &r.Group, &r.Compartment, &r.KeyVersion, &r.WrappedKey, &r.Box, &r.UpdatedAt, &r.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	return &r, err
}

// PutSealed implements store.Keys.
func (s *DB) PutSealed(ctx context.Context, actor string, r *model.Sealed) error {
	return s.write(ctx, func(t *Tx) error { return t.putSealed(ctx, actor, r) })
}

// GetSealed implements store.Keys.
func (s *DB) GetSealed(ctx context.Context, kind, id, group string) (*model.Sealed, error) {
	return scanSealed(pool{s}.QueryRow(ctx, `SELECT `+sealedCols+` FROM sealed_fields
		WHERE kind = ? AND record_id = ? AND field_group = ?`, kind, id, group))
}

// DeleteSealed implements store.Keys.
func (s *DB) DeleteSealed(ctx context.Context, actor, kind, id, group string) error {
	return s.write(ctx, func(t *Tx) error {
		res, err := t.Exec(ctx, `DELETE FROM sealed_fields WHERE kind = ? AND record_id = ? AND field_group = ?`, kind, id, group)
		if err != nil {
			return fmt.Errorf("delete sealed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return t.keyAudit(ctx, actor, "destroy:"+group, kind, id, nil)
	})
}

// ListSealed implements store.Keys.
func (s *DB) ListSealed(ctx context.Context, compartment string) ([]model.Sealed, error) {
	return s.listSealed(ctx, `SELECT `+sealedCols+` FROM sealed_fields WHERE compartment = ?
		ORDER BY kind, record_id, field_group`, compartment)
}

// SealedOfKind implements store.Keys, along the table's primary key.
func (s *DB) SealedOfKind(ctx context.Context, kind, group string) ([]model.Sealed, error) {
	return s.listSealed(ctx, `SELECT `+sealedCols+` FROM sealed_fields WHERE kind = ? AND field_group = ?
		ORDER BY record_id`, kind, group)
}

func (s *DB) listSealed(ctx context.Context, q string, args ...any) ([]model.Sealed, error) {
	rows, err := pool{s}.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list sealed: %w", err)
	}
	defer rows.Close()
	var out []model.Sealed
	for rows.Next() {
		r, err := scanSealed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// CountSealed implements store.Keys.
func (s *DB) CountSealed(ctx context.Context, compartment string) (int, error) {
	var n int
	err := pool{s}.QueryRow(ctx, `SELECT COUNT(*) FROM sealed_fields WHERE compartment = ?`, compartment).Scan(&n)
	return n, err
}

// LogRead implements store.Keys.
func (s *DB) LogRead(ctx context.Context, actor, kind, id, group string) error {
	return s.write(ctx, func(t *Tx) error {
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "read:" + group, Kind: kind, RecordID: id})
	})
}

// LogAction implements store.History.
func (s *DB) LogAction(ctx context.Context, actor, action, kind, id string) error {
	return s.write(ctx, func(t *Tx) error {
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: action, Kind: kind, RecordID: id})
	})
}

// keyMAC authenticates what a grant trusts — users' public keys, the
// recovery public key, compartment key wraps — under a key derived from
// the audit key (from the keyring, never in the database). Someone who
// can write to the database but lacks the keyring (a PostgreSQL
// administrator) cannot put in a public key of their own, to which the
// next grant would wrap a compartment key, nor a wrap of a key they chose,
// under which members would seal new records.
func (s *DB) keyMAC(parts ...[]byte) []byte {
	k, err := hkdf.Key(sha256.New, s.auditKey, nil, "rasd key integrity v1", 32)
	if err != nil {
		panic(err)
	}
	m := hmac.New(sha256.New, k)
	for _, p := range parts {
		m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
		m.Write(p)
	}
	return m.Sum(nil)
}

// userKeyMAC covers the sealed private key too: its stored Argon2id
// costs must not be raised by someone else to exhaust the server's memory.
func (s *DB) userKeyMAC(u *model.User) []byte {
	if len(u.PublicKey) == 0 && len(u.SealedKey) == 0 {
		return nil
	}
	return s.keyMAC([]byte("user"), []byte(u.ID), u.PublicKey, u.SealedKey)
}

// userKeyOK checks the key MAC. The authority MAC (authority.go) covers
// the key pair too; this one stays for what it already protects.
func (s *DB) userKeyOK(u *model.User, mac []byte) bool {
	if len(u.PublicKey) == 0 && len(u.SealedKey) == 0 && len(mac) == 0 {
		return true
	}
	return hmac.Equal(mac, s.userKeyMAC(u))
}

func (s *DB) wrapMAC(w model.Wrap) []byte {
	return s.keyMAC([]byte("wrap"), []byte(w.Compartment), []byte(strconv.Itoa(w.Version)), []byte(w.Member), w.Wrapped)
}
