package web

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/importer"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// partnerXLSX is a real spreadsheet as a partner sends it: its own column
// names (one in Arabic), its own words ("Assassination"), a date cell.
func partnerXLSX(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "partner-x.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sheetState is what a refused import must leave exactly as it was: the
// incidents and the audit log's head.
func sheetState(t *testing.T, h *harness) string {
	t.Helper()
	ctx := context.Background()
	head, err := h.st.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = h.st.EachIncident(ctx, allIncidents, func(*model.Incident) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{itoa(int(head.Seq)), head.Hash, itoa(n)}, " ")
}

// uploadSheet uploads a file to the wizard and returns its page's path.
func uploadSheet(t *testing.T, c *client, name string, data []byte, mapping string) string {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.csrf())
	if mapping != "" {
		mw.WriteField("mapping", mapping)
	}
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+"/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, body := c.do(req)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/import/") {
		t.Fatalf("upload %s: %d %s: %s", name, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return resp.Header.Get("Location")
}

var selectedField = regexp.MustCompile(`<select name="field\.(\d+)">(?s:.*?)</select>`)

// selectedFields reads the mapping form: column index → the field chosen.
func selectedFields(body string) map[string]string {
	out := map[string]string{}
	for _, m := range selectedField.FindAllStringSubmatch(body, -1) {
		if s := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[0]); s != nil {
			out[m[1]] = s[1]
		}
	}
	return out
}

