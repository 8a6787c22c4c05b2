package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The tests below play someone who can read and write the database (a
// PostgreSQL administrator, or whoever has the SQLite file and its key)
// but not the data directory's keyring. Whatever they change, they must
// gain no authority in rasd.

// authUser creates an account enrolled in TOTP, with two recovery codes.
func authUser(t *testing.T, ctx context.Context, s store.Store, name, role string, disabled bool) *model.User {
	t.Helper()
	u := &model.User{Username: name, Role: role, Lang: "en", PasswordHash: "$argon2id$hash-of-" + name,
		TOTPSealed: []byte("sealed TOTP secret of " + name), RecoveryCodes: []string{"rc1-" + name, "rc2-" + name},
		Disabled: disabled}
	if err := s.CreateUser(ctx, "admin", u); err != nil {
		t.Fatal(err)
	}
	return u
}

// authSession signs userID in with token hash tok until d from now.
func authSession(t *testing.T, ctx context.Context, s store.Store, tok, userID string, d time.Duration, verified bool) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	ss := &model.Session{TokenHash: tok, UserID: userID, CSRF: "csrf of " + tok, Verified: verified,
		CreatedAt: now.Add(-d / 1000), LastSeen: now.Add(d / 2), ExpiresAt: now.Add(d)}
	if err := s.CreateSession(ctx, ss); err != nil {
		t.Fatal(err)
	}
}

func wantTampered(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrTampered) {
		t.Errorf("%s: %v, want store.ErrTampered", what, err)
	}
}

