package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/rasd-project/rasd/internal/account"
	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

func init() { kdf.LowerForTests() }

// fixture is a service over a real store, with a clock the test moves.
type fixture struct {
	st  store.Store
	svc *Service
	now time.Time
}

// onBothBackends runs fn over an encrypted SQLite file and over a
// PostgreSQL schema of its own.
func onBothBackends(t *testing.T, fn func(t *testing.T, f *fixture)) {
	teststores.Each(t, func(t *testing.T, st store.Store) { fn(t, newFixture(st)) })
}

func newFixture(st store.Store) *fixture {
	f := &fixture{st: st, now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	key := make([]byte, 32)
	rand.Read(key)
	f.svc = New(st, Options{TOTPKey: key, Now: func() time.Time { return f.now }})
	return f
}

const testTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// user creates an account through Create, enrolled with testTOTPSecret.
func (f *fixture) user(t *testing.T, name, role, pw string) *model.User {
	t.Helper()
	ctx := t.Context()
	u, err := f.svc.Create(ctx, "admin", NewUser{Name: name, Role: role, Lang: "en", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(testTOTPSecret, f.now)
	if _, ok, err := f.svc.Enrol(ctx, u, testTOTPSecret, code); err != nil || !ok {
		t.Fatalf("enrol %s: %v %v", name, ok, err)
	}
	f.now = f.now.Add(account.Period * time.Second) // the enrolment's code is used
	return u
}

// session starts a verified session of u and returns its token.
func (f *fixture) session(t *testing.T, u *model.User) string {
	t.Helper()
	tok, _, err := f.svc.Start(t.Context(), u, true, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// alive reports whether token still opens a session.
func (f *fixture) alive(t *testing.T, token string) bool {
	t.Helper()
	r, err := f.svc.Resume(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	return r.Session != nil
}

func (f *fixture) lastAudit(t *testing.T) audit.Entry {
	var last audit.Entry
	if err := f.st.AuditEntries(t.Context(), func(e audit.Entry) error { last = e; return nil }); err != nil {
		t.Fatal(err)
	}
	return last
}

// TestDisableEndsSessions: disabling an account ends every one of its
// sessions in the same operation (none of another account's), forgets
// its failed sign-ins, and is audited as a disable; the account's name
// and password then sign in no more than a name that is no account.
func TestDisableEndsSessions(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		u := f.user(t, "huda", model.RoleAnalyst, "huda password 12")
		other := f.user(t, "ali", model.RoleAnalyst, "ali password 123")
		mine := []string{f.session(t, u), f.session(t, u)}
		theirs := f.session(t, other)
		if _, err := f.svc.SignIn(ctx, "huda", "a wrong password"); err != nil {
			t.Fatal(err)
		}

		u, _ = f.svc.ByName(ctx, "huda")
		n, err := f.svc.Disable(ctx, "admin", u)
		if err != nil || n != 2 {
			t.Fatalf("Disable = %d, %v; want 2 sessions ended", n, err)
		}
		for i, tok := range mine {
			if f.alive(t, tok) {
				t.Errorf("session %d of the disabled account still opens", i)
			}
		}
		if !f.alive(t, theirs) {
			t.Error("another account's session was ended")
		}
		got, err := f.svc.User(ctx, u.ID)
		if err != nil || !got.Disabled || got.FailedLogins != 0 {
			t.Fatalf("after the disable: disabled %v, %d failures, %v", got.Disabled, got.FailedLogins, err)
		}
		if e := f.lastAudit(t); e.Action != "disable" || e.RecordID != u.ID || e.Actor != "admin" {
			t.Errorf("last audit entry %+v, want the disable", e)
		}
		res, err := f.svc.SignIn(ctx, "huda", "huda password 12")
		if err != nil || res.OK || res.User != nil || res.Key != nil {
			t.Errorf("the disabled account's right password: %+v, %v", res, err)
		}
		if err := f.svc.Enable(ctx, "admin", got); err != nil {
			t.Fatal(err)
		}
		if res, err := f.svc.SignIn(ctx, "huda", "huda password 12"); err != nil || !res.OK {
			t.Errorf("enabled again, the right password: %+v, %v", res.Verdict, err)
		}
	})
}

// TestEndSessions: an administrator signs a user out everywhere.
func TestEndSessions(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		u := f.user(t, "rana", model.RoleDocumenter, "rana password 12")
		a, b := f.session(t, u), f.session(t, u)
		if n, err := f.svc.EndSessions(t.Context(), u); err != nil || n != 2 {
			t.Fatalf("EndSessions = %d, %v", n, err)
		}
		if f.alive(t, a) || f.alive(t, b) {
			t.Error("a session survived")
		}
	})
}

// hidingStore forgets, for hide lookups by name, that an account exists:
// the name is taken between Create's check and its insert.
type hidingStore struct {
	store.Store
	hide int
}

func (h *hidingStore) GetUserByName(ctx context.Context, name string) (*model.User, error) {
	if h.hide > 0 {
		h.hide--
		return nil, store.ErrNotFound
	}
	return h.Store.GetUserByName(ctx, name)
}

// TestCreateRefusesTakenName: a name another account has is refused with
// ErrNameTaken and a message a person reads, which names the name and
// says nothing of SQL, also when the name is taken between the check and
// the insert; nothing is created.
func TestCreateRefusesTakenName(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		f.user(t, "zainab", model.RoleCoordinator, "zainab password 1")
		race := New(&hidingStore{Store: f.st, hide: 1}, Options{Now: func() time.Time { return f.now }})
		for name, svc := range map[string]*Service{"checked": f.svc, "raced": race} {
			_, err := svc.Create(ctx, "admin", NewUser{Name: "zainab", Role: model.RoleAnalyst, Lang: "ar", Password: "another password"})
			if !errors.Is(err, ErrNameTaken) {
				t.Fatalf("%s: a taken name: %v, want ErrNameTaken", name, err)
			}
			msg := err.Error()
			for _, sqlWord := range []string{"UNIQUE", "unique", "constraint", "duplicate", "SQLSTATE", "users", "insert"} {
				if strings.Contains(msg, sqlWord) {
					t.Errorf("%s: the message speaks SQL (%q): %s", name, sqlWord, msg)
				}
			}
			if !strings.Contains(msg, `"zainab"`) || !strings.Contains(msg, "taken") {
				t.Errorf("%s: the message does not say the name is taken: %s", name, msg)
			}
		}
		users, err := f.svc.List(ctx)
		if err != nil || len(users) != 1 || users[0].Role != model.RoleCoordinator {
			t.Errorf("after the refusals: %d accounts, %v", len(users), err)
		}
	})
}

