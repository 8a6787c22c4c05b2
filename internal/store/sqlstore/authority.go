package sqlstore

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The database grants no authority. Someone who can write to it but
// lacks the keyring (a PostgreSQL administrator; whoever has the SQLite
// file and its key) must not be able to act as an account: so every
// column that lets an account or a session act is MACed under a key
// derived from the audit key (kept in the keyring, never in the
// database), bound to the row's identity so that nothing copies between
// rows. A row whose MAC fails is refused (store.ErrTampered) and the
// refusal audited.
//
// Outside the MAC on purpose: failed_logins and locked_until (whoever
// could reset them can read the Argon2id hash and guess offline anyway:
// the lockout slows guessers on the network, not database writers),
// totp_last_step (lowering it lets a code seen in its 90-second window be
// replayed, which still needs the password), display name and language.
//
// A MAC cannot tell a row's current state from an earlier state of the
// same row: someone who kept an old row (its MAC included) can put it
// back, e.g. enable a disabled account again or restore a password hash
// from before a change. SECURITY.md says so.

// authorityKey derives the MAC key from the audit key.
func authorityKey(auditKey []byte) []byte {
	k, err := hkdf.Key(sha256.New, auditKey, nil, "rasd authority integrity v1", 32)
	if err != nil {
		panic(err) // only for a length hkdf cannot give
	}
	return k
}

// authMAC MACs parts, each length-prefixed so that no two lists encode
// alike.
func (s *DB) authMAC(parts ...[]byte) []byte {
	m := hmac.New(sha256.New, s.authKey)
	for _, p := range parts {
		m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
		m.Write(p)
	}
	return m.Sum(nil)
}

func flag(b bool) []byte {
	if b {
		return []byte{1}
	}
	return []byte{0}
}

func micros(t time.Time) []byte { return strconv.AppendInt(nil, t.UnixMicro(), 10) }

// userMAC covers what lets an account act, bound to its ID: name (records
// name their creator by it, and creators may edit their own), role,
// disabled, password hash, whether it is enrolled and the sealed TOTP
// secret, the recovery code hashes, its key pair, and the version.
func (s *DB) userMAC(u *model.User) []byte {
	parts := [][]byte{[]byte("user"), []byte(u.ID), []byte(u.Username), []byte(u.Role), flag(u.Disabled),
		[]byte(u.PasswordHash), flag(u.Enrolled()), u.TOTPSealed, u.PublicKey, u.SealedKey,
		[]byte(strconv.Itoa(u.Version)), []byte(strconv.Itoa(len(u.RecoveryCodes)))}
	for _, c := range u.RecoveryCodes {
		parts = append(parts, []byte(c))
	}
	return s.authMAC(parts...)
}

// sessionMAC covers every column of a session, bound to its token hash
// and its account's ID (not the row number the table joins by).
func (s *DB) sessionMAC(ss *model.Session) []byte {
	return s.authMAC([]byte("session"), []byte(ss.TokenHash), []byte(ss.UserID), []byte(ss.CSRF), flag(ss.Verified),
		micros(ss.CreatedAt), micros(ss.LastSeen), micros(ss.ExpiresAt))
}

// normaliseSession puts the times at the precision both backends keep,
// so that the MAC written is the MAC read back.
func normaliseSession(ss *model.Session) {
	for _, t := range []*time.Time{&ss.CreatedAt, &ss.LastSeen, &ss.ExpiresAt} {
		*t = t.UTC().Truncate(time.Microsecond)
	}
}

// checkUser refuses an account whose authority MAC or key MAC fails.
func (s *DB) checkUser(u *model.User, authMAC, keyMAC []byte) error {
	if !hmac.Equal(authMAC, s.userMAC(u)) || !s.userKeyOK(u, keyMAC) {
		return userRefusal(u.ID)
	}
	return nil
}

func (s *DB) checkSession(ss *model.Session, mac []byte) error {
	if !hmac.Equal(mac, s.sessionMAC(ss)) {
		return &refusal{what: "a session", rows: []refusedRow{{"session", ss.TokenHash}}}
	}
	return nil
}

func userRefusal(id string) *refusal {
	return &refusal{what: "account " + id, rows: []refusedRow{{"user", id}}}
}

// refusal is one or more rows refused because their MAC failed. It
// matches store.ErrTampered.
type refusal struct {
	what string // for the message: no name, no secret
	rows []refusedRow
}

// refusedRow names a refused row in its audit entry.
type refusedRow struct{ kind, id string }

func (r *refusal) Error() string        { return r.what + ": " + store.ErrTampered.Error() }
func (r *refusal) Is(target error) bool { return target == store.ErrTampered }

// maxRefusedID bounds what a refusal's audit entry copies from a row that
// someone else wrote (an ID, a token hash: 64 characters at most).
const maxRefusedID = 64

