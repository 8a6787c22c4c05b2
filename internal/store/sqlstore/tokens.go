package sqlstore

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// tokenMAC covers what lets a token act, bound to its ID and its user's
// ID: its secret's hash, scope, times and revocation. Putting back an
// unrevoked copy of a revoked row is the replay SECURITY.md describes
// for accounts; a forged or edited row is refused.
func (s *DB) tokenMAC(t *model.Token) []byte {
	revoked := []byte{}
	if t.RevokedAt != nil {
		revoked = micros(*t.RevokedAt)
	}
	return s.authMAC([]byte("api token"), []byte(t.ID), []byte(t.UserID), []byte(t.SecretHash), []byte(t.Scope),
		micros(t.CreatedAt), micros(t.ExpiresAt), revoked)
}

func normaliseToken(t *model.Token) {
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC().Truncate(time.Microsecond), t.ExpiresAt.UTC().Truncate(time.Microsecond)
	if t.RevokedAt != nil {
		r := t.RevokedAt.UTC().Truncate(time.Microsecond)
		t.RevokedAt = &r
	}
}

// CreateToken implements store.Tokens.
func (s *DB) CreateToken(ctx context.Context, actor string, tk *model.Token) error {
	normaliseToken(tk)
	return s.write(ctx, func(t *Tx) error {
		res, err := t.Exec(ctx, `INSERT INTO api_tokens (id, user_rid, name, secret_hash, scope, created_at, expires_at, mac)
			SELECT ?, rid, ?, ?, ?, ?, ?, ? FROM users WHERE id = ?`,
			tk.ID, tk.Name, tk.SecretHash, tk.Scope, tk.CreatedAt, tk.ExpiresAt, s.tokenMAC(tk), tk.UserID)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("token for user %s: %w", tk.UserID, store.ErrNotFound)
		}
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "token:create", Kind: "token", RecordID: tk.ID})
	})
}

const tokenCols = `k.id, k.name, k.secret_hash, k.scope, k.created_at, k.expires_at, k.revoked_at, k.last_used_at, k.mac`

func tokenDest(tk *model.Token, revoked, used *sql.NullTime, mac *[]byte) []any {
	return []any{&tk.ID, &tk.Name, &tk.SecretHash, &tk.Scope, &tk.CreatedAt, &tk.ExpiresAt, revoked, used, mac}
}

func finishToken(tk *model.Token, revoked, used sql.NullTime) {
	tk.CreatedAt, tk.ExpiresAt = tk.CreatedAt.UTC(), tk.ExpiresAt.UTC()
	tk.RevokedAt, tk.LastUsedAt = nil, nil
	if revoked.Valid {
		r := revoked.Time.UTC()
		tk.RevokedAt = &r
	}
	if used.Valid {
		u := used.Time.UTC()
		tk.LastUsedAt = &u
	}
}

func (s *DB) checkToken(tk *model.Token, mac []byte) error {
	if !hmac.Equal(mac, s.tokenMAC(tk)) {
		return &refusal{what: "an API token", rows: []refusedRow{{"token", tk.ID}}}
	}
	return nil
}

// TokenBySecret implements store.Tokens.
func (s *DB) TokenBySecret(ctx context.Context, secretHash string) (*model.Token, *model.User, error) {
	var tk model.Token
	var revoked, used sql.NullTime
	var mac []byte
	row := pool{s}.QueryRow(ctx, `SELECT `+tokenCols+`, `+userCols+`
		FROM api_tokens k JOIN users u ON u.rid = k.user_rid WHERE k.secret_hash = ?`, secretHash)
	u, authMAC, keyMAC, err := readUser(prefixed{row, tokenDest(&tk, &revoked, &used, &mac)})
	if err != nil {
		return nil, nil, fmt.Errorf("read token: %w", err)
	}
	tk.UserID = u.ID
	finishToken(&tk, revoked, used)
	if err := s.checkToken(&tk, mac); err != nil {
		return nil, nil, s.audited(ctx, err)
	}
	if err := s.checkUser(u, authMAC, keyMAC); err != nil {
		return nil, nil, s.audited(ctx, err)
	}
	return &tk, u, nil
}

