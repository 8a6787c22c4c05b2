package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/i18n"
	"github.com/rasd-project/rasd/internal/model"
)

// TestSheetPageWeight: the wizard's heaviest page, the dry run of a wide
// sheet (ten pages of columns) whose every row is wrong in every coded
// column (the most problems listed and words asked) with long cells,
// stays within the 150 KB of docs/web.md ("Weight"); its columns are
// shown a page at a time, and the choices made on one page are kept
// while another is shown.
func TestSheetPageWeight(t *testing.T) {
	h := newHarness(t)
	u := h.user("coord", model.RoleCoordinator)
	var b strings.Builder
	b.WriteString("Date,Type,Governorate,Perpetrator,Verification")
	const width = 10 * sheetLightColumns
	for i := range width - 5 {
		fmt.Fprintf(&b, ",A long column name from a partner number %d", i)
	}
	b.WriteString("\n")
	for i := range 400 {
		fmt.Fprintf(&b, "2019-13-01,word %d,place %d,perpetrator %d,status %d", i, i, i, i)
		for j := range width - 5 {
			cell := strings.Repeat("a long cell of text ", 20)
			if j%sheetLightColumns > 4 { // long cells in every page of columns, under the upload limit
				cell = "short"
			}
			b.WriteString("," + cell)
		}
		b.WriteString("\n")
	}
	for _, lang := range []string{"en", "ar"} {
		u.Lang = lang
		if err := h.st.UpdateUser(context.Background(), "test", u); err != nil {
			t.Fatal(err)
		}
		c := h.as(u)
		page := uploadSheet(t, c, "wide.csv", []byte(b.String()), "")
		form := url.Values{"field.0": {"date.start"}, "field.1": {"type"}, "field.2": {"place.admin1"},
			"field.3": {"perpetrator.type"}, "field.4": {"verification"}, "action": {"check"}}
		_, body := c.post(page, form)
		if !strings.Contains(body, i18n.T(lang, "sheets.problem.stopped", strconv.Itoa(sheetProblems))) {
			t.Fatalf("%s: the dry run did not list the most problems it lists", lang)
		}
		if len(body) > 150<<10 {
			t.Errorf("%s: the dry run of a sheet of %d columns weighs %d KB, more than 150 KB", lang, width, len(body)>>10)
		}
		t.Logf("%s, %d columns: the dry run weighs %d KB", lang, width, len(body)>>10)
		if n := strings.Count(body, "<select name=\"field."); n != sheetLightColumns {
			t.Errorf("%s: %d columns mapped on one page, want %d", lang, n, sheetLightColumns)
		}
		// The last page of columns: the first page's choices ride along.
		form.Del("action")
		form.Set("cols", strconv.Itoa(width-1))
		resp, body := c.post(page, form)
		if resp.StatusCode != 200 || !strings.Contains(body, `<input type="hidden" name="field.0" value="date.start">`) ||
			!strings.Contains(body, fmt.Sprintf(`<select name="field.%d">`, width-1)) || strings.Contains(body, `<select name="field.0">`) {
			t.Errorf("%s: the last page of columns (%d) does not map the last column, or lost the first's choice", lang, resp.StatusCode)
		}
		if len(body) > 150<<10 {
			t.Errorf("%s: the last page of columns weighs %d KB", lang, len(body)>>10)
		}
	}
}
