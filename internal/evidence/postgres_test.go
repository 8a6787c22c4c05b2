package evidence

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/store/postgres"
	"github.com/rasd-project/rasd/internal/store/storetest"
	"github.com/rasd-project/rasd/internal/store/teststores"
)

// TestPostgresHoldsNoName: on PostgreSQL (no whole-database encryption)
// the original file name is in no table, and intake, verify and working
// copies work as on SQLite.
func TestPostgresHoldsNoName(t *testing.T) {
	ctx := context.Background()
	url := teststores.Schema(t)
	st, err := postgres.Open(ctx, url, storetest.AuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inc := storetest.Incident()
	if err := st.CreateIncident(ctx, "zainab", &inc); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	svc, err := New(t.TempDir(), st, key)
	if err != nil {
		t.Fatal(err)
	}
	const name = "Safaa-Erbil-safehouse-photo.jpg"
	e, err := svc.Add(ctx, "zainab", store.KindIncident, inc.ID, name, bytes.NewReader(fixture(t, "gps.jpg")))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.LogCustody(ctx, model.Custody{EvidenceID: e.ID, Actor: "omar", Action: model.CustodyDownloadCopy}); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"evidence", "custody", "versions", "audit_log"} {
		rows, err := st.SQL().Query(`SELECT row_to_json(t)::text FROM ` + table + ` t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var row string
			rows.Scan(&row)
			// bytea columns come out as hex
			if strings.Contains(row, "Safaa") || strings.Contains(row, "Erbil") || strings.Contains(row, hex.EncodeToString([]byte("Safaa"))) {
				t.Errorf("table %s holds the file name in the clear: %s", table, row)
			}
		}
		rows.Close()
	}
	got, _ := st.GetEvidence(ctx, e.ID)
	if svc.Name(got) != name {
		t.Errorf("Name = %q", svc.Name(got))
	}
	if n, err := svc.Verify(ctx, func(model.Evidence, error) { t.Error("verify failed") }); n != 1 || err != nil {
		t.Errorf("Verify: %d, %v", n, err)
	}
	if wc, err := svc.WorkingCopy(got); err != nil || bytes.Contains(wc, []byte(canaryCamera)) {
		t.Errorf("working copy: %v", err)
	}
}
