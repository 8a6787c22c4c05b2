package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// MakeLegacy fills o's store and leaves its database as rasd left it
// before versions named their audit entries: no audit_seq column, its
// migration (versions_audit_seq) not applied, and each purge:history digest
// covering the purged snapshots only. Reopened, the store must migrate it
// and verify it. It returns the number of versions.
func MakeLegacy(t *testing.T, ctx context.Context, o Opened) int {
	t.Helper()
	s := o.Store
	seed(t, ctx, s)
	SealAfterClear(t, ctx, s)
	if _, err := s.ImportIncidents(ctx, "importer", []model.Incident{imported("L1"), imported("L2")}, nil); err != nil {
		t.Fatal(err)
	}
	legacyPurgeDigests(t, o)
	for _, q := range []string{`ALTER TABLE versions DROP COLUMN audit_seq`,
		`DELETE FROM schema_migrations WHERE name = 'versions_audit_seq'`} {
		if _, err := o.SQL.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return count(t, o.SQL, "versions")
}

// legacyPurgeDigests rewrites each purge:history digest as rasd wrote it
// then, and the chain and sealed head after it as the key holder would.
func legacyPurgeDigests(t *testing.T, o Opened) {
	t.Helper()
	purges := 0
	rechain(t, o, func(e *audit.Entry) {
		if e.Action == "purge:history" {
			e.Digest = purgedSnapshotsDigest(t, o, e.Kind, e.RecordID)
			purges++
		}
	})
	if purges == 0 {
		t.Fatal("the control failed: no purge:history entry to rewrite")
	}
}

// purgedSnapshotsDigest is the SHA-256 of a record's purged snapshots,
// one a line, in version order (each record here was purged once).
func purgedSnapshotsDigest(t *testing.T, o Opened, kind, id string) string {
	t.Helper()
	rows, err := o.SQL.Query(rebindIf(o, `SELECT snapshot, changes FROM versions WHERE kind = ? AND record_id = ? ORDER BY version`), kind, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var snap, changes string
		rows.Scan(&snap, &changes)
		if !strings.Contains(snap, `"sealed_sha256":"`) && (strings.Contains(snap, `"scrubbed_sha256":"`) || strings.Contains(changes, `"purged":true`)) {
			h.Write([]byte(snap + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CheckMigrated checks a store reopened after MakeLegacy: every version
// kept and matched to its entry, the whole log verifying.
func CheckMigrated(t *testing.T, ctx context.Context, o Opened, versions int) {
	t.Helper()
	var n, unmatched int
	if err := o.SQL.QueryRow(`SELECT COUNT(*), COUNT(*) - COUNT(audit_seq) FROM versions`).Scan(&n, &unmatched); err != nil {
		t.Fatal(err)
	}
	if n != versions || unmatched != 0 {
		t.Errorf("after the migration: %d versions (want %d), %d without their entry", n, versions, unmatched)
	}
	// The records an import created are their versions 1, not in the
	// versions table (docs/audit.md, "Imports").
	imported := count(t, o.SQL, "import_records")
	rep, err := o.Store.VerifyLog(ctx, store.VerifyOptions{Key: AuditKey})
	if err != nil || rep.Versions != int64(versions+imported) || rep.Imported != int64(imported) {
		t.Errorf("VerifyLog after the migration: %+v, %v; want %d versions, %d of them imported", rep, err, versions+imported, imported)
	}
}
