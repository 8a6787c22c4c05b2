package keys_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// The canaries go only into restricted fields; the control goes into an
// ordinary (internal) field and must be found where the store keeps
// internal text readable to its administrator (PostgreSQL, or SQLite
// opened with its key), proving that the scan looks where data is.
var (
	canaries = []string{"Xylocanary Relocity", "+964 771 234 5678", "7712345678", "قمرالزمان الفريدة",
		"Zorbamouth Safehouse", "Quetzalsource Identity"}
	control = "Controlcanary Visibleton"
)

// plant writes the canaries through the key hierarchy, with a grant, a
// revocation (which re-keys every record), reads and an update.
func plant(t *testing.T, ctx context.Context, s store.Store) {
	storetest.FastKDF(t)
	alice := storetest.KeyUser(t, ctx, s, "alice", model.RoleProtection, "alice password 1")
	bob := storetest.KeyUser(t, ctx, s, "bob", model.RoleProtection, "bob password 12")
	for _, c := range model.Compartments {
		if err := keys.Grant(ctx, s, "admin", keys.Identity{}, c, alice); err != nil {
			t.Fatal(err)
		}
	}
	a := storetest.Identity(t, ctx, s, alice, "alice password 1")
	if err := keys.Grant(ctx, s, "alice", a, model.CompartmentProtection, bob); err != nil {
		t.Fatal(err)
	}
	p := model.Person{NameLatin: control}
	if err := s.Persons().Create(ctx, "alice", &p); err != nil {
		t.Fatal(err)
	}
	prot := model.PersonProtection{Contacts: canaries[1] + " / " + canaries[2], Whereabouts: canaries[3],
		Relocation: canaries[0], Notes: canaries[4]}
	if err := keys.Seal(ctx, s, "alice", a, store.KindPerson, p.ID, model.GroupPersonProtection, prot); err != nil {
		t.Fatal(err)
	}
	src := model.Source{Type: "witness", Reliability: "B", Label: "S-1"}
	if err := s.CreateSource(ctx, "alice", &src); err != nil {
		t.Fatal(err)
	}
	if err := keys.Seal(ctx, s, "alice", a, store.KindSource, src.ID, model.GroupSourceIdentity,
		model.SourceIdentity{Name: canaries[5], Contacts: canaries[1]}); err != nil {
		t.Fatal(err)
	}
	prot.Notes += " updated"
	if err := keys.Seal(ctx, s, "alice", a, store.KindPerson, p.ID, model.GroupPersonProtection, prot); err != nil {
		t.Fatal(err)
	}
	recordID := plantRecords(t, ctx, s, a)
	var got model.PersonProtection
	if _, err := keys.Open(ctx, s, "alice", a, store.KindPerson, p.ID, model.GroupPersonProtection, &got); err != nil || got.Relocation != canaries[0] {
		t.Fatalf("read back: %v", err)
	}
	if err := keys.Revoke(ctx, s, "alice", a, model.CompartmentProtection, bob.ID); err != nil {
		t.Fatal(err)
	}
	checkRecords(t, ctx, s, recordID, a, storetest.Identity(t, ctx, s, bob, "bob password 12"))
}

// needles are the canaries as they might be stored: as typed, lower-cased,
// and JSON-escaped.
func needles() [][]byte {
	var out [][]byte
	for _, c := range canaries {
		q := fmt.Sprintf("%q", c)
		out = append(out, []byte(c), bytes.ToLower([]byte(c)), []byte(q[1:len(q)-1]))
	}
	return out
}

func scan(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, n := range needles() {
		if bytes.Contains(bytes.ToLower(b), bytes.ToLower(n)) {
			t.Errorf("%s: canary %q found", what, n)
		}
	}
}

// dumpTables is what an administrator with SQL access reads: every row
// of every table, as text.
func dumpTables(t *testing.T, db *sql.DB, tables []string) []byte {
	var out bytes.Buffer
	for _, tbl := range tables {
		rows, err := db.Query(`SELECT * FROM ` + tbl)
		if err != nil {
			t.Fatalf("dump %s: %v", tbl, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(vals...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&out, "%s\t", *(v.(*any)))
			}
			out.WriteByte('\n')
		}
		rows.Close()
	}
	return out.Bytes()
}

func TestCanarySQLite(t *testing.T) {
	ctx := context.Background()
	dataDir, tmpDir := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmpDir)
	t.Setenv("SQLITE_TMPDIR", tmpDir)
	key := make([]byte, 32)
	rand.Read(key)
	s, err := sqlite.Open(ctx, filepath.Join(dataDir, sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plant(t, ctx, s)
	// The administrator's view: the database opened with its key.
	rows, err := s.SQL().Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	dump := dumpTables(t, s.SQL(), tables)
	if !bytes.Contains(dump, []byte(control)) {
		t.Fatal("the table dump misses the control: the scan does not look where the data is")
	}
	scan(t, "SQLite tables read with the database key", dump)
	// The raw files: database, WAL, journal, temporary files.
	n := 0
	for _, dir := range []string{dataDir, tmpDir} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			n++
			scan(t, path, b)
			return nil
		})
	}
	if n == 0 {
		t.Fatal("no file to scan")
	}
}

func TestCanaryPostgres(t *testing.T) {
	ctx := context.Background()
	url := teststores.Schema(t)
	schema := url[strings.LastIndex(url, "search_path=")+len("search_path="):]
	s, err := postgres.Open(ctx, url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plant(t, ctx, s)
	admin := s.SQL()

	rows, err := admin.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, schema+"."+n)
	}
	rows.Close()
	dump := dumpTables(t, admin, tables)
	if !bytes.Contains(dump, []byte(control)) {
		t.Fatal("the table dump misses the control: the scan does not look where the data is")
	}
	scan(t, "every PostgreSQL table as text", dump)

	out, err := exec.Command("pg_dump", "--dbname", strings.Split(teststores.PostgresURL(), "?")[0], "--schema", schema).Output()
	if err != nil {
		t.Logf("pg_dump unavailable or refused (%v); the full SELECT above stands in for it", err)
		return
	}
	if !bytes.Contains(out, []byte(control)) {
		t.Fatal("pg_dump output misses the control")
	}
	scan(t, "pg_dump", out)
}
