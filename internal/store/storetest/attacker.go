package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Tables is the key hierarchy as an attacker holds it: the rows of the
// database (a database administrator, a stolen pg_dump, a decrypted
// SQLite file), and nothing from the data directory's keyring.
type Tables struct {
	Users    []model.User
	Versions map[string]int // compartment → current key version
	Wraps    []model.Wrap
	Sealed   []model.Sealed
}

// RawTables reads the tables straight from db, with SQL only.
func RawTables(t testing.TB, db *sql.DB) Tables {
	t.Helper()
	tb := Tables{Versions: map[string]int{}}
	query(t, db, `SELECT id, username, public_key, sealed_key FROM users`, func(r *sql.Rows) error {
		var u model.User
		err := r.Scan(&u.ID, &u.Username, &u.PublicKey, &u.SealedKey)
		tb.Users = append(tb.Users, u)
		return err
	})
	query(t, db, `SELECT name, version FROM compartments`, func(r *sql.Rows) error {
		var name string
		var v int
		err := r.Scan(&name, &v)
		tb.Versions[name] = v
		return err
	})
	query(t, db, `SELECT compartment, version, member, wrapped FROM compartment_keys`, func(r *sql.Rows) error {
		var w model.Wrap
		err := r.Scan(&w.Compartment, &w.Version, &w.Member, &w.Wrapped)
		tb.Wraps = append(tb.Wraps, w)
		return err
	})
	query(t, db, `SELECT kind, record_id, field_group, compartment, key_version, wrapped_key, box FROM sealed_fields`, func(r *sql.Rows) error {
		var s model.Sealed
		err := r.Scan(&s.Kind, &s.RecordID, &s.Group, &s.Compartment, &s.KeyVersion, &s.WrappedKey, &s.Box)
		tb.Sealed = append(tb.Sealed, s)
		return err
	})
	return tb
}

// KeyringTables is RawTables with the wraps read through s, a store
// opened with the keyring, as rasd itself reads them: what the attacker
// would hold if they had the keyring too. A test opens these first, to
// show that what fails without the keyring is not a mistake of the test.
func KeyringTables(t testing.TB, ctx context.Context, s store.Store, db *sql.DB) Tables {
	t.Helper()
	tb := RawTables(t, db)
	tb.Wraps = nil
	for c := range tb.Versions {
		_, ws, err := s.Compartment(ctx, c)
		if err != nil {
			t.Fatalf("compartment %s through the store: %v", c, err)
		}
		tb.Wraps = append(tb.Wraps, ws...)
	}
	return tb
}

func query(t testing.TB, db *sql.DB, q string, scan func(*sql.Rows) error) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// Holds reports whether the tables hold a wrap for member (a user name,
// or model.MemberRecovery) in compartment: that the attacker has
// something to try.
func (tb Tables) Holds(compartment, member string) bool {
	id := member
	if i := slices.IndexFunc(tb.Users, func(u model.User) bool { return u.Username == member }); i >= 0 {
		id = tb.Users[i].ID
	}
	return slices.ContainsFunc(tb.Wraps, func(w model.Wrap) bool { return w.Compartment == compartment && w.Member == id })
}

// OpenWithPassword opens, from the tables alone, everything a user's
// password opens: their sealed private key, their wraps, the data keys
// and the field groups. It returns what opened ("kind/id/group") and why
// the rest did not.
func (tb Tables) OpenWithPassword(ctx context.Context, username, password string) ([]string, error) {
	i := slices.IndexFunc(tb.Users, func(u model.User) bool { return u.Username == username })
	if i < 0 {
		return nil, fmt.Errorf("no user %s in the tables", username)
	}
	priv, err := keys.Unseal(&tb.Users[i], password)
	if err != nil {
		return nil, fmt.Errorf("%s's private key: %w", username, err)
	}
	return tb.open(ctx, keys.UserIdentity(&tb.Users[i], priv))
}

// OpenWithRecovery is OpenWithPassword with the recovery private key, as
// m shares rebuild it (keyring.Combine needs no keyring).
func (tb Tables) OpenWithRecovery(ctx context.Context, priv []byte) ([]string, error) {
	return tb.open(ctx, keys.RecoveryIdentity(priv))
}

func (tb Tables) open(ctx context.Context, id keys.Identity) ([]string, error) {
	var opened []string
	var errs []error
	for c := range tb.Versions {
		key, v, err := keys.CompartmentKey(ctx, tablesKeys{tb: tb}, id, c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, r := range tb.Sealed {
			if r.Compartment != c || r.KeyVersion != v {
				continue
			}
			plain, err := keys.OpenWithKey(key, &r)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			clear(plain)
			opened = append(opened, r.Kind+"/"+r.RecordID+"/"+r.Group)
		}
		clear(key)
	}
	slices.Sort(opened)
	return opened, errors.Join(errs...)
}

// tablesKeys serves the tables' wraps to package keys as a store would,
// without any check of the store's own.
type tablesKeys struct {
	store.Keys // nil: keys.CompartmentKey calls only Compartment
	tb         Tables
}

func (k tablesKeys) Compartment(_ context.Context, name string) (int, []model.Wrap, error) {
	v, ok := k.tb.Versions[name]
	if !ok {
		return 0, nil, store.ErrNotFound
	}
	var ws []model.Wrap
	for _, w := range k.tb.Wraps {
		if w.Compartment == name && w.Version == v {
			ws = append(ws, w)
		}
	}
	return v, ws, nil
}
