package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// PurgeCanaries go into the text of records kept in the clear and then
// sealed: none may be left anywhere in the history afterwards.
var PurgeCanaries = []string{"Purgecanary", "زمردالمخفية", "Personacanary", "قمرالكناري", "Orgpurgecanary", "33.987654", "44.123789"}

// clearRecords are an incident, the person it names and an organisation,
// each stored internal (in the clear) with two versions.
type clearRecords struct {
	inc model.Incident
	p   model.Person
	org model.Organisation
}

// SealAfterClear stores an incident, a person and an organisation in the
// clear with PurgeCanaries in their text, edits each, then has a member
// make them restricted: their text sealed, their history purged.
func SealAfterClear(t *testing.T, ctx context.Context, s store.Store) {
	plantClear(t, ctx, s).seal(t, ctx, s, memberSealer(t, ctx, s))
}

func plantClear(t *testing.T, ctx context.Context, s store.Store) *clearRecords {
	t.Helper()
	c := PurgeCanaries
	r := &clearRecords{}
	r.p = model.Person{NameLatin: c[2] + " Hidden", NameAR: c[3], Aliases: []string{c[2] + "alias"},
		Affiliations: []string{c[0] + " Union"}, Gender: "female", BirthYear: 1991, Visibility: model.VisibilityInternal}
	if err := s.Persons().Create(ctx, "doc", &r.p); err != nil {
		t.Fatal(err)
	}
	lat, lon := 33.987654, 44.123789
	r.inc = model.Incident{Type: "killing", Date: model.Date{Start: "2021-02-03", Precision: "day"},
		Place:        model.Place{Country: "IQ", Admin1: "IQ-BG", District: "Karkh", Locality: c[0] + "ville", Lat: &lat, Lon: &lon},
		Perpetrators: []model.Perpetrator{{Type: "militia", Group: c[0] + " Brigade", ModusOperandi: c[0] + " motorbike"}},
		Victims:      []model.Victim{{PersonID: r.p.ID, Role: "activist", Outcome: "killed"}},
		Fatalities:   1, SummaryEN: c[0] + " summary", SummaryAR: "ملخص " + c[1], NarrativeEN: c[0] + " narrative",
		NarrativeAR: "سرد " + c[1], Verification: "reported", Visibility: model.VisibilityInternal, Tags: []string{c[0] + "tag"},
		External: &model.External{System: "test", ID: "purge-1", Original: map[string]string{"notes": c[0] + " original"}}}
	if err := s.CreateIncident(ctx, "doc", &r.inc); err != nil {
		t.Fatal(err)
	}
	r.org = model.Organisation{NameEN: c[4] + " Collective", NameAR: "منظمة " + c[1], Kind: "ngo", Status: "active",
		Notes: c[4] + " notes", Visibility: model.VisibilityInternal}
	if err := s.Organisations().Create(ctx, "doc", &r.org); err != nil {
		t.Fatal(err)
	}
	// Second versions: the text changes, so the changes hold it too.
	r.inc.NarrativeEN, r.inc.Perpetrators[0].Group, r.inc.Tags = c[0]+" narrative, corrected "+c[3], c[0]+" Battalion", []string{c[0] + "other"}
	r.inc.Verification = "corroborated"
	r.p.Aliases = []string{c[2] + "second", c[3]}
	r.org.Notes = c[4] + " notes, corrected"
	if err := s.UpdateIncident(ctx, "doc", &r.inc); err != nil {
		t.Fatal(err)
	}
	if err := s.Persons().Update(ctx, "doc", &r.p); err != nil {
		t.Fatal(err)
	}
	if err := s.Organisations().Update(ctx, "doc", &r.org); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.SearchIncidents(ctx, c[2], 10); len(hits) != 1 {
		t.Fatalf("before sealing, the incident is found by its victim's name: %d hits (the test needs it)", len(hits))
	}
	return r
}

