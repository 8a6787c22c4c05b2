package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// countOnly is a store whose ListSealed fails: the compartments page must
// count sealed records, not load them all.
type countOnly struct{ store.Store }

func (countOnly) ListSealed(context.Context, string) ([]model.Sealed, error) {
	return nil, errors.New("ListSealed loads every sealed row: count them with CountSealed")
}

func TestCompartmentsPageCounts(t *testing.T) {
	h := newHarnessWith(t, func(o *Options) { o.Store = countOnly{o.Store} })
	zainab := h.user("zainab", model.RoleCoordinator)
	coord := h.anonymous()
	signInWith(t, h, coord, "zainab", testPassword)
	grant(t, h, zainab, model.CompartmentProtection)
	for _, canary := range []string{"Erbil flat 12B", "Amman, flat 4", "Duhok, house 9"} {
		protect(t, h, coord, "zainab", canary)
	}
	resp, body := coord.get("/admin/compartments")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Sealed records 3") {
		t.Errorf("compartments page: %d, want 'Sealed records 3' for protection", resp.StatusCode)
	}
}
