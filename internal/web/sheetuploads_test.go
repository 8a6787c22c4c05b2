package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
)

func heldCount(h *heldSheets) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.m)
}

// TestSheetsForgotten: a held spreadsheet goes when its session ends (sign
// out, an admin ending the user's sessions or disabling them), not only
// on the next upload (docs/spreadsheets.md).
func TestSheetsForgotten(t *testing.T) {
	h := newHarness(t)
	admin := h.user("root", model.RoleAdmin)
	for _, end := range []func(c *client, u *model.User){
		func(c *client, _ *model.User) { c.post("/logout", url.Values{}) },
		func(_ *client, u *model.User) { h.as(admin).post("/admin/users/"+u.ID+"/end-sessions", nil) },
		func(_ *client, u *model.User) { h.as(admin).post("/admin/users/"+u.ID+"/disable", nil) },
	} {
		u := h.user("coord"+time.Now().Format("150405.000000000"), model.RoleCoordinator)
		c := h.as(u)
		uploadSheet(t, c, "a.csv", []byte("Date,Type\n2020-01-01,killing\n"), "")
		if n := heldCount(h.srv.sheets); n != 1 {
			t.Fatalf("%d sheets held after an upload", n)
		}
		end(c, u)
		if n := heldCount(h.srv.sheets); n != 0 {
			t.Errorf("%d sheets held after the session ended", n)
		}
	}
}

// TestSheetsIdleDropped: an unused sheet is dropped after sheetIdle by
// its own timer, with no request to notice it.
func TestSheetsIdleDropped(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	h := newHeldSheets(clock)
	hs := &heldSheet{id: "x", session: "s", data: []byte("cells")}
	if !h.put(hs, now) {
		t.Fatal("put refused")
	}
	h.watch("x", time.Millisecond) // not idle yet: it watches again
	time.Sleep(50 * time.Millisecond)
	if heldCount(h) != 1 {
		t.Fatal("a sheet in use was dropped")
	}
	h.mu.Lock()
	now = now.Add(sheetIdle)
	h.mu.Unlock()
	h.watch("x", time.Millisecond)
	for deadline := time.Now().Add(5 * time.Second); heldCount(h) != 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
	}
	if heldCount(h) != 0 || hs.data[0] != 0 {
		t.Error("an idle sheet was kept, or its bytes not overwritten")
	}
}