// TestSheetWizard walks the wizard as a coordinator with the partner's
// XLSX: the fields proposed from its header, a mapping refused, a dry run
// listing a word no code covers by row, column and field while the store
// stays exactly as it was, the word mapped, the mapping saved (audited)
// and reused, and the import of every row.
func TestSheetWizard(t *testing.T) {
	onBothBackends(t, nil, func(t *testing.T, h *harness) {
		coord := h.user("coord", model.RoleCoordinator)
		c := h.as(coord)
		before := sheetState(t, h)
		page := uploadSheet(t, c, "partner-x.xlsx", partnerXLSX(t), "")
		resp, body := c.get(page)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", page, resp.StatusCode)
		}
		want := map[string]string{"0": "external.id", "1": "date.start", "2": "type", "3": "place.admin1", "4": "fatalities", "5": "summary_en"}
		if got := selectedFields(body); !equalMaps(got, want) {
			t.Errorf("suggested %v, want %v", got, want)
		}
		// The date cell as the spreadsheet program shows it (format 14), not
		// its day number.
		for _, cell := range []string{"Assassination", "PX-103", "التاريخ", "10-25-19"} {
			if !strings.Contains(body, cell) {
				t.Errorf("the preview lacks %q", cell)
			}
		}
		form := url.Values{"header_row": {"1"}, "action": {"check"}}
		for i, f := range want {
			form.Set("field."+i, f)
		}
		// An external.id column without the partner's name is refused before
		// any row is read.
		resp, body = c.post(page, form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "needs the mapping") {
			t.Fatalf("a mapping without system: %d\n%s", resp.StatusCode, body)
		}
		form.Set("system", "partner-x")
		resp, body = c.post(page, form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("dry run with an unmapped word: %d", resp.StatusCode)
		}
		problem := regexp.MustCompile(`<td data-label="Row">2</td><td data-label="Column"><bdi>C \(Violation\)</bdi></td>\s*<td data-label="Field"><bdi>Incident type \(type\)</bdi></td><td[^>]*>“Assassination” is not a code or a label of this field`)
		if !problem.MatchString(body) {
			t.Errorf("the dry run does not list row 2, column C, field type:\n%s", body)
		}
		if !strings.Contains(body, `<input type="hidden" name="word.2.0" value="Assassination">`) {
			t.Errorf("the unmapped word is not asked")
		}
		// Importing a sheet the dry run refuses imports nothing.
		form.Set("action", "import")
		if resp, _ = c.post(page, form); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("import of a refused sheet: %d", resp.StatusCode)
		}
		if got := sheetState(t, h); got != before {
			t.Fatalf("a refused sheet changed the store: %s, was %s", got, before)
		}
		// The word mapped: every row is valid; saved under a name.
		form.Set("word.2.0", "Assassination")
		form.Set("code.2.0", "killing")
		form.Set("word.2.1", "Abduction")
		form.Set("code.2.1", "kidnapping")
		form.Set("action", "save")
		form.Set("save_as", "Partner X")
		resp, body = c.post(page, form)
		if resp.StatusCode != 200 || !strings.Contains(body, "3 incidents would be stored") || !strings.Contains(body, "Saved as") {
			t.Fatalf("dry run of a good mapping: %d\n%s", resp.StatusCode, body)
		}
		// Reused: a new upload with the saved mapping is checked at once.
		page = uploadSheet(t, c, "partner-x.xlsx", partnerXLSX(t), "Partner X")
		resp, body = c.get(page)
		if resp.StatusCode != 200 || !strings.Contains(body, "3 incidents would be stored") {
			t.Fatalf("the saved mapping: %d\n%s", resp.StatusCode, body)
		}
		// An incident recorded before, which the sheet's first row probably
		// repeats: the import says so, as 'rasd import' does.
		known := &model.Incident{Type: "killing", Date: model.Date{Start: "2019-10-25", End: "2019-10-25", Precision: "day"},
			Place: model.Place{Country: "IQ", Admin1: "IQ-BG", Locality: "Karrada"}, Fatalities: 1, Verification: "reported",
			Visibility: model.VisibilityInternal, SummaryEN: "Activist shot dead outside his home in Karrada, Baghdad."}
		if err := h.st.CreateIncident(context.Background(), "doc", known); err != nil {
			t.Fatal(err)
		}
		form.Set("action", "import")
		resp, body = c.post(page, form)
		if resp.StatusCode != 200 || !strings.Contains(body, "Imported 3 incidents") ||
			!strings.Contains(body, "1 imported incident probably duplicates an incident recorded before") {
			t.Fatalf("import: %d\n%s", resp.StatusCode, body)
		}
		var got []string
		h.st.EachIncident(context.Background(), allIncidents, func(inc *model.Incident) error {
			if inc.External != nil {
				got = append(got, inc.External.ID+" "+inc.Type+" "+inc.Date.Start+" "+inc.Place.Admin1)
			}
			return nil
		})
		wantRows := "PX-101 killing 2019-10-25 IQ-BG|PX-102 kidnapping 2019-11-02 IQ-BA|PX-103 death_threat 2020-01-20 IQ-DQ"
		slices.Sort(got)
		if strings.Join(got, "|") != wantRows {
			t.Errorf("stored %q, want %q", got, wantRows)
		}
		// The sheet is dropped after its import.
		if resp, _ = c.get(page); resp.StatusCode != 404 {
			t.Errorf("the sheet after its import: %d", resp.StatusCode)
		}
		// Deleted by another coordinator: the organisation's mappings are
		// every coordinator's.
		other := h.as(h.user("coord2", model.RoleCoordinator))
		if resp, _ = other.post("/import/mappings/delete", url.Values{"name": {"Partner X"}}); resp.StatusCode != http.StatusSeeOther ||
			resp.Header.Get("Location") != "/import?deleted=1" {
			t.Errorf("delete: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ = other.post("/import/mappings/delete", url.Values{"name": {"Partner X"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("delete again: %d, want 404", resp.StatusCode)
		}
		if _, body = c.get("/import"); strings.Contains(body, "Partner X") {
			t.Error("a deleted mapping is still offered")
		}
		var actions []string
		h.st.AuditEntries(context.Background(), func(e audit.Entry) error {
			if e.Kind == "mapping" {
				actions = append(actions, e.Actor+" "+e.Action+" "+e.RecordID)
			}
			return nil
		})
		if strings.Join(actions, "|") != "coord mapping:save Partner X|coord2 mapping:delete Partner X" {
			t.Errorf("mapping audit: %q", actions)
		}
	})
}

