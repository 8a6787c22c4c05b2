package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// An import writes one audit entry, whose digest is the Merkle root of
// the records it created, and no version for their creation: the record
// as stored is its version 1 (docs/audit.md, "Imports").

// importThree imports three incidents (and their six inline persons) and
// returns them as stored.
func importThree(t *testing.T, ctx context.Context, o Opened) []model.Incident {
	t.Helper()
	batch := []model.Incident{imported("C1"), imported("C2"), imported("C3")}
	if res, err := o.Store.ImportIncidents(ctx, "importer", batch, nil); err != nil || res.Created != 3 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	out := make([]model.Incident, len(batch))
	for i := range batch {
		inc, err := o.Store.GetIncident(ctx, batch[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = *inc
	}
	return out
}

func testImportCommitment(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	before := count(t, o.SQL, "audit_log")
	incs := importThree(t, ctx, o)
	if n := count(t, o.SQL, "audit_log") - before; n != 1 {
		t.Errorf("the import wrote %d audit entries, want 1", n)
	}
	if n := count(t, o.SQL, "versions"); n != 0 {
		t.Errorf("the import kept %d versions, want none (the records are their versions 1)", n)
	}
	if n := count(t, o.SQL, "import_records"); n != 9 {
		t.Errorf("import_records holds %d records, want 9 (3 incidents, 6 persons)", n)
	}
	var kind, digest string
	if err := o.SQL.QueryRow(`SELECT kind, digest FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&kind, &digest); err != nil || kind != "import" || len(digest) != 64 {
		t.Errorf("the import's entry: kind %q digest %q (%v); want kind import and a root", kind, digest, err)
	}
	h, err := s.History(ctx, store.KindIncident, incs[0].ID)
	if err != nil || len(h) != 1 || h[0].Version != 1 || h[0].Action != "import" || h[0].Actor != "importer" ||
		len(h[0].Changes) != 0 || !strings.Contains(string(h[0].Snapshot), `"C1"`) || !h[0].At.Equal(incs[0].CreatedAt) {
		t.Fatalf("history of an imported incident = %+v, %v; want its version 1 as imported", h, err)
	}
	person := incs[0].Victims[0].PersonID
	if h, err := s.History(ctx, store.KindPerson, person); err != nil || len(h) != 1 || h[0].Action != "import" {
		t.Errorf("history of an imported person = %+v, %v", h, err)
	}
	rep, err := s.VerifyLog(ctx, store.VerifyOptions{Key: AuditKey})
	if err != nil || rep.Imported != 9 || rep.Records < 9 {
		t.Fatalf("verify after the import = %+v, %v; want 9 records checked against the import", rep, err)
	}

	// The first change keeps version 1 first, then its own.
	inc := incs[1]
	inc.Fatalities = 4
	if err := s.UpdateIncident(ctx, "editor", &inc); err != nil {
		t.Fatal(err)
	}
	p, err := s.Persons().Get(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	p.Status = "missing"
	if err := s.Persons().Update(ctx, "editor", p); err != nil {
		t.Fatal(err)
	}
	h, err = s.History(ctx, store.KindIncident, inc.ID)
	if err != nil || len(h) != 2 || h[0].Action != "import" || h[0].Actor != "importer" || h[1].Version != 2 ||
		len(h[1].Changes) != 1 || h[1].Changes[0].Field != "fatalities" {
		t.Fatalf("history after the first change = %+v, %v; want version 1 (import) then 2 (fatalities)", h, err)
	}
	if !strings.Contains(string(h[0].Snapshot), `"fatalities":1`) {
		t.Errorf("version 1 kept at the change is not the record as imported: %s", h[0].Snapshot)
	}
	if h, _ := s.History(ctx, store.KindPerson, person); len(h) != 2 || h[1].Changes[0].Field != "status" {
		t.Errorf("person history after the first change = %+v", h)
	}
	if rep, err := s.VerifyLog(ctx, store.VerifyOptions{Key: AuditKey}); err != nil || rep.Imported != 7 {
		t.Fatalf("verify after changes = %+v, %v; want 7 records still as imported", rep, err)
	}
	// A re-import that changes a record imported before keeps it too.
	again := imported("C3")
	again.Fatalities = 9
	if res, err := s.ImportIncidents(ctx, "importer", []model.Incident{again}, nil); err != nil || res.Updated != 1 {
		t.Fatalf("re-import = %+v, %v", res, err)
	}
	if h, _ := s.History(ctx, store.KindIncident, incs[2].ID); len(h) != 2 || h[0].Action != "import" || h[1].Version != 2 {
		t.Errorf("history after a re-import = %+v", h)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Fatalf("verify after a re-import: %v", err)
	}
}

// importTamper imports three incidents, changes the second (if
// changeFirst), tampers, and wants verify to fail naming what want says.
func importTamper(changeFirst bool, fn func(t *testing.T, o Opened, inc model.Incident) (want string)) func(*testing.T, context.Context, Opened) {
	return func(t *testing.T, ctx context.Context, o Opened) {
		incs := importThree(t, ctx, o)
		target := incs[1]
		if changeFirst {
			target.SummaryEN = "The summary as documented."
			if err := o.Store.UpdateIncident(ctx, "editor", &target); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := store.VerifyAudit(ctx, o.Store, AuditKey); err != nil {
			t.Fatalf("before tampering: %v", err)
		}
		want := fn(t, o, target)
		_, err := store.VerifyAudit(ctx, o.Store, AuditKey)
		if err == nil {
			t.Fatal("tampering went undetected: VerifyAudit passed")
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %s: %v", want, err)
		}
	}
}

// editImported changes an imported record nobody changed since.
func editImported(t *testing.T, o Opened, inc model.Incident) string {
	sqlExec(t, o, `UPDATE incidents SET fatalities = 7 WHERE id = ?`, inc.ID)
	return inc.Code
}

// deleteImported removes an imported record, with what refers to it.
func deleteImported(t *testing.T, o Opened, inc model.Incident) string {
	for _, tb := range []string{"stat_facts", "victims", "perpetrators"} {
		q := `DELETE FROM ` + tb + ` WHERE incident_rid = (SELECT rid FROM incidents WHERE id = ?)`
		if o.Store.Backend() == "postgres" {
			q = rebindPG(q)
		}
		if _, err := o.SQL.Exec(q, inc.ID); err != nil {
			t.Fatal(err)
		}
	}
	sqlExec(t, o, `DELETE FROM incidents WHERE id = ?`, inc.ID)
	return inc.ID
}

// editImportedVersion changes version 1 of an imported record as its
// first change kept it.
func editImportedVersion(t *testing.T, o Opened, inc model.Incident) string {
	sqlExec(t, o, `UPDATE versions SET snapshot = replace(snapshot, '"fatalities":1', '"fatalities":5') WHERE kind = 'incident' AND record_id = ? AND version = 1`, inc.ID)
	return inc.Code
}

// editImportDigest changes a record's digest in import_records: the
// record no longer matches it, and is named.
func editImportDigest(t *testing.T, o Opened, inc model.Incident) string {
	sqlExec(t, o, `UPDATE import_records SET digest = ? WHERE kind = 'incident' AND record_id = ?`, strings.Repeat("ab", 32), inc.ID)
	return inc.Code
}

// dropImportRow removes a record's row of import_records: the record then
// has no history at all.
func dropImportRow(t *testing.T, o Opened, inc model.Incident) string {
	sqlExec(t, o, `DELETE FROM import_records WHERE kind = 'incident' AND record_id = ?`, inc.ID)
	return inc.ID
}

// testImportRootChecked moves a record's leaf in import_records, which no
// record check sees: the root no longer matches, and the import's entry
// is named.
func testImportRootChecked(t *testing.T, ctx context.Context, o Opened) {
	importThree(t, ctx, o)
	var seq int64
	if err := o.SQL.QueryRow(`SELECT seq FROM audit_log WHERE kind = 'import'`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	// Leaves 4 and 5 swap places (through a spare number: they are unique).
	sqlExec(t, o, `UPDATE import_records SET leaf = 100 WHERE leaf = 4`)
	sqlExec(t, o, `UPDATE import_records SET leaf = 4 WHERE leaf = 5`)
	sqlExec(t, o, `UPDATE import_records SET leaf = 5 WHERE leaf = 100`)
	_, err := store.VerifyAudit(ctx, o.Store, AuditKey)
	var ae *audit.Error
	if !errors.As(err, &ae) || ae.Seq != seq {
		t.Fatalf("leaves reordered in import_records: err = %v; want the import's entry %d named", err, seq)
	}
}

// testImportSealPurges: an imported incident, never changed, then sealed
// by a member: version 1, kept as the sealing changes it, is purged like
// any other, and everything verifies.
func testImportSealPurges(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	c := PurgeCanaries
	inc := imported("S1")
	inc.SummaryEN, inc.NarrativeEN, inc.Tags = c[0]+" summary", c[0]+" narrative", []string{c[0] + "tag"}
	inc.Perpetrators[0].Group = c[0] + " Brigade"
	batch := []model.Incident{inc}
	if res, err := s.ImportIncidents(ctx, "importer", batch, nil); err != nil || res.Created != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	inc = batch[0]
	if n := count(t, o.SQL, "versions"); n != 0 {
		t.Fatalf("the import kept %d versions, want none", n)
	}
	got, err := s.GetIncident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	rs := memberSealer(t, ctx, s)
	got.Visibility = model.VisibilityRestricted
	for i := range got.Victims {
		got.Victims[i].Person = nil
	}
	if err := rs.Incident(got); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "rana", got); err != nil {
		t.Fatal(err)
	}
	for _, bad := range HistoryCanaries(t, o.SQL) {
		t.Errorf("after sealing an imported incident, the versions table holds %s", bad)
	}
	h, err := s.History(ctx, store.KindIncident, inc.ID)
	if err != nil || len(h) != 2 || h[0].Action != "import" || !h[0].Purged || h[1].Purged {
		t.Fatalf("history = %+v, %v; want version 1 (import, purged) and 2 (sealed)", h, err)
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify after sealing an imported incident: %v", err)
	}
}