// seal makes the three records restricted, their text sealed by a member.
func (r *clearRecords) seal(t *testing.T, ctx context.Context, s store.Store, rs *keys.RecordSealer) {
	t.Helper()
	r.p.Visibility, r.inc.Visibility, r.org.Visibility = model.VisibilityRestricted, model.VisibilityRestricted, model.VisibilityRestricted
	r.inc.Victims[0].Person = nil
	if err := rs.Person(&r.p); err != nil {
		t.Fatal(err)
	}
	if err := s.Persons().Update(ctx, "rana", &r.p); err != nil {
		t.Fatal(err)
	}
	if err := rs.Incident(&r.inc); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateIncident(ctx, "rana", &r.inc); err != nil {
		t.Fatal(err)
	}
	if err := rs.Organisation(&r.org); err != nil {
		t.Fatal(err)
	}
	if err := s.Organisations().Update(ctx, "rana", &r.org); err != nil {
		t.Fatal(err)
	}
}

func (r *clearRecords) ids() map[string]string {
	return map[string]string{store.KindIncident: r.inc.ID, store.KindPerson: r.p.ID, store.KindOrganisation: r.org.ID}
}

// memberSealer grants the protection compartment to a new member and
// returns a sealer with their key.
func memberSealer(t *testing.T, ctx context.Context, s store.Store) *keys.RecordSealer {
	t.Helper()
	FastKDF(t)
	_, by := FirstMember(t, ctx, s, "rana", "rana password 1")
	rs, err := keys.NewRecordSealer(ctx, s, by)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rs.Close)
	return rs
}

// testSealPurgesHistory: records kept in the clear for two versions, then
// sealed, keep no byte of their former text in the history, which still
// has every version and says which fields changed.
func testSealPurgesHistory(t *testing.T, ctx context.Context, o Opened) {
	s := o.Store
	r := plantClear(t, ctx, s)
	if bad := HistoryCanaries(t, o.SQL); len(bad) == 0 {
		t.Fatal("the control failed: the history in the clear holds no canary, the scan looks in the wrong place")
	}
	r.seal(t, ctx, s, memberSealer(t, ctx, s))
	for _, bad := range HistoryCanaries(t, o.SQL) {
		t.Errorf("after sealing, the versions table holds %s", bad)
	}
	digests := versionDigests(t, ctx, s)
	for kind, id := range r.ids() {
		h, err := s.History(ctx, kind, id)
		if err != nil || len(h) != 3 {
			t.Fatalf("%s history: %d versions, %v; want 3", kind, len(h), err)
		}
		for i, v := range h {
			if v.Purged != (i < 2) {
				t.Errorf("%s v%d: Purged %v", kind, v.Version, v.Purged)
			}
		}
		// What was kept of v2 is the sealed v3 but for its visibility and digests:
		// the purge took out exactly what the sealer took out of the columns.
		if a, b := comparable(t, h[1].Snapshot), comparable(t, h[2].Snapshot); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: purged v2 differs from sealed v3 beyond the sealed text:\n%v\n%v", kind, a, b)
		}
		var snap map[string]any
		json.Unmarshal(h[0].Snapshot, &snap)
		if d := digests[kind+"/"+id+"/1"]; d == "" || snap["scrubbed_sha256"] != d {
			t.Errorf("%s v1: scrubbed_sha256 %v, audit digest %q", kind, snap["scrubbed_sha256"], d)
		}
		if n := digests["purge:history/"+id]; n != "rana" {
			t.Errorf("%s: purge:history audit entries by %q, want one by rana", kind, n)
		}
		checkPurgedChanges(t, kind, h)
		if n, err := s.PurgeHistory(ctx, "rana", kind, id); n != 0 || err != nil {
			t.Errorf("%s purged again: %d, %v", kind, n, err)
		}
	}
	for _, q := range []string{PurgeCanaries[0], PurgeCanaries[2], PurgeCanaries[1]} {
		if hits, err := s.SearchIncidents(ctx, q, 10); err != nil || len(hits) != 0 {
			t.Errorf("search %q after sealing: %d incidents, %v", q, len(hits), err)
		}
		if ps, err := s.Persons().Search(ctx, q, 10); err != nil || len(ps) != 0 {
			t.Errorf("person search %q after sealing: %d, %v", q, len(ps), err)
		}
	}
	if _, err := store.VerifyAudit(ctx, s, AuditKey); err != nil {
		t.Errorf("audit verify after the purge: %v", err)
	}
}

