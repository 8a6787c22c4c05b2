package migrations_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/kdf"
	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/sqlstore"
)

// The fixtures were made by rasd at commit c15666b, before there was one
// schema sequence: `rasd demo --no-serve --incidents 40` into a new data
// directory on SQLite, and on PostgreSQL (then pg_dump --inserts of its
// schema), each with one evidence file added; passphrase below.
const (
	fixtures   = "../testdata/upgrade-c15666b"
	passphrase = "upgrade fixture passphrase"
	// What the demo stored, counted in the fixture before any upgrade.
	wantIncidents = 40
)

func init() { kdf.LowerForTests() }

func unlockFixture(t *testing.T, dir string) *keyring.Keys {
	t.Helper()
	tmp := t.TempDir()
	b, err := os.ReadFile(filepath.Join(dir, keyring.FileName))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(tmp, keyring.FileName), b, 0o600)) // Unlock writes beside it
	k, err := keyring.Unlock(tmp, keyring.Secret{Passphrase: []byte(passphrase)})
	must(t, err)
	return k
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	must(t, err)
	must(t, os.WriteFile(to, b, 0o600))
}

func TestUpgradeSQLite(t *testing.T) {
	dir := filepath.Join(fixtures, "sqlite")
	k := unlockFixture(t, dir)
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	copyFile(t, filepath.Join(dir, sqlite.FileName), path)
	st, err := sqlite.Open(context.Background(), path, k.Derive("database"), k.Derive("audit"))
	must(t, err)
	defer st.Close()
	checkUpgraded(t, st, k)
	fresh := sqliteSchema(t, openSQLite(t, filepath.Join(t.TempDir(), "fresh.db")))
	if got := sqliteSchema(t, st.SQL()); !reflect.DeepEqual(got, fresh) {
		t.Errorf("the upgraded SQLite schema is not a fresh one:\n  %s", strings.Join(compareSame(got, fresh), "\n  "))
	}
}

func TestUpgradePostgres(t *testing.T) {
	dir := filepath.Join(fixtures, "postgres")
	k := unlockFixture(t, dir)
	dump, err := os.ReadFile(filepath.Join(dir, "dump.sql"))
	must(t, err)
	st, err := postgres.Open(context.Background(), pgSchema(t, string(dump)), k.Derive("audit"))
	must(t, err)
	defer st.Close()
	checkUpgraded(t, st, k)
	fresh := postgresSchema(t, openPostgres(t))
	if got := postgresSchema(t, st.SQL()); !reflect.DeepEqual(got, fresh) {
		t.Errorf("the upgraded PostgreSQL schema is not a fresh one:\n  %s", strings.Join(compareSame(got, fresh), "\n  "))
	}
}

