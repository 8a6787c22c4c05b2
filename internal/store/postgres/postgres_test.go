package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"

	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestURL returns the test server's URL: RASD_TEST_PG, or the local server
// every development and CI machine of this project runs.
func testURL() string {
	if u := os.Getenv("RASD_TEST_PG"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// freshSchema gives each test an empty schema of its own and drops it after.
func freshSchema(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", testURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rasd_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is required (the test command starts it): %v", testURL(), err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", testURL())
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	return testURL() + "&search_path=" + schema
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opened {
		s, err := Open(context.Background(), freshSchema(t), storetest.AuditKey)
		if err != nil {
			t.Fatal(err)
		}
		return storetest.Opened{Store: s, SQL: s.SQL(), SearchDumps: []string{
			`SELECT code, search::text FROM incidents ORDER BY code`,
			`SELECT name_ar, name_latin, search::text FROM persons`,
		}}
	})
}