// checkPurgedChanges: the changes still name the sealed fields that
// changed (v2: the narrative; v3, the sealing: all of them), marked
// purged, and keep the values of the others.
func checkPurgedChanges(t *testing.T, kind string, h []store.Version) {
	t.Helper()
	want := map[string][2]string{store.KindIncident: {"narrative_en", "summary_en"}, store.KindPerson: {"aliases", "name_latin"},
		store.KindOrganisation: {"notes", "name_en"}}[kind]
	find := func(v store.Version, field string) *store.Change {
		for i := range v.Changes {
			if v.Changes[i].Field == field {
				return &v.Changes[i]
			}
		}
		return nil
	}
	for i, f := range []string{want[0], want[1]} {
		c := find(h[i+1], f)
		if c == nil || !c.Purged || c.Old != nil || c.New != nil {
			t.Errorf("%s v%d: change of %s is %+v, want it named, purged, without values", kind, i+2, f, c)
		}
	}
	if c := find(h[2], "visibility"); c == nil || c.Purged || c.Old != model.VisibilityInternal || c.New != model.VisibilityRestricted {
		t.Errorf("%s v3: the visibility change lost its values: %+v", kind, c)
	}
	if kind == store.KindIncident {
		if c := find(h[1], "verification"); c == nil || c.Purged || c.New != "corroborated" {
			t.Errorf("incident v2: the verification change lost its values: %+v", c)
		}
		if c := find(h[1], "perpetrators"); c == nil || !c.Purged || c.Old != nil || c.New != nil {
			t.Errorf("incident v2: a change of a perpetrator's group only: %+v", c)
		}
	}
}

// comparable is a snapshot without what sealing changes besides the text.
func comparable(t *testing.T, snap []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(snap, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"visibility", "sealed_sha256", "scrubbed_sha256"} {
		delete(m, k)
	}
	return m
}

// versionDigests maps kind/id/version to the digest of its audit entry,
// and purge:history/id to the actors of the purges of record id.
func versionDigests(t *testing.T, ctx context.Context, s store.Store) map[string]string {
	out := map[string]string{}
	err := s.AuditEntries(ctx, func(e audit.Entry) error {
		if e.Version > 0 {
			out[fmt.Sprintf("%s/%s/%d", e.Kind, e.RecordID, e.Version)] = e.Digest
		}
		if e.Action == "purge:history" {
			out[e.Action+"/"+e.RecordID] += e.Actor
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// HistoryCanaries lists the PurgeCanaries found anywhere in the versions
// table (every snapshot and change, of every record), as typed, lower-cased,
// JSON-escaped or normalised for search.
func HistoryCanaries(t testing.TB, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT kind, record_id, version, snapshot, changes FROM versions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var kind, id, snap, changes string
		var v int
		if err := rows.Scan(&kind, &id, &v, &snap, &changes); err != nil {
			t.Fatal(err)
		}
		text := bytes.ToLower([]byte(snap + changes))
		for _, n := range CanaryNeedles(PurgeCanaries) {
			if bytes.Contains(text, n) {
				found = append(found, fmt.Sprintf("%q in %s %s v%d", n, kind, id, v))
			}
		}
	}
	return found
}

// CanaryNeedles are the lower-cased forms a canary may be stored in.
func CanaryNeedles(canaries []string) [][]byte {
	var out [][]byte
	for _, c := range canaries {
		q, _ := json.Marshal(c)
		forms := append([]string{c, string(q[1 : len(q)-1]), fmt.Sprintf("%+q", c)}, textnorm.Terms(c)...)
		for _, f := range forms {
			if f = strings.ToLower(strings.Trim(f, `"`)); len([]rune(f)) >= 5 { // not "33", in any digest
				out = append(out, []byte(f))
			}
		}
	}
	return out
}
