package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// TestSealedHistoryHeading: the history of a restricted person or
// organisation, whose names are sealed, is headed as its record page is,
// "(name sealed)", in English and in Arabic.
func TestSealedHistoryHeading(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	member := h.user("rana", model.RoleProtection)
	mc := h.anonymous()
	signIn(t, h, mc, "rana")
	grant(t, h, member, model.CompartmentProtection)
	sami := h.user("sami", model.RoleCoordinator)
	layla := h.user("layla", model.RoleCoordinator)
	layla, _ = h.st.GetUser(ctx, layla.ID)
	layla.Lang = "ar"
	if err := h.st.UpdateUser(ctx, "test", layla); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for path, form := range map[string]url.Values{
		"/organisations": {"name_en": {"Orgwebcanary Collective"}, "kind": {"ngo"}, "status": {"active"}, "visibility": {"restricted"}},
		"/persons":       {"name_latin": {"Personcanary Hidden"}, "visibility": {"restricted"}},
	} {
		resp, _ := mc.post(path, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create %s: %d", path, resp.StatusCode)
		}
		paths = append(paths, resp.Header.Get("Location")+"/history")
	}
	for _, v := range []struct {
		c    *client
		want string
	}{{h.as(sami), "History of changes: (name sealed)</h1>"}, {h.as(layla), "سجل التغييرات: (الاسم مختوم)</h1>"}} {
		for _, path := range paths {
			resp, body := v.c.get(path)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, v.want) || strings.Contains(body, "canary") {
				t.Errorf("%s: %d, want the heading %q", path, resp.StatusCode, v.want)
			}
		}
	}
}
