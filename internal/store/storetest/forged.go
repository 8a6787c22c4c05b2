package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/rasd-project/rasd/internal/store"
)

// wantNamed fails t unless VerifyAudit names one of the records ids of
// kind: a record changed outside rasd is reported as such, never a reason
// for verify to stop.
func wantNamed(t *testing.T, ctx context.Context, s store.Store, what, kind string, ids ...string) {
	t.Helper()
	_, err := store.VerifyAudit(ctx, s, AuditKey)
	var re *store.RecordError
	if !errors.As(err, &re) || re.Kind != kind || !slices.Contains(ids, re.ID) {
		t.Errorf("%s: VerifyAudit = %v, want a record error naming %s %v", what, err, kind, ids)
	}
}

// forgedLeft holds, per running test, the records it leaves changed
// outside rasd on purpose (leaveForged).
var forgedLeft sync.Map // *testing.T → forgedSet

type forgedSet struct {
	kind string
	ids  []string
}

// leaveForged tells the sweep after the test (Run) that t ends with these
// records changed outside rasd and cannot put them back (no key to MAC
// them again): verify must name one of them, instead of passing. A test
// that can put its forgeries back does, and the sweep checks everything.
func leaveForged(t *testing.T, kind string, ids ...string) {
	forgedLeft.Store(t, forgedSet{kind, ids})
}

// sweep is the check Run makes after each test that does not tamper on
// purpose: all the store wrote verifies, or, if the test left forged
// records, verify names one of them.
func sweep(t *testing.T, ctx context.Context, s store.Store) {
	t.Helper()
	if v, ok := forgedLeft.LoadAndDelete(t); ok {
		f := v.(forgedSet)
		wantNamed(t, ctx, s, "after the test, which left forged records", f.kind, f.ids...)
		return
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("after the test, VerifyAudit: %v", err)
	}
}

// accountCols are the columns of an account a forger changes in the tests.
const accountCols = `username, role, disabled, password_hash, totp_sealed, recovery_codes, auth_mac`

// saveAccount returns a function that puts account id's columns back as
// they are now, MAC included: a forgery undone, so that the sweep after
// the test checks every record.
func saveAccount(t *testing.T, o Opened, id string) func() {
	t.Helper()
	var (
		name, role, hash, codes string
		disabled                bool
		totp, mac               []byte
	)
	err := o.SQL.QueryRow(rebindIf(o, `SELECT `+accountCols+` FROM users WHERE id = ?`), id).Scan(&name, &role, &disabled, &hash, &totp, &codes, &mac)
	if err != nil {
		t.Fatalf("save account %s: %v", id, err)
	}
	return func() {
		t.Helper()
		sqlExec(t, o, `UPDATE users SET username = ?, role = ?, disabled = ?, password_hash = ?, totp_sealed = ?, recovery_codes = ?,
			auth_mac = ? WHERE id = ?`, name, role, disabled, hash, totp, codes, mac, id)
	}
}