// TestCreateChecksInput: the name, role, language and password rules,
// each refusal naming what to correct.
func TestCreateChecksInput(t *testing.T) {
	f := newFixture(nil) // nothing reaches the store
	for _, c := range []struct {
		n     NewUser
		field string
		want  error
	}{
		{NewUser{Name: "", Role: model.RoleAnalyst, Lang: "en", Password: "long enough password"}, "name", nil},
		{NewUser{Name: "two words", Role: model.RoleAnalyst, Lang: "en", Password: "long enough password"}, "name", nil},
		{NewUser{Name: "a/b", Role: model.RoleAnalyst, Lang: "en", Password: "long enough password"}, "name", nil},
		{NewUser{Name: "line\nbreak", Role: model.RoleAnalyst, Lang: "en", Password: "long enough password"}, "name", nil},
		{NewUser{Name: "adm\u202enimda", Role: model.RoleAnalyst, Lang: "en", Password: "long enough password"}, "name", nil},
		{NewUser{Name: strings.Repeat("ع", MaxNameLength+1), Role: model.RoleAnalyst, Lang: "en", Password: "long enough password"}, "name", nil},
		{NewUser{Name: "ok", Role: "emperor", Lang: "en", Password: "long enough password"}, "role", nil},
		{NewUser{Name: "ok", Role: model.RoleAnalyst, Lang: "xx", Password: "long enough password"}, "lang", nil},
		{NewUser{Name: "ok", Role: model.RoleAnalyst, Lang: "en", Password: "short"}, "", account.ErrPasswordShort},
	} {
		_, err := f.svc.Create(context.Background(), "admin", c.n)
		var in *InputError
		switch {
		case c.want != nil && !errors.Is(err, c.want):
			t.Errorf("%+v: %v, want %v", c.n, err, c.want)
		case c.want == nil && (!errors.As(err, &in) || in.Field != c.field):
			t.Errorf("%+v: %v, want a refusal of the %s", c.n, err, c.field)
		}
	}
	if err := CheckName(strings.Repeat("ع", MaxNameLength)); err != nil {
		t.Errorf("an Arabic name of %d letters: %v", MaxNameLength, err)
	}
}

