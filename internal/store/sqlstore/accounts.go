package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

const userCols = `u.id, u.username, u.display_name, u.role, u.lang, u.password_hash, u.totp_sealed, u.totp_last_step,
	u.recovery_codes, u.failed_logins, u.locked_until, u.disabled, u.public_key, u.sealed_key, u.key_mac, u.version, u.created_at, u.updated_at, u.created_by, u.updated_by,
	u.auth_mac`

// userSnapshot is what history keeps of an account: no secret, only
// whether it is enrolled.
func userSnapshot(u *model.User) []byte {
	c := *u
	c.Meta = model.Meta{}
	return snapshot(struct {
		model.User
		Enrolled bool `json:"enrolled"`
	}{c, u.Enrolled()})
}

// CreateUser implements store.Accounts.
func (s *DB) CreateUser(ctx context.Context, actor string, u *model.User) error {
	return s.write(ctx, func(t *Tx) error {
		now := s.clock()
		if u.ID == "" { // package keys sets it first when it binds the key pair to it
			u.ID = uuid.Must(uuid.NewV7()).String()
		}
		u.Meta = model.Meta{Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: actor, UpdatedBy: actor}
		codes, _ := json.Marshal(orEmpty(u.RecoveryCodes))
		_, err := t.Exec(ctx, `INSERT INTO users (id, username, display_name, role, lang, password_hash, totp_sealed,
			totp_last_step, recovery_codes, disabled, public_key, sealed_key, key_mac, version, created_at, updated_at, created_by, updated_by,
			auth_mac)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
			u.ID, u.Username, u.DisplayName, u.Role, u.Lang, u.PasswordHash, u.TOTPSealed, u.TOTPLastStep,
			string(codes), u.Disabled, u.PublicKey, u.SealedKey, s.userKeyMAC(u), now, now, actor, actor, s.userMAC(u))
		if err != nil {
			return fmt.Errorf("create user %q (is the name taken?): %w", u.Username, err)
		}
		return t.keep(ctx, record{kind: "user", id: u.ID, actor: actor, action: "create", version: 1,
			snapshot: userSnapshot(u), at: now})
	})
}

// UpdateUser implements store.Accounts.
func (s *DB) UpdateUser(ctx context.Context, actor string, u *model.User) error {
	return s.audited(ctx, s.write(ctx, func(t *Tx) error { return s.updateUser(ctx, t, actor, "update", u) }))
}

// ChangePassword implements store.Accounts.
func (s *DB) ChangePassword(ctx context.Context, actor string, u *model.User, keepSession string) (int, error) {
	return s.updateEnding(ctx, actor, "password", u, keepSession)
}

// UpdateUserEndSessions implements store.Accounts.
func (s *DB) UpdateUserEndSessions(ctx context.Context, actor, action string, u *model.User) (int, error) {
	return s.updateEnding(ctx, actor, action, u, "")
}

// updateEnding saves u (audit action action) and ends every session of
// it but keepSession ("" for none), in one transaction.
func (s *DB) updateEnding(ctx context.Context, actor, action string, u *model.User, keepSession string) (int, error) {
	var ended int64
	err := s.write(ctx, func(t *Tx) error {
		if err := s.updateUser(ctx, t, actor, action, u); err != nil {
			return err
		}
		res, err := t.Exec(ctx, `DELETE FROM sessions WHERE user_rid = (SELECT rid FROM users WHERE id = ?) AND token_hash <> ?`,
			u.ID, keepSession)
		if err != nil {
			return err
		}
		if ended, err = res.RowsAffected(); err != nil {
			return fmt.Errorf("count the sessions ended: %w", err)
		}
		return nil
	})
	return int(ended), s.audited(ctx, err)
}

// updateUser saves u in t; action names the audit entry ("update",
// "password", "disable", "reset").
func (s *DB) updateUser(ctx context.Context, t *Tx, actor, action string, u *model.User) error {
	old, err := s.getUser(ctx, t, "id", u.ID)
	if err != nil {
		return err
	}
	if old.Version != u.Version {
		return store.ErrConflict
	}
	now := s.clock()
	prev := userSnapshot(old)
	u.Meta = old.Meta
	u.Version, u.UpdatedAt, u.UpdatedBy = old.Version+1, now, actor
	codes, _ := json.Marshal(orEmpty(u.RecoveryCodes))
	_, err = t.Exec(ctx, `UPDATE users SET display_name = ?, role = ?, lang = ?, password_hash = ?, totp_sealed = ?,
		totp_last_step = ?, recovery_codes = ?, disabled = ?, public_key = ?, sealed_key = ?, key_mac = ?, version = ?,
		updated_at = ?, updated_by = ?, auth_mac = ? WHERE id = ?`,
		u.DisplayName, u.Role, u.Lang, u.PasswordHash, u.TOTPSealed, u.TOTPLastStep, string(codes), u.Disabled,
		u.PublicKey, u.SealedKey, s.userKeyMAC(u), u.Version, now, actor, s.userMAC(u), u.ID)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	// A new key pair (password reset) makes the old wraps useless:
	// the user must be granted again.
	if !bytes.Equal(old.PublicKey, u.PublicKey) {
		if _, err := t.Exec(ctx, `DELETE FROM compartment_keys WHERE member = ?`, u.ID); err != nil {
			return err
		}
	}
	// A password or enrolment change is recorded even though the
	// snapshot shows no secret.
	return t.keep(ctx, record{kind: "user", id: u.ID, actor: actor, action: action, version: u.Version,
		snapshot: userSnapshot(u), previous: prev, at: now})
}

// GetUser implements store.Accounts.
func (s *DB) GetUser(ctx context.Context, id string) (*model.User, error) {
	u, err := s.getUser(ctx, pool{s}, "id", id)
	return u, s.audited(ctx, err)
}

// GetUserByName implements store.Accounts.
func (s *DB) GetUserByName(ctx context.Context, username string) (*model.User, error) {
	u, err := s.getUser(ctx, pool{s}, "username", username)
	return u, s.audited(ctx, err)
}

func (s *DB) getUser(ctx context.Context, q querier, col, val string) (*model.User, error) {
	return s.scanUser(q.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.`+col+` = ?`, val))
}

// scanUser reads an account, refusing it if its MACs fail.
func (s *DB) scanUser(row interface{ Scan(...any) error }) (*model.User, error) {
	u, authMAC, keyMAC, err := readUser(row)
	if err != nil {
		return nil, err
	}
	if err := s.checkUser(u, authMAC, keyMAC); err != nil {
		return nil, err
	}
	return u, nil
}

func readUser(row interface{ Scan(...any) error }) (*model.User, []byte, []byte, error) {
	var (
		u               model.User
		codes           string
		locked          sql.NullTime
		keyMAC, authMAC []byte
	)
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.Lang, &u.PasswordHash, &u.TOTPSealed, &u.TOTPLastStep,
		&codes, &u.FailedLogins, &locked, &u.Disabled, &u.PublicKey, &u.SealedKey, &keyMAC, &u.Version, &u.CreatedAt, &u.UpdatedAt,
		&u.CreatedBy, &u.UpdatedBy, &authMAC)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, store.ErrNotFound
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read user: %w", err)
	}
	u.RecoveryCodes = fromJSONList(codes)
	if locked.Valid {
		t := locked.Time.UTC()
		u.LockedUntil = &t
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, authMAC, keyMAC, nil
}