// refusals lists the audited refusals as "kind id".
func refusals(t *testing.T, ctx context.Context, s store.Store) []string {
	t.Helper()
	var out []string
	err := s.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Action == "refuse:tampered" {
			out = append(out, e.Kind+" "+e.RecordID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantAudited(t *testing.T, got []string, kind, id, what string) {
	t.Helper()
	if !slices.Contains(got, kind+" "+id) {
		t.Errorf("%s: no refuse:tampered audit entry for %s %s", what, kind, id)
	}
}

// testAccountTamper: each column that lets an account act, changed with
// SQL, makes every read of the account refuse it, audited; a write
// through rasd does not launder the change; verify names the account
// (its snapshot differs from its history, or only its MAC fails). Each
// forgery is undone before the next, so that verify names that one.
func testAccountTamper(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	other := authUser(t, ctx, s, "other", model.RoleAdmin, false)
	from := func(col string) string { return `(SELECT ` + col + ` FROM users WHERE username = 'other')` }
	cases := []struct {
		name     string
		disabled bool   // the account was disabled
		set      string // what the forger sets on the account's row
	}{
		{"role raised", false, `role = 'admin'`},
		{"disabled flag cleared", true, `disabled = false`},
		{"renamed", false, `username = 'renamed'`},
		{"password hash copied", false, `password_hash = ` + from("password_hash")},
		{"password hash copied with its MAC", false, `password_hash = ` + from("password_hash") + `, auth_mac = ` + from("auth_mac")},
		{"every column copied with the MAC", false, `role = ` + from("role") + `, password_hash = ` + from("password_hash") +
			`, totp_sealed = ` + from("totp_sealed") + `, recovery_codes = ` + from("recovery_codes") + `, auth_mac = ` + from("auth_mac")},
		{"TOTP secret blanked", false, `totp_sealed = NULL`},
		{"TOTP secret copied", false, `totp_sealed = ` + from("totp_sealed")},
		{"recovery codes replaced", false, `recovery_codes = '["forged"]'`},
		{"recovery codes copied", false, `recovery_codes = ` + from("recovery_codes")},
		{"MAC removed", false, `auth_mac = NULL`},
	}
	var forged []string
	for i, c := range cases {
		u := authUser(t, ctx, s, fmt.Sprintf("victim%d", i), model.RoleDocumenter, c.disabled)
		tok := fmt.Sprintf("session of victim%d", i)
		authSession(t, ctx, s, tok, u.ID, time.Hour, true)
		restore := saveAccount(t, o, u.ID)
		if _, err := o.SQL.Exec(`UPDATE users SET ` + c.set + ` WHERE id = '` + u.ID + `'`); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		forged = append(forged, u.ID)
		name := u.Username
		if err := o.SQL.QueryRow(`SELECT username FROM users WHERE id = '` + u.ID + `'`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		_, err := s.GetUser(ctx, u.ID)
		wantTampered(t, c.name+": GetUser", err)
		_, err = s.GetUserByName(ctx, name)
		wantTampered(t, c.name+": GetUserByName", err)
		_, _, err = s.GetSessionUser(ctx, tok)
		wantTampered(t, c.name+": GetSessionUser of the account's session", err)
		_, err = s.UseRecoveryCode(ctx, u.ID, "rc1-"+u.Username)
		wantTampered(t, c.name+": UseRecoveryCode", err)
		u.DisplayName = "edited"
		wantTampered(t, c.name+": UpdateUser", s.UpdateUser(ctx, "admin", u))
		_, err = s.ChangePassword(ctx, "admin", u, "")
		wantTampered(t, c.name+": ChangePassword", err)
		_, err = s.UpdateUserEndSessions(ctx, "admin", "disable", u)
		wantTampered(t, c.name+": UpdateUserEndSessions", err)
		if _, err := s.GetUser(ctx, u.ID); !errors.Is(err, store.ErrTampered) {
			t.Errorf("%s: a write through rasd laundered the forged row: %v", c.name, err)
		}
		wantNamed(t, ctx, s, c.name, "user", u.ID)
		restore()
		if _, err := s.GetUser(ctx, u.ID); err != nil {
			t.Errorf("%s: the account put back: %v", c.name, err)
		}
	}
	// Rows inserted whole: as another account's copy, and with its MAC.
	cols := `username, role, lang, password_hash, totp_sealed, recovery_codes, version, created_at, updated_at, created_by, updated_by`
	var inserted []string
	for _, ins := range []struct{ id, extra string }{{"forged-1", ""}, {"forged-2", ", auth_mac"}} {
		_, err := o.SQL.Exec(`INSERT INTO users (id, ` + cols + ins.extra + `) SELECT '` + ins.id + `', '` + ins.id + `', 'admin',
			lang, password_hash, totp_sealed, recovery_codes, version, created_at, updated_at, created_by, updated_by` + ins.extra +
			` FROM users WHERE username = 'other'`)
		if err != nil {
			t.Errorf("insert %s: %v", ins.id, err)
			continue
		}
		forged, inserted = append(forged, ins.id), append(inserted, ins.id)
		_, err = s.GetUserByName(ctx, ins.id)
		wantTampered(t, "an inserted account "+ins.id, err)
		wantNamed(t, ctx, s, "an inserted account "+ins.id, "user", inserted...)
	}
	users, err := s.ListUsers(ctx)
	wantTampered(t, "ListUsers", err)
	if len(users) != 1+len(cases) || slices.ContainsFunc(users, func(u model.User) bool { return slices.Contains(inserted, u.ID) }) {
		t.Errorf("ListUsers gave %d accounts, want the %d not forged now", len(users), 1+len(cases))
	}
	if _, err := s.GetUser(ctx, other.ID); err != nil {
		t.Errorf("the account whose columns were copied: %v", err)
	}
	got := refusals(t, ctx, s)
	for _, id := range forged {
		wantAudited(t, got, "user", id, "a forged account")
	}
	for _, id := range inserted {
		exec(t, o.SQL, `DELETE FROM users WHERE id = '`+id+`'`)
	}
}

// testSessionTamper: a session inserted or changed with SQL is refused,
// audited; the others keep working.
func testSessionTamper(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	u := authUser(t, ctx, s, "holder", model.RoleDocumenter, false)
	authUser(t, ctx, s, "other", model.RoleAdmin, false)
	authSession(t, ctx, s, "long", u.ID, 30*24*time.Hour, true) // later times to copy
	from := func(col string) string { return `(SELECT ` + col + ` FROM sessions WHERE token_hash = 'long')` }
	cases := []struct{ name, set string }{
		{"expiry extended", `expires_at = ` + from("expires_at")},
		{"idle time reset", `last_seen = ` + from("last_seen")},
		{"creation time changed", `created_at = ` + from("created_at")},
		{"second factor marked given", `verified = true`},
		{"moved to another account", `user_rid = (SELECT rid FROM users WHERE username = 'other')`},
		{"CSRF secret replaced", `csrf = 'known to the forger'`},
		{"another session's times copied with its MAC", `expires_at = ` + from("expires_at") + `, last_seen = ` + from("last_seen") +
			`, created_at = ` + from("created_at") + `, verified = true, csrf = ` + from("csrf") + `, mac = ` + from("mac")},
		{"MAC removed", `mac = NULL`},
	}
	var forged []string
	for i, c := range cases {
		tok := fmt.Sprintf("tok%d", i)
		authSession(t, ctx, s, tok, u.ID, time.Hour, false)
		if _, err := o.SQL.Exec(`UPDATE sessions SET ` + c.set + ` WHERE token_hash = '` + tok + `'`); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		forged = append(forged, tok)
		_, _, err := s.GetSessionUser(ctx, tok)
		wantTampered(t, c.name+": GetSessionUser", err)
		_, err = s.GetSession(ctx, tok)
		wantTampered(t, c.name+": GetSession", err)
	}
	cols := `user_rid, csrf, verified, created_at, last_seen, expires_at`
	for _, ins := range []struct{ tok, extra string }{{"inserted", ""}, {"inserted with a MAC", ", mac"}} {
		_, err := o.SQL.Exec(`INSERT INTO sessions (token_hash, ` + cols + ins.extra + `) SELECT '` + ins.tok + `', ` + cols + ins.extra +
			` FROM sessions WHERE token_hash = 'long'`)
		if err != nil {
			t.Errorf("insert %s: %v", ins.tok, err)
			continue
		}
		forged = append(forged, ins.tok)
		_, _, err = s.GetSessionUser(ctx, ins.tok)
		wantTampered(t, "a session "+ins.tok, err)
	}
	if ss, got, err := s.GetSessionUser(ctx, "long"); err != nil || got.ID != u.ID || !ss.Verified {
		t.Errorf("the untouched session: %+v, %v", ss, err)
	}
	got := refusals(t, ctx, s)
	for _, tok := range forged {
		wantAudited(t, got, "session", tok, "a forged session")
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Error(err)
	}
}

// testMembershipTamper: a compartment key wrap copied to an account that
// is no member is refused (its MAC binds compartment, version and
// member); and a member whose account is refused does not stop a
// revocation: they get no wrap of the new key.
func testMembershipTamper(t *testing.T, ctx context.Context, o Opened) {
	FastKDF(t)
	s := o.Store
	c := model.CompartmentSources
	alice := KeyUser(t, ctx, s, "alice", model.RoleProtection, "alice password 1")
	bob := KeyUser(t, ctx, s, "bob", model.RoleProtection, "bob password 12")
	carol := KeyUser(t, ctx, s, "carol", model.RoleProtection, "carol password 1")
	dave := KeyUser(t, ctx, s, "dave", model.RoleProtection, "dave password 12")
	if err := keys.Grant(ctx, s, "admin", keys.Identity{}, c, alice); err != nil {
		t.Fatal(err)
	}
	a := Identity(t, ctx, s, alice, "alice password 1")
	for _, u := range []*model.User{bob, carol} {
		if err := keys.Grant(ctx, s, "alice", a, c, u); err != nil {
			t.Fatal(err)
		}
	}
	exec(t, o.SQL, `INSERT INTO compartment_keys (compartment, version, member, wrapped, mac, created_at, created_by)
		SELECT compartment, version, '`+dave.ID+`', wrapped, mac, created_at, created_by FROM compartment_keys WHERE member = '`+alice.ID+`'`)
	_, _, err := s.Compartment(ctx, c)
	wantTampered(t, "a wrap copied to a non-member", err)
	wantAudited(t, refusals(t, ctx, s), "compartment:"+c, dave.ID, "a copied wrap")
	exec(t, o.SQL, `DELETE FROM compartment_keys WHERE member = '`+dave.ID+`'`)

	restore := saveAccount(t, o, carol.ID)
	exec(t, o.SQL, `UPDATE users SET role = 'admin' WHERE id = '`+carol.ID+`'`)
	wantNamed(t, ctx, s, "an account's role raised", "user", carol.ID)
	if err := keys.Revoke(ctx, s, "alice", a, c, bob.ID); err != nil {
		t.Fatalf("revoking bob while carol's account is forged: %v", err)
	}
	if v, _, err := s.Compartment(ctx, c); err != nil || v != 2 {
		t.Fatalf("after the revocation: version %d, %v", v, err)
	}
	if wrapOf(t, ctx, s, c, carol.ID) != nil || wrapOf(t, ctx, s, c, bob.ID) != nil || wrapOf(t, ctx, s, c, alice.ID) == nil {
		t.Error("the new key was wrapped to a refused account or the revoked member, or not to alice")
	}
	restore() // the sweep then checks what the revocation wrote
}

// testAuthorityWrites: every write rasd makes to an account or session
// leaves a row that reads back. Failed logins, lock times and the last
// TOTP step are outside the MAC on purpose (see sqlstore/authority.go).
func testAuthorityWrites(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	u := authUser(t, ctx, s, "legit", model.RoleDocumenter, false)
	read := func(what string) *model.User {
		t.Helper()
		got, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatalf("after %s: %v", what, err)
		}
		return got
	}
	if used, err := s.UseRecoveryCode(ctx, u.ID, "rc1-legit"); !used || err != nil {
		t.Fatalf("UseRecoveryCode = %v, %v", used, err)
	}
	if got := read("a recovery code"); !slices.Equal(got.RecoveryCodes, []string{"rc2-legit"}) {
		t.Errorf("recovery codes left: %v", got.RecoveryCodes)
	}
	if ok, err := s.UseTOTPStep(ctx, u.ID, 77); !ok || err != nil {
		t.Fatalf("UseTOTPStep = %v, %v", ok, err)
	}
	read("a TOTP step")
	until := time.Now().Add(time.Hour)
	if err := s.SetLoginState(ctx, u.ID, 3, &until); err != nil {
		t.Fatal(err)
	}
	got := read("a failed login")
	exec(t, o.SQL, `UPDATE users SET failed_logins = 0, locked_until = NULL, totp_last_step = 0 WHERE id = '`+u.ID+`'`)
	read("the login state changed with SQL")
	got.Role, got.Disabled = model.RoleAnalyst, true
	if err := s.UpdateUser(ctx, "admin", got); err != nil {
		t.Fatal(err)
	}
	got = read("a role change")
	if got.Role != model.RoleAnalyst || !got.Disabled {
		t.Errorf("after the change: %s, disabled %v", got.Role, got.Disabled)
	}
	got.Disabled, got.TOTPSealed, got.RecoveryCodes = false, nil, nil
	if err := s.UpdateUser(ctx, "admin", got); err != nil {
		t.Fatal(err)
	}
	got = read("a reset")
	now := time.Now() // nanoseconds: the store keeps microseconds
	ss := &model.Session{TokenHash: "legit session", UserID: u.ID, CSRF: "c", CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateSession(ctx, ss); err != nil {
		t.Fatal(err)
	}
	got.PasswordHash = "$argon2id$a new hash"
	if _, err := s.ChangePassword(ctx, "legit", got, ss.TokenHash); err != nil {
		t.Fatal(err)
	}
	read("a password change")
	back, _, err := s.GetSessionUser(ctx, ss.TokenHash)
	if err != nil || !back.ExpiresAt.Equal(ss.ExpiresAt) || !back.LastSeen.Equal(ss.LastSeen) {
		t.Fatalf("the new session: %+v, %v (made %+v)", back, err, ss)
	}
	back.Verified, back.LastSeen, back.CSRF = true, time.Now().Add(time.Minute), "c2"
	if err := s.UpdateSession(ctx, back); err != nil {
		t.Fatal(err)
	}
	if again, _, err := s.GetSessionUser(ctx, ss.TokenHash); err != nil || !again.Verified || again.CSRF != "c2" ||
		!again.LastSeen.Equal(back.LastSeen) {
		t.Errorf("after UpdateSession: %+v, %v", again, err)
	}
	if got := refusals(t, ctx, s); len(got) != 0 {
		t.Errorf("refusals of rows rasd wrote: %v", got)
	}
}

// asBeforeAuthority makes the database look as a release before
// authority MACs left it.
func asBeforeAuthority(t *testing.T, db *sql.DB) {
	t.Helper()
	exec(t, db, `ALTER TABLE users DROP COLUMN auth_mac`)
	exec(t, db, `ALTER TABLE sessions DROP COLUMN mac`)
	exec(t, db, `DELETE FROM schema_migrations WHERE name LIKE '%authority%'`)
}

// testAuthorityUpgrade: a database from before gets its MACs when a store
// first opens it with the key, in the migration's transaction; from then
// on a row without a valid MAC is refused. The upgrade blesses no
// account that disagrees with its own history, ends every session (one
// inserted outside rasd would otherwise be blessed), and blesses once: in
// a database made to look un-upgraded again it MACs nothing.
func testAuthorityUpgrade(t *testing.T, ctx context.Context, o Opened) {
	if o.Reopen == nil {
		t.Skip("this backend cannot reopen its database")
	}
	s := o.Store
	// An audit log as an older release left it: without the upgrade entry
	// that every database made since starts with.
	exec(t, o.SQL, `DELETE FROM audit_log`)
	empty := audit.Seal(AuditKey, audit.Entry{})
	exec(t, o.SQL, `UPDATE audit_head SET seq = 0, hash = '', mac = '`+empty.MAC+`'`)
	kept := authUser(t, ctx, s, "kept", model.RoleDocumenter, false)
	off := authUser(t, ctx, s, "still-off", model.RoleAnalyst, true)
	raised := authUser(t, ctx, s, "raised", model.RoleDocumenter, false)
	enabled := authUser(t, ctx, s, "enabled", model.RoleDocumenter, true)
	blanked := authUser(t, ctx, s, "blanked", model.RoleDocumenter, false)
	authSession(t, ctx, s, "before", kept.ID, time.Hour, true)
	asBeforeAuthority(t, o.SQL)
	// Forged before the upgrade, against the accounts' history.
	exec(t, o.SQL, `UPDATE users SET role = 'admin' WHERE id = '`+raised.ID+`'`)
	exec(t, o.SQL, `UPDATE users SET disabled = false WHERE id = '`+enabled.ID+`'`)
	exec(t, o.SQL, `UPDATE users SET totp_sealed = NULL WHERE id = '`+blanked.ID+`'`)
	up, err := o.Reopen()
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer up.Close()
	for _, u := range []*model.User{kept, off} {
		got, err := up.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatalf("%s after the upgrade: %v", u.Username, err)
		}
		if got.Role != u.Role || got.Disabled != u.Disabled || got.PasswordHash != u.PasswordHash ||
			string(got.TOTPSealed) != string(u.TOTPSealed) || !slices.Equal(got.RecoveryCodes, u.RecoveryCodes) {
			t.Errorf("%s changed in the upgrade: %+v", u.Username, got)
		}
	}
	for _, u := range []*model.User{raised, enabled, blanked} {
		_, err := up.GetUser(ctx, u.ID)
		wantTampered(t, u.Username+", forged before the upgrade", err)
	}
	if _, err := up.GetSession(ctx, "before"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a session from before the upgrade: %v, want it ended", err)
	}
	upgraded := 0
	up.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Action == "upgrade:authority-mac" {
			upgraded++
		}
		return nil
	})
	if upgraded != 1 {
		t.Errorf("%d upgrade audit entries, want 1", upgraded)
	}
	// The accounts forged before the upgrade are named by verify too.
	wantNamed(t, ctx, up, "after the upgrade", "user", raised.ID, enabled.ID, blanked.ID)
	exec(t, o.SQL, `UPDATE users SET role = 'admin' WHERE id = '`+kept.ID+`'`)
	_, err = up.GetUser(ctx, kept.ID)
	wantTampered(t, "a role raised after the upgrade", err)

	// Made to look un-upgraded again, the database blesses nothing.
	asBeforeAuthority(t, o.SQL)
	again, err := o.Reopen()
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for _, u := range []*model.User{kept, off} {
		_, err := again.GetUser(ctx, u.ID)
		wantTampered(t, u.Username+" after a second upgrade", err)
	}
	var last audit.Entry
	again.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Action == "upgrade:authority-mac" {
			last = e
		}
		return nil
	})
	if !strings.Contains(last.RecordID, "run again") {
		t.Errorf("the second upgrade's audit entry: %+v", last)
	}
	// No account can be MACed again without rasd: they stay refused.
	leaveForged(t, "user", kept.ID, off.ID, raised.ID, enabled.ID, blanked.ID)
}