// TestResetDropsGrants: a reset gives the account a new password and key
// pair, no authenticator, ends its sessions, and its compartment grants
// are gone with the old key pair (another member's stay).
func TestResetDropsGrants(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		zainab := f.user(t, "zainab", model.RoleCoordinator, "zainab password 1")
		huda := f.user(t, "huda", model.RoleProtection, "huda password 12")
		priv, err := keys.Unseal(zainab, "zainab password 1")
		if err != nil {
			t.Fatal(err)
		}
		by := keys.UserIdentity(zainab, priv)
		defer by.Zero()
		for _, to := range []*model.User{zainab, huda} {
			if err := keys.Grant(ctx, f.st, "zainab", by, model.CompartmentProtection, to); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := keys.IsMember(ctx, f.st, model.CompartmentProtection, huda.ID); !ok {
			t.Fatal("the grant did not take: the test shows nothing")
		}
		tok := f.session(t, huda)

		huda, _ = f.svc.ByName(ctx, "huda")
		n, err := f.svc.Reset(ctx, "admin", huda, "huda new password")
		if err != nil || n != 1 {
			t.Fatalf("Reset = %d, %v; want 1 session ended", n, err)
		}
		if ok, err := keys.IsMember(ctx, f.st, model.CompartmentProtection, huda.ID); ok || err != nil {
			t.Errorf("the reset account is still a member: %v %v", ok, err)
		}
		if ok, _ := keys.IsMember(ctx, f.st, model.CompartmentProtection, zainab.ID); !ok {
			t.Error("another member's grant went with the reset")
		}
		if f.alive(t, tok) {
			t.Error("a session of the reset account still opens")
		}
		got, _ := f.svc.User(ctx, huda.ID)
		if got.Enrolled() || len(got.RecoveryCodes) != 0 {
			t.Error("the reset account keeps its authenticator")
		}
		if _, err := keys.Unseal(got, "huda password 12"); err == nil {
			t.Error("the old password opens the new key")
		}
		if p, err := keys.Unseal(got, "huda new password"); err != nil {
			t.Errorf("the new password does not open the new key: %v", err)
		} else {
			clear(p)
		}
		if e := f.lastAudit(t); e.Action != "reset" || e.RecordID != huda.ID {
			t.Errorf("last audit entry %+v, want the reset", e)
		}
		if _, err := f.svc.Reset(ctx, "admin", got, "short"); !errors.Is(err, account.ErrPasswordShort) {
			t.Errorf("a reset to a short password: %v", err)
		}
	})
}

// TestSignInSteps: the password step counts and opens the key; a TOTP
// code works once; a recovery code works once; a name that is no account
// is counted like one.
func TestSignInSteps(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		u := f.user(t, "noor", model.RoleAnalyst, "noor password 12")
		wrong, err := f.svc.SignIn(ctx, "noor", "not her password")
		ghost, gerr := f.svc.SignIn(ctx, "ghost", "not her password")
		if err != nil || gerr != nil || wrong.OK || ghost.OK || wrong.Failures != 1 || ghost.Failures != 1 {
			t.Fatalf("wrong password %+v (%v), unknown name %+v (%v): want both refused after one failure", wrong.Verdict, err, ghost.Verdict, gerr)
		}
		res, err := f.svc.SignIn(ctx, "noor", "noor password 12")
		if err != nil || !res.OK || res.User == nil || res.Key == nil {
			t.Fatalf("the right password: %+v, %v", res, err)
		}
		clear(res.Key)
		code, _ := totp.GenerateCode(testTOTPSecret, f.now)
		if v, err := f.svc.SecondFactor(ctx, res.User, code, ""); err != nil || !v.OK {
			t.Fatalf("the code: %+v, %v", v, err)
		}
		if v, _ := f.svc.SecondFactor(ctx, res.User, code, ""); v.OK {
			t.Error("the same code worked twice")
		}
		got, _ := f.svc.User(ctx, u.ID)
		if got.FailedLogins != 1 { // the replayed code
			t.Errorf("%d failures after a complete sign-in and a replay, want 1", got.FailedLogins)
		}
		codes, hashes := account.RecoveryCodes(1)
		got.RecoveryCodes = hashes
		if err := f.st.UpdateUser(ctx, "test", got); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.svc.SecondFactor(ctx, got, "", " "+codes[0]+" "); !v.OK {
			t.Error("the recovery code was refused")
		}
		if v, _ := f.svc.SecondFactor(ctx, got, "", codes[0]); v.OK {
			t.Error("the recovery code worked twice")
		}
	})
}