// ListUsers implements store.Accounts.
func (s *DB) ListUsers(ctx context.Context) ([]model.User, error) {
	rows, err := pool{s}.Query(ctx, `SELECT `+userCols+` FROM users u ORDER BY u.username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.User
	refused := &refusal{}
	for rows.Next() {
		u, err := s.scanUser(rows)
		var r *refusal
		if errors.As(err, &r) {
			refused.rows = append(refused.rows, r.rows...)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(refused.rows) > 0 {
		refused.what = "an account"
		if len(refused.rows) > 1 {
			refused.what = fmt.Sprintf("%d accounts", len(refused.rows))
		}
		return out, s.audited(ctx, refused)
	}
	return out, nil
}

// SetLoginState implements store.Accounts.
func (s *DB) SetLoginState(ctx context.Context, userID string, failures int, lockedUntil *time.Time) error {
	var locked sql.NullTime
	if lockedUntil != nil {
		locked = sql.NullTime{Time: wholeSeconds(*lockedUntil), Valid: true}
	}
	_, err := s.db.ExecContext(ctx, s.d.Rebind(`UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`), failures, locked, userID)
	if err != nil {
		return fmt.Errorf("set sign-in state: %w", err)
	}
	return nil
}

// wholeSeconds is how lock times are written and compared: SQLite
// compares them as text, which orders RFC 3339 times correctly only when
// none has a fraction.
func wholeSeconds(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// CountLoginAttempt implements store.Accounts: one UPDATE, so that
// parallel attempts are each counted (no read-modify-write) and none is
// admitted once one has reached the limit. In SET, columns are the
// row's values before the update. An expired lock leaves lockAfter-1
// failures: this attempt makes lockAfter and locks again.
func (s *DB) CountLoginAttempt(ctx context.Context, userID string, now time.Time, lockAfter int, lockFor time.Duration) (int, bool, error) {
	now = wholeSeconds(now)
	var n int
	err := s.db.QueryRowContext(ctx, s.d.Rebind(`UPDATE users SET
		failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins + 1 ELSE ? END,
		locked_until = CASE WHEN locked_until IS NOT NULL OR failed_logins + 1 >= ? THEN ? ELSE locked_until END
		WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)
		RETURNING failed_logins`), lockAfter, lockAfter, now.Add(lockFor), userID, now).Scan(&n)
	if err == nil {
		return n, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("count sign-in attempt: %w", err)
	}
	// Locked, or no such account: read the count for the caller's delay.
	err = s.db.QueryRowContext(ctx, s.d.Rebind(`SELECT failed_logins FROM users WHERE id = ?`), userID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, store.ErrNotFound
	}
	if err != nil {
		return 0, false, fmt.Errorf("count sign-in attempt: %w", err)
	}
	return n, false, nil
}

// UncountLoginAttempt implements store.Accounts.
func (s *DB) UncountLoginAttempt(ctx context.Context, userID string, lockAfter int) error {
	_, err := s.db.ExecContext(ctx, s.d.Rebind(`UPDATE users SET
		failed_logins = CASE WHEN failed_logins > 0 THEN failed_logins - 1 ELSE 0 END,
		locked_until = CASE WHEN failed_logins - 1 < ? THEN NULL ELSE locked_until END
		WHERE id = ?`), lockAfter, userID)
	if err != nil {
		return fmt.Errorf("take back sign-in attempt: %w", err)
	}
	return nil
}

// UseTOTPStep implements store.Accounts.
func (s *DB) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.d.Rebind(`UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`), step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode implements store.Accounts. The row is locked before it
// is read (FOR UPDATE on PostgreSQL; SQLite's write transactions take the
// database's write lock at BEGIN), so that two parallel uses of one code
// cannot both read it as unused.
func (s *DB) UseRecoveryCode(ctx context.Context, userID, codeHash string) (bool, error) {
	used := false
	err := s.write(ctx, func(t *Tx) error {
		u, err := s.scanUser(t.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = ?`+s.d.LockHead(), userID))
		if err != nil {
			return fmt.Errorf("read the user for a recovery code: %w", err)
		}
		left := u.RecoveryCodes[:0:0]
		for _, c := range u.RecoveryCodes {
			if c == codeHash && !used {
				used = true
				continue
			}
			left = append(left, c)
		}
		if !used {
			return nil
		}
		// Only over the row as read (its MAC names its state): one changed
		// meanwhile would otherwise get a MAC of a mix of two states. The
		// code then counts as not used (PostgreSQL: a second use of it at
		// the same moment waits for the first, then finds the MAC changed).
		was := s.userMAC(u)
		u.RecoveryCodes = left
		b, _ := json.Marshal(orEmpty(left))
		res, err := t.Exec(ctx, `UPDATE users SET recovery_codes = ?, auth_mac = ? WHERE id = ? AND auth_mac = ?`,
			string(b), s.userMAC(u), userID, was)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("count the recovery codes used: %w", err)
		}
		used = n == 1
		return nil
	})
	return used, s.audited(ctx, err)
}

