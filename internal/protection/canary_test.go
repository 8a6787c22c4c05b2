package protection_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/keyring"
	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/sqlite"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// canaries go into every sealed field of the protection kinds: threat
// text, an actor, a source, a list's title, issuer and names, a case's
// notes, an assessment's reason, a measure's note, whereabouts, a
// relocation city and country, contact channels, a check-in note.
var canaries = []string{"Threatcanary", "تهديدالكناري", "Actorcanary", "Sourcecanary", "Titlecanary", "Issuercanary",
	"Obtaincanary", "Hitnamecanary", "اسمالقائمة", "Casenotecanary", "Reasoncanary", "Measurecanary",
	"Whereabcanary", "Relocitycanary", "Countrycanary", "Contactcanary", "Checknotecanary"}

// control goes into an internal person's name, in the clear: a scan that
// does not find it does not read where the data is.
const control = "Controlcanary Visibleton"

func plant(t *testing.T, st store.Store) *fixture {
	f := newFixture(t, st)
	s, u, c := f.svc, f.member, canaries
	p := f.newPerson(control)
	f.linked = p
	must(s.Threats.Save(f.ctx, u, nil, form(kinds.Threat, "occurred_on", "2026-01-02", "delivery", "phone_call",
		"severity", "death", "persons", p.ID, "said", c[0]+" "+c[1], "actor", c[2], "source", c[3]), f.seal))
	l := must(s.Lists.Save(f.ctx, u, nil, form(kinds.HitList, "name", c[4], "issuer", c[5], "obtained", c[6],
		"appeared_on", "2025-06-01"), f.seal))
	must(s.Entries.Save(f.ctx, u, nil, form(kinds.HitListEntry, "list_id", l.ID, "name_written", c[7]+" "+c[8],
		"person", p.ID), f.seal))
	pc := must(s.Cases.Save(f.ctx, u, nil, form(kinds.ProtectionCase, "person", p.ID, "risk_level", "high",
		"status", "open", "opened_on", "2026-01-05", "checkin_every", "7", "notes", c[9]), f.seal))
	must(s.SaveAssessment(f.ctx, u, nil, form(kinds.Assessment, "case_id", pc.ID, "assessed_on", "2026-01-06",
		"risk_level", "critical", "reason", c[10]), f.seal))
	must(s.Measures.Save(f.ctx, u, nil, form(kinds.Measure, "case_id", pc.ID, "measure", "relocation_abroad",
		"status", "done", "started_on", "2026-01-07", "note", c[11]), f.seal))
	must(s.Moves.Save(f.ctx, u, nil, form(kinds.Move, "case_id", pc.ID, "moved_on", "2026-01-08", "note", c[12],
		"city", c[13], "country", c[14], "contacts", c[15]+" +964 771"), f.seal))
	must(s.SaveCheckIn(f.ctx, u, nil, form(kinds.CheckIn, "case_id", pc.ID, "checked_on", "2026-01-09",
		"result", "safe", "note", c[16]), f.seal))
	if got, err := s.Cases.Get(f.ctx, u, pc.ID, false); err != nil || got.RiskLevel != "critical" || got.LastCheckIn != "2026-01-09" {
		t.Fatalf("the case after its assessment and check-in: %+v %v", got, err)
	}
	// The audit verifies every record of these kinds against its history.
	if _, err := st.VerifyLog(f.ctx, store.VerifyOptions{Key: storetest.AuditKey}); err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	return f
}

// plantLogged plants the canaries and runs the notifier once, logging as
// the server does, and scans the log.
func plantLogged(t *testing.T, st store.Store) *fixture {
	var f *fixture
	text := logged(t, func(logger *slog.Logger) {
		f = plant(t, st)
		notifyFailing(t, f, logger)
	})
	scanLog(t, text)
	if strings.Contains(text, f.linked.ID) {
		t.Error("the log names the person at risk's ID")
	}
	return f
}

func inTheClear(t *testing.T, found []string) {
	for _, x := range found {
		t.Errorf("in the clear: %s", x)
	}
}

func TestCanarySQLite(t *testing.T) {
	ctx := context.Background()
	dataDir, tmpDir := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmpDir)
	t.Setenv("SQLITE_TMPDIR", tmpDir)
	storetest.FastKDF(t)
	keys, err := keyring.Create(dataDir, keyring.Secret{Passphrase: []byte("a canary passphrase")})
	if err != nil {
		t.Fatal(err)
	}
	key := keys.Derive("database")
	st, err := sqlite.Open(ctx, filepath.Join(dataDir, sqlite.FileName), key, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := plantLogged(t, st)
	linkCanary(t, f, st.SQL())
	// Read with the database key, as its administrator would.
	if found, _ := storetest.ScanCatalogue(t, st.SQL(), storetest.ScanNeedles(control)); len(found) == 0 {
		t.Fatal("the scan misses the control")
	}
	found, _ := storetest.ScanCatalogue(t, st.SQL(), storetest.ScanNeedles(canaries...))
	inTheClear(t, found)
	backupCanary(t, st, dataDir, keys, key, f.linked)
	// The raw files: the database, its WAL, temporary files, and what the
	// backup left in the data directory (its keys).
	if scanFiles(t, dataDir, tmpDir) == 0 {
		t.Fatal("no file to scan")
	}
}

func TestCanaryPostgres(t *testing.T) {
	schema := teststores.Schema(t)
	st, err := postgres.Open(context.Background(), schema, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := plantLogged(t, st)
	linkCanary(t, f, st.SQL())
	if found, _ := storetest.ScanCatalogue(t, st.SQL(), storetest.ScanNeedles(control)); len(found) == 0 {
		t.Fatal("the scan misses the control")
	}
	found, _ := storetest.ScanCatalogue(t, st.SQL(), storetest.ScanNeedles(canaries...))
	inTheClear(t, found)
	pgDumpCanary(t, schema, f.linked.ID)
}