// TestChangePassword: the other sessions end, the one kept stays; a wrong
// current password is counted and changes nothing.
func TestChangePassword(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		u := f.user(t, "omar", model.RoleDocumenter, "omar password 12")
		keep, _, err := f.svc.Start(ctx, u, true, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		other := f.session(t, u)
		c := PasswordChange{Current: "not my password", New: "omar password 34", Again: "omar password 34", Keep: HashToken(keep)}
		if res, err := f.svc.ChangePassword(ctx, u.Username, u, c); !errors.Is(err, ErrWrongPassword) || res.Failures != 1 {
			t.Fatalf("a wrong current password: %+v, %v", res.Verdict, err)
		}
		for _, bad := range []struct {
			c    PasswordChange
			want error
		}{
			{PasswordChange{Current: "omar password 12", New: "short", Again: "short"}, account.ErrPasswordShort},
			{PasswordChange{Current: "omar password 12", New: "omar password 34", Again: "omar password 35"}, ErrPasswordMismatch},
			{PasswordChange{Current: "omar password 12", New: "omar password 12", Again: "omar password 12"}, ErrPasswordSame},
		} {
			if _, err := f.svc.ChangePassword(ctx, u.Username, u, bad.c); !errors.Is(err, bad.want) {
				t.Errorf("%+v: %v, want %v", bad.c, err, bad.want)
			}
		}
		c.Current = "omar password 12"
		res, err := f.svc.ChangePassword(ctx, u.Username, u, c)
		if err != nil || res.Ended != 1 || res.Key != nil {
			t.Fatalf("the change: %+v, %v; want one other session ended, the key pair kept", res, err)
		}
		if !f.alive(t, keep) || f.alive(t, other) {
			t.Errorf("kept session alive %v, other alive %v", f.alive(t, keep), f.alive(t, other))
		}
		got, _ := f.svc.User(ctx, u.ID)
		if !account.VerifyPassword(got.PasswordHash, "omar password 34") || got.FailedLogins != 0 {
			t.Errorf("after the change: new password verifies %v, %d failures", account.VerifyPassword(got.PasswordHash, "omar password 34"), got.FailedLogins)
		}
	})
}

// TestSessionLife: a session idle too long, or past its end, opens
// nothing and is ended; one in use is touched; a replaced one is ended.
func TestSessionLife(t *testing.T) {
	onBothBackends(t, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		u := f.user(t, "layla", model.RoleAnalyst, "layla password 1")
		tok, sess, err := f.svc.Start(ctx, u, false, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		next, _, err := f.svc.Start(ctx, u, true, sess.TokenHash, nil)
		if err != nil || f.alive(t, tok) || !f.alive(t, next) {
			t.Fatalf("replacing a session: %v; old alive %v", err, f.alive(t, tok))
		}
		f.now = f.now.Add(20 * time.Minute)
		if !f.alive(t, next) {
			t.Fatal("a session used 20 minutes ago is closed")
		}
		f.now = f.now.Add(20 * time.Minute) // 20 minutes since its last use, recorded
		if !f.alive(t, next) {
			t.Fatal("the use was not recorded: the session timed out")
		}
		f.now = f.now.Add(31 * time.Minute)
		r, err := f.svc.Resume(ctx, next)
		if err != nil || r.Session != nil || r.Ended != HashToken(next) || r.Trouble != nil {
			t.Fatalf("an idle session: %+v, %v", r, err)
		}
		if _, err := f.st.GetSession(ctx, HashToken(next)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the idle session's row stays: %v", err)
		}
	})
}