// CreateSession implements store.Accounts.
func (s *DB) CreateSession(ctx context.Context, ss *model.Session) error {
	normaliseSession(ss)
	res, err := s.db.ExecContext(ctx, s.d.Rebind(`INSERT INTO sessions (token_hash, user_rid, csrf, verified, created_at, last_seen, expires_at, mac)
		SELECT ?, rid, ?, ?, ?, ?, ?, ? FROM users WHERE id = ?`),
		ss.TokenHash, ss.CSRF, ss.Verified, ss.CreatedAt, ss.LastSeen, ss.ExpiresAt, s.sessionMAC(ss), ss.UserID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("session for user %s: %w", ss.UserID, store.ErrNotFound)
	}
	return nil
}

// GetSession implements store.Accounts.
func (s *DB) GetSession(ctx context.Context, tokenHash string) (*model.Session, error) {
	var ss model.Session
	var mac []byte
	err := pool{s}.QueryRow(ctx, `SELECT s.token_hash, u.id, s.csrf, s.verified, s.created_at, s.last_seen, s.expires_at, s.mac
		FROM sessions s JOIN users u ON u.rid = s.user_rid WHERE s.token_hash = ?`, tokenHash).Scan(
		&ss.TokenHash, &ss.UserID, &ss.CSRF, &ss.Verified, &ss.CreatedAt, &ss.LastSeen, &ss.ExpiresAt, &mac)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	ss.CreatedAt, ss.LastSeen, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.LastSeen.UTC(), ss.ExpiresAt.UTC()
	if err := s.checkSession(&ss, mac); err != nil {
		return nil, s.audited(ctx, err)
	}
	return &ss, nil
}