// allIncidents selects every incident, restricted ones too.
var allIncidents = store.IncidentFilter{Visible: store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestSheetWizardRefuses: the wizard's bad inputs, each refused with its
// reason and the store left exactly as it was: a file that is not a sheet,
// a zip bomb, a sheet of a million columns, a mapping naming a field rasd
// does not have or a column the sheet lacks, bad cells; and the wizard is
// a coordinator's, each sheet its own session's. On both backends.
func TestSheetWizardRefuses(t *testing.T) {
	onBothBackends(t, nil, func(t *testing.T, h *harness) {
		coord := h.user("coord", model.RoleCoordinator)
		c := h.as(coord)
		before := sheetState(t, h)
		refused := func(name string, data []byte, want string) {
			t.Helper()
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			mw.WriteField("csrf", c.csrf())
			w, _ := mw.CreateFormFile("file", name)
			w.Write(data)
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/import", &b)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			resp, body := c.do(req)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
				t.Errorf("%s: %d, want 422 saying %q:\n%s", name, resp.StatusCode, want, body)
			}
		}
		refused("notes.txt", []byte("a,b\n"), "Upload an .xlsx or a .csv file")
		refused("fake.xlsx", []byte("PK not a zip"), "not a readable XLSX")
		var bomb bytes.Buffer
		zw := zip.NewWriter(&bomb)
		ok := partnerXLSX(t)
		zr, _ := zip.NewReader(bytes.NewReader(ok), int64(len(ok)))
		for _, f := range zr.File {
			w, _ := zw.Create(f.Name)
			if f.Name == "xl/worksheets/sheet1.xml" {
				w.Write(bytes.Repeat([]byte(" "), 32<<20))
				continue
			}
			r, _ := f.Open()
			var b bytes.Buffer
			b.ReadFrom(r)
			w.Write(b.Bytes())
		}
		zw.Close()
		refused("bomb.xlsx", bomb.Bytes(), "zip bomb")
		refused("wide.csv", []byte(strings.Repeat("c,", 1_000_000)+"c\n1\n"), "at most 1024")

		csv := "Date,Type,Governorate,Dead\n2019-10-25,killing,Baghdad,2\n2019-13-01,killing,Atlantis,x\n"
		page := uploadSheet(t, c, "partner.csv", []byte(csv), "")
		form := url.Values{"field.0": {"date.start"}, "field.1": {"type"}, "field.2": {"place.admin1"}, "field.3": {"victims"}, "action": {"import"}}
		resp, body := c.post(page, form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `field &#34;victims&#34;`) {
			t.Errorf("a field rasd does not have: %d\n%s", resp.StatusCode, body)
		}
		form.Set("field.3", "fatalities")
		resp, body = c.post(page, form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad cells imported: %d", resp.StatusCode)
		}
		for _, p := range []string{`<td data-label="Row">3</td><td data-label="Column"><bdi>A (Date)</bdi>`,
			`<td data-label="Row">3</td><td data-label="Column"><bdi>C (Governorate)</bdi>`,
			`<td data-label="Row">3</td><td data-label="Column"><bdi>D (Dead)</bdi>`} {
			if !strings.Contains(body, p) {
				t.Errorf("the problems lack %s", p)
			}
		}
		if strings.Contains(body, `name="action" value="import"`) {
			t.Error("a sheet with problems offers its import")
		}
		// A saved mapping naming a column this sheet lacks.
		if err := h.st.SaveSheetMapping(context.Background(), "test", &model.SheetMapping{Name: "Other partner",
			JSON: []byte(`{"format": "rasd-sheet-mapping", "version": 1, "columns": [{"column": "Violation", "field": "type"}, {"column": "Date", "field": "date.start"}, {"column": "Governorate", "field": "place.admin1"}]}`)}); err != nil {
			t.Fatal(err)
		}
		before = sheetState(t, h)
		resp, body = c.get(page + "?mapping=" + url.QueryEscape("Other partner"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "names the column &#34;Violation&#34;, which this sheet does not have") {
			t.Errorf("a saved mapping's missing column: %d\n%s", resp.StatusCode, body)
		}
		if got := sheetState(t, h); got != before {
			t.Errorf("refused sheets changed the store: %s, was %s", got, before)
		}
		// Another session, a documenter, a missing CSRF token.
		if resp, _ = h.as(coord).get(page); resp.StatusCode != 404 {
			t.Errorf("another session's sheet: %d, want 404", resp.StatusCode)
		}
		if resp, _ = h.as(h.user("doc", model.RoleDocumenter)).get("/import"); resp.StatusCode != 403 {
			t.Errorf("a documenter: %d, want 403", resp.StatusCode)
		}
		if resp, _ = c.upload("/import", "-", map[string][]byte{"a.csv": []byte(csv)}); resp.StatusCode != 403 {
			t.Errorf("an upload without CSRF token: %d, want 403", resp.StatusCode)
		}
	})
}

// TestSheetWizardRestricted: rows made restricted are sealed in the
// protection compartment, so they are imported only by a member whose
// key the session holds; without it nothing is imported.
func TestSheetWizardRestricted(t *testing.T) {
	h := newHarness(t)
	coord := h.user("coord", model.RoleCoordinator)
	csv := "Date,Type,Governorate,Summary\n2019-10-25,death_threat,Baghdad,The witness lives in Karrada.\n"
	form := url.Values{"field.0": {"date.start"}, "field.1": {"type"}, "field.2": {"place.admin1"}, "field.3": {"summary_en"},
		"default.visibility": {model.VisibilityRestricted}, "action": {"import"}}
	c := h.as(coord) // a session that holds no key
	before := sheetState(t, h)
	resp, body := c.post(uploadSheet(t, c, "r.csv", []byte(csv), ""), form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "you hold no key") {
		t.Errorf("restricted rows without a key: %d\n%s", resp.StatusCode, body)
	}
	if got := sheetState(t, h); got != before {
		t.Fatalf("refused restricted rows changed the store: %s, was %s", got, before)
	}
	signIn(t, h, h.anonymous(), coord.Username) // the first sign-in makes the key pair
	grant(t, h, coord, model.CompartmentProtection)
	m := h.anonymous()
	signInWith(t, h, m, coord.Username, testPassword) // the password unseals the key into the session
	form.Del("csrf")
	resp, body = m.post(uploadSheet(t, m, "r.csv", []byte(csv), ""), form)
	if resp.StatusCode != 200 || !strings.Contains(body, "Imported 1 incident.") {
		t.Fatalf("restricted rows by a member: %d\n%s", resp.StatusCode, body)
	}
	var got []string
	h.st.EachIncident(context.Background(), allIncidents, func(inc *model.Incident) error {
		got = append(got, inc.Visibility+" "+inc.SummaryEN)
		return nil
	})
	if len(got) != 1 || strings.Contains(got[0], "Karrada") || !strings.HasPrefix(got[0], model.VisibilityRestricted) {
		t.Errorf("stored %q: want one restricted incident whose text is sealed", got)
	}
}

// TestSheetProblemsTranslated: every kind of problem the importer finds
// in a cell, and the validator's, is said in the page's language, with
// the cell's words; none is left in the importer's English.
func TestSheetProblemsTranslated(t *testing.T) {
	csv := "Ref,Date,Type,Governorate,Dead,Lat,Lon,Estimated\n" +
		"P-1,25/10/2019,Massacre,Atlantis,many,north,44.1,perhaps\n" +
		"P-9,2019-10-25,killing,Baghdad,1,,,\n" +
		"P-9,2019-10-26,killing,Baghdad,1,,,\n" + // the same record twice
		"P-5,2019-10-25,killing,Baghdad,0,,,\n" // the validator's: a killing without a death
	m := &importer.Mapping{Format: importer.MappingFormat, Version: importer.MappingVersion, System: "p",
		DateFormats: []string{"YYYY-MM-DD"}, Columns: []importer.Column{{Column: "Ref", Field: "external.id"},
			{Column: "Date", Field: "date.start"}, {Column: "Type", Field: "type"}, {Column: "Governorate", Field: "place.admin1"},
			{Column: "Dead", Field: "fatalities"}, {Column: "Lat", Field: "place.lat"}, {Column: "Lon", Field: "place.lon"},
			{Column: "Estimated", Field: "date.estimated"}}}
	sheet, err := importer.OpenSheet(strings.NewReader(csv), "p.csv", "csv", "")
	if err != nil {
		t.Fatal(err)
	}
	_, all := importer.ReadSheetUpTo(sheet, m, "p.csv", 100)
	_, few := importer.ReadSheetUpTo(sheet, m, "p.csv", 2)
	var list importer.ErrorList
	errors.As(all, &list)
	var cut importer.ErrorList
	errors.As(few, &cut)
	list = append(list, cut[len(cut)-1]) // "stopped after 2 problems"
	if len(list) < 9 {
		t.Fatalf("only %d problems:\n%v", len(list), all)
	}
	for _, e := range list {
		en, ar := problemText("en", e.Err), problemText("ar", e.Err)
		if en == e.Err.Error() || strings.Contains(en+ar, "%!") || strings.HasPrefix(ar, "[") || !strings.ContainsAny(ar, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") {
			t.Errorf("%q is said as %q and %q", e.Err, en, ar)
		}
	}
	for _, word := range []string{"Massacre", "Atlantis", "25/10/2019", "many", "north", "perhaps", "P-9"} {
		if !strings.Contains(fmt.Sprint(sheetProblemsOf(all, "ar")), word) {
			t.Errorf("the Arabic problems do not quote %q", word)
		}
	}
}
