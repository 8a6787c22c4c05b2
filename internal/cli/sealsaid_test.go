package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store/storetest"
)

// TestSealRecordsSaid: what sources said about a restricted incident,
// stored in the clear by an older rasd, is sealed by 'rasd keys
// seal-records'; 'rasd show' then prints "(sealed)" in its place, and
// with --member a member the text.
func TestSealRecordsSaid(t *testing.T) {
	dir, code := sealedData(t)
	st := openSQL(t, dir)
	ctx := context.Background()
	inc, err := st.GetIncidentByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	// As an older rasd left it: the incident restricted, its source's
	// label and summary in the clear.
	db := st.SQL()
	if _, err := db.Exec(`UPDATE incidents SET visibility = 'internal' WHERE id = ?`, inc.ID); err != nil {
		t.Fatal(err)
	}
	src := model.Source{Type: "eyewitness", Reliability: "B", Label: "Oldlabelcanary S-3"}
	info := model.Information{IncidentID: inc.ID, Credibility: 2, ObtainedOn: "2019-12-09", Summary: "Oldsaidcanary saw the car"}
	if err := st.AddSourceInformation(ctx, "doc", &src, &info); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE incidents SET visibility = 'restricted' WHERE id = ?`, inc.ID); err != nil {
		t.Fatal(err)
	}
	st.Close()

	t.Setenv("RASD_USER_PASSWORD", "first admin password")
	if c, out, stderr := run(t, "keys", "seal-records", "--data", dir, "--member", "admin"); c != 0 ||
		!strings.Contains(out, "and 2 labels and summaries of what sources said") {
		t.Fatalf("seal-records: %d %s%s", c, out, stderr)
	}
	st = openSQL(t, dir)
	found, _ := storetest.ScanCatalogue(t, st.SQL(), storetest.ScanNeedles("Oldlabelcanary", "Oldsaidcanary"))
	st.Close()
	for _, f := range found {
		t.Errorf("after seal-records, in the clear: %s", f)
	}
	_, out, _ := run(t, "show", "--data", dir, code)
	if strings.Contains(out, "canary saw") || strings.Contains(out, "Oldlabel") ||
		!strings.Contains(out, "B2  Eyewitness (sealed), 2019-12-09: (sealed)") {
		t.Errorf("show without --member:\n%s", out)
	}
	_, out, _ = run(t, "show", "--data", dir, code, "--member", "admin")
	if !strings.Contains(out, "B2  Eyewitness Oldlabelcanary S-3, 2019-12-09: Oldsaidcanary saw the car") {
		t.Errorf("show --member admin:\n%s", out)
	}
	if c, out, stderr := run(t, "keys", "seal-records", "--data", dir, "--member", "admin"); c != 0 ||
		!strings.Contains(out, "and 0 labels and summaries") {
		t.Errorf("seal-records again: %d %s%s", c, out, stderr)
	}
}