// checkUpgraded checks that nothing was lost: the records, the audit
// chain, the migrations recorded in the one sequence's names, and a
// sealed record that the demo's protection officer still opens.
func checkUpgraded(t *testing.T, st *sqlstore.DB, k *keyring.Keys) {
	t.Helper()
	ctx := context.Background()
	var n int
	must(t, st.SQL().QueryRow(`SELECT COUNT(*) FROM incidents`).Scan(&n))
	if n != wantIncidents {
		t.Errorf("%d incidents after the upgrade, want %d", n, wantIncidents)
	}
	// The blocking table is made again (0044) and filled by its Go step:
	// every incident neither restricted nor merged has its type's rows.
	var open, blocked int
	must(t, st.SQL().QueryRow(`SELECT COUNT(*) FROM incidents WHERE visibility <> 'restricted' AND merged_into = ''`).Scan(&open))
	must(t, st.EachBlocked(ctx, func(b *store.Blocked, _ []string) error {
		blocked++
		return nil
	}))
	if blocked == 0 || blocked != open {
		t.Errorf("%d incidents in the blocking table after the upgrade, want the %d neither restricted nor merged", blocked, open)
	}
	// incident_victim_names (0045) is filled by its Go step: every such
	// incident naming a victim who is not restricted has its names, and
	// no restricted incident's or person's name is there.
	var naming, named, sealed int
	must(t, st.SQL().QueryRow(`SELECT COUNT(DISTINCT i.rid) FROM incidents i JOIN victims v ON v.incident_rid = i.rid
		JOIN persons p ON p.rid = v.person_rid WHERE i.visibility <> 'restricted' AND i.merged_into = ''
		AND p.visibility <> 'restricted' AND (p.name_latin <> '' OR p.name_ar <> '')`).Scan(&naming))
	must(t, st.SQL().QueryRow(`SELECT COUNT(*) FROM incident_victim_names`).Scan(&named))
	if naming == 0 || named != naming {
		t.Errorf("%d incidents in incident_victim_names after the upgrade, want the %d naming a victim", named, naming)
	}
	must(t, st.SQL().QueryRow(`SELECT COUNT(*) FROM incident_victim_names n JOIN incidents i ON i.rid = n.incident_rid
		WHERE i.visibility = 'restricted'`).Scan(&sealed))
	if sealed != 0 {
		t.Errorf("%d restricted incidents in incident_victim_names", sealed)
	}
	var vn map[string][]string
	var ids []string
	for _, r := range rowsOf(t, st.SQL(), `SELECT incident_id FROM incident_victim_names`) {
		ids = append(ids, r[0].String)
	}
	vn, err := st.VictimNames(ctx, ids)
	must(t, err)
	for _, r := range rowsOf(t, st.SQL(), `SELECT i.id, p.name_latin, p.name_ar FROM incidents i JOIN victims v ON v.incident_rid = i.rid
		JOIN persons p ON p.rid = v.person_rid WHERE p.visibility = 'restricted'`) {
		for _, n := range vn[r[0].String] {
			if r[1].String != "" && n == r[1].String || r[2].String != "" && n == r[2].String {
				t.Errorf("a restricted person's name among incident %s's victims' names", r[0].String)
			}
		}
	}
	if _, err := store.VerifyAudit(ctx, st, k.Derive("audit")); err != nil {
		t.Errorf("audit after the upgrade: %v", err)
	}
	var names []string
	for _, r := range rowsOf(t, st.SQL(), `SELECT version, name FROM schema_migrations ORDER BY version`) {
		names = append(names, r[0].String+" "+r[1].String)
	}
	if len(names) < 9 || names[0] != "1 init" || !strings.Contains(strings.Join(names, ","), "7 keys,8 evidence,9 stat_facts") {
		t.Errorf("migrations recorded after the upgrade: %v", names)
	}
	u, err := st.GetUserByName(ctx, "protection")
	must(t, err)
	priv, err := keys.Unseal(u, "rasd-demo-protection")
	must(t, err)
	id := keys.UserIdentity(u, priv)
	defer id.Zero()
	opened := 0
	for _, r := range rowsOf(t, st.SQL(), `SELECT id FROM incidents WHERE visibility = 'restricted'`) {
		inc, err := st.GetIncident(ctx, r[0].String)
		must(t, err)
		found, err := keys.OpenIncident(ctx, st, "upgrade test", id, inc)
		if err != nil || !found || inc.SummaryEN == "" && inc.SummaryAR == "" {
			t.Errorf("restricted incident %s after the upgrade: found %v, %v, summary %q", inc.Code, found, err, inc.SummaryEN)
		}
		opened++
	}
	if opened == 0 {
		t.Error("the fixture has no restricted incident to open")
	}
}

// compareSame lists how two schemas of one dialect differ.
func compareSame(got, want schema) []string {
	var out []string
	for _, name := range union(names(got), names(want)) {
		g, w := got[name], want[name]
		if !reflect.DeepEqual(g, w) {
			out = append(out, fmt.Sprintf("%s: upgraded %+v, fresh %+v", name, g, w))
		}
	}
	return out
}