// ListTokens implements store.Tokens. Rows that fail their MAC are left
// out (they grant nothing) and audited.
func (s *DB) ListTokens(ctx context.Context, userID string) ([]model.Token, error) {
	rows, err := pool{s}.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN users u ON u.rid = k.user_rid
		WHERE u.id = ? ORDER BY k.created_at DESC, k.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []model.Token
	var bad error
	for rows.Next() {
		var tk model.Token
		var revoked, used sql.NullTime
		var mac []byte
		if err := rows.Scan(tokenDest(&tk, &revoked, &used, &mac)...); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		tk.UserID = userID
		finishToken(&tk, revoked, used)
		if err := s.checkToken(&tk, mac); err != nil {
			bad = errors.Join(bad, err)
			continue
		}
		out = append(out, tk)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	if bad != nil {
		return out, s.audited(ctx, bad)
	}
	return out, nil
}

// RevokeToken implements store.Tokens: the row is read, checked and
// rewritten with its new MAC in one transaction.
func (s *DB) RevokeToken(ctx context.Context, actor, userID, id string, at time.Time) error {
	err := s.write(ctx, func(t *Tx) error {
		var tk model.Token
		var revoked, used sql.NullTime
		var mac []byte
		err := t.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens k JOIN users u ON u.rid = k.user_rid
			WHERE k.id = ? AND u.id = ?`+s.d.LockHead(), id, userID).Scan(tokenDest(&tk, &revoked, &used, &mac)...)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		tk.UserID = userID
		finishToken(&tk, revoked, used)
		if err := s.checkToken(&tk, mac); err != nil {
			return err
		}
		if tk.RevokedAt != nil {
			return nil // revoked already: the first time stands
		}
		r := at.UTC().Truncate(time.Microsecond)
		tk.RevokedAt = &r
		if _, err := t.Exec(ctx, `UPDATE api_tokens SET revoked_at = ?, mac = ? WHERE id = ?`, r, s.tokenMAC(&tk), id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "token:revoke", Kind: "token", RecordID: id})
	})
	return s.audited(ctx, err)
}

// UseToken implements store.Tokens.
func (s *DB) UseToken(ctx context.Context, actor, id, what string, at time.Time) error {
	return s.write(ctx, func(t *Tx) error {
		if _, err := t.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at.UTC().Truncate(time.Microsecond), id); err != nil {
			return fmt.Errorf("record token use: %w", err)
		}
		return t.appendAudit(ctx, audit.Entry{At: s.clock(), Actor: actor, Action: "token:use " + what, Kind: "token", RecordID: id})
	})
}

// Hit implements store.Counters: one upsert, so that servers counting
// at once on one database each count (no read-modify-write).
func (s *DB) Hit(ctx context.Context, bucket string, now time.Time, window time.Duration) (int, error) {
	t, from := now.Unix(), windowFrom(now, window)
	var n int
	err := s.db.QueryRowContext(ctx, s.d.Rebind(`INSERT INTO rate_counts (bucket, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (bucket) DO UPDATE SET
			hits = CASE WHEN rate_counts.window_start > ? THEN rate_counts.hits + 1 ELSE 1 END,
			window_start = CASE WHEN rate_counts.window_start > ? THEN rate_counts.window_start ELSE excluded.window_start END
		RETURNING hits`), bucket, t, from, from).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// HitCount implements store.Counters.
func (s *DB) HitCount(ctx context.Context, bucket string, now time.Time, window time.Duration) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.d.Rebind(`SELECT hits FROM rate_counts WHERE bucket = ? AND window_start > ?`),
		bucket, windowFrom(now, window)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read count: %w", err)
	}
	return n, nil
}

// ForgetHits implements store.Counters.
func (s *DB) ForgetHits(ctx context.Context, bucket string) error {
	if _, err := s.db.ExecContext(ctx, s.d.Rebind(`DELETE FROM rate_counts WHERE bucket = ?`), bucket); err != nil {
		return fmt.Errorf("forget count: %w", err)
	}
	return nil
}

// windowFrom is the Unix second after which a window that started then
// still holds now: a bucket's window starts at its first hit, not at a
// multiple of its length, so that no moment (midnight UTC, for a day)
// ends every bucket's count at once; a guesser could tell a name that is
// no account, whose count is one (signin.go), from an account, whose
// count is its own, by trying just after it.
func windowFrom(now time.Time, window time.Duration) int64 {
	return now.Unix() - max(int64(window/time.Second), 1)
}