// audited records the refusals err holds in the audit log (action
// "refuse:tampered", actor "rasd"), in a transaction of its own, since
// the one that met the row may have rolled back; and returns err. Every
// exported method that reads an account, session or key passes its error
// through it.
func (s *DB) audited(ctx context.Context, err error) error {
	var r *refusal
	if !errors.As(err, &r) {
		return err
	}
	werr := s.write(ctx, func(t *Tx) error {
		for _, row := range r.rows {
			id := row.id
			if len(id) > maxRefusedID {
				id = id[:maxRefusedID]
			}
			e := audit.Entry{At: s.clock(), Actor: "rasd", Action: "refuse:tampered", Kind: row.kind, RecordID: id}
			if err := t.appendAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if werr != nil {
		return errors.Join(err, fmt.Errorf("audit the refusal: %w", werr))
	}
	return err
}

const upgradeAction = "upgrade:authority-mac"

// upgradeAuthority MACs the accounts of a database from before authority
// MACs, in the transaction of the migration that adds the columns. It
// blesses no account that disagrees with its own history (role, name,
// disabled, enrolled) or whose key MAC fails: those stay unMACed, hence
// refused, and audited. Sessions are ended, not blessed: one inserted
// outside rasd cannot be told from a real one. It blesses once: if the
// audit log shows it ran before, someone made the database look older
// (dropped the columns) to have forged rows MACed, and it MACs nothing,
// so every account is refused until the database is restored.
func (t *Tx) upgradeAuthority(ctx context.Context) error {
	var before int
	if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, upgradeAction).Scan(&before); err != nil {
		return fmt.Errorf("upgrade authority: %w", err)
	}
	res, err := t.Exec(ctx, `DELETE FROM sessions`)
	if err != nil {
		return fmt.Errorf("upgrade authority: %w", err)
	}
	ended, _ := res.RowsAffected()
	// The columns as the migration found them: later migrations may add
	// others, which an older database lacks at this point.
	rows, err := t.Query(ctx, `SELECT id, username, role, disabled, password_hash, totp_sealed, recovery_codes,
		public_key, sealed_key, key_mac, version FROM users ORDER BY rid`)
	if err != nil {
		return fmt.Errorf("upgrade authority: %w", err)
	}
	type found struct {
		u      model.User
		keyMAC []byte
	}
	var users []found
	for rows.Next() {
		var f found
		var codes string
		if err := rows.Scan(&f.u.ID, &f.u.Username, &f.u.Role, &f.u.Disabled, &f.u.PasswordHash, &f.u.TOTPSealed, &codes,
			&f.u.PublicKey, &f.u.SealedKey, &f.keyMAC, &f.u.Version); err != nil {
			rows.Close()
			return fmt.Errorf("upgrade authority: %w", err)
		}
		f.u.RecoveryCodes = fromJSONList(codes)
		users = append(users, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("upgrade authority: %w", err)
	}
	refused := 0
	for _, f := range users {
		ok, err := t.agreesWithHistory(ctx, &f.u)
		if err != nil {
			return err
		}
		if before > 0 || !ok || !t.s.userKeyOK(&f.u, f.keyMAC) {
			refused++
			if err := t.appendAudit(ctx, audit.Entry{At: t.s.clock(), Actor: "rasd", Action: "refuse:tampered",
				Kind: "user", RecordID: f.u.ID}); err != nil {
				return err
			}
			continue
		}
		if _, err := t.Exec(ctx, `UPDATE users SET auth_mac = ? WHERE id = ?`, t.s.userMAC(&f.u), f.u.ID); err != nil {
			return fmt.Errorf("upgrade authority: %w", err)
		}
	}
	summary := fmt.Sprintf("%d accounts MACed, %d refused, %d sessions ended", len(users)-refused, refused, ended)
	if before > 0 {
		summary = fmt.Sprintf("run again on a database upgraded before: none MACed, %d refused, %d sessions ended", refused, ended)
	}
	return t.appendAudit(ctx, audit.Entry{At: t.s.clock(), Actor: "rasd", Action: upgradeAction, Kind: "user", RecordID: summary})
}

// agreesWithHistory compares an account's row with the version of it
// that its history kept.
func (t *Tx) agreesWithHistory(ctx context.Context, u *model.User) (bool, error) {
	var snap string
	err := t.QueryRow(ctx, `SELECT snapshot FROM versions WHERE kind = 'user' AND record_id = ? AND version = ?`,
		u.ID, u.Version).Scan(&snap)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // no history of this version: not written by rasd
	}
	if err != nil {
		return false, err
	}
	var kept struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Role     string `json:"role"`
		Disabled bool   `json:"disabled"`
		Enrolled bool   `json:"enrolled"`
	}
	if json.Unmarshal([]byte(snap), &kept) != nil {
		return false, nil
	}
	return kept.ID == u.ID && kept.Username == u.Username && kept.Role == u.Role &&
		kept.Disabled == u.Disabled && kept.Enrolled == u.Enrolled(), nil
}