// GetSessionUser implements store.Accounts.
func (s *DB) GetSessionUser(ctx context.Context, tokenHash string) (*model.Session, *model.User, error) {
	var ss model.Session
	var mac []byte
	row := pool{s}.QueryRow(ctx, `SELECT s.token_hash, s.csrf, s.verified, s.created_at, s.last_seen, s.expires_at, s.mac, `+userCols+`
		FROM sessions s JOIN users u ON u.rid = s.user_rid WHERE s.token_hash = ?`, tokenHash)
	u, authMAC, keyMAC, err := readUser(prefixed{row, []any{&ss.TokenHash, &ss.CSRF, &ss.Verified, &ss.CreatedAt, &ss.LastSeen, &ss.ExpiresAt, &mac}})
	if err != nil {
		return nil, nil, err
	}
	ss.UserID = u.ID
	ss.CreatedAt, ss.LastSeen, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.LastSeen.UTC(), ss.ExpiresAt.UTC()
	if err := s.checkSession(&ss, mac); err != nil {
		return nil, nil, s.audited(ctx, err)
	}
	if err := s.checkUser(u, authMAC, keyMAC); err != nil {
		return nil, nil, s.audited(ctx, err)
	}
	return &ss, u, nil
}

// UpdateSession implements store.Accounts. It writes every column the
// session's MAC covers, so that the row is ss and its MAC.
func (s *DB) UpdateSession(ctx context.Context, ss *model.Session) error {
	normaliseSession(ss)
	_, err := s.db.ExecContext(ctx, s.d.Rebind(`UPDATE sessions SET verified = ?, last_seen = ?, csrf = ?, created_at = ?, expires_at = ?,
		mac = ? WHERE token_hash = ? AND user_rid = (SELECT rid FROM users WHERE id = ?)`),
		ss.Verified, ss.LastSeen, ss.CSRF, ss.CreatedAt, ss.ExpiresAt, s.sessionMAC(ss), ss.TokenHash, ss.UserID)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	return nil
}

// DeleteSession implements store.Accounts.
func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, s.d.Rebind(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions implements store.Accounts.
func (s *DB) DeleteSessions(ctx context.Context, userID string) (int, error) {
	res, err := s.db.ExecContext(ctx, s.d.Rebind(`DELETE FROM sessions WHERE user_rid = (SELECT rid FROM users WHERE id = ?)`), userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
