package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rasd-project/rasd/internal/model"
)

// The form takes coordinates without a governorate and shows the place
// found from them as derived; saving it unchanged keeps the mark, choosing
// a governorate removes it (docs/places.md).
func TestIncidentFormPlaceFromCoordinates(t *testing.T) {
	h := newHarness(t)
	c := h.as(h.user("rana", model.RoleDocumenter))
	f := newForm()
	f.Admin1, f.Lat, f.Lon = "", "36.335", "43.1189"
	id := c.save("/incidents", incidentValues(f))
	inc := h.incident(id)
	if p := inc.Place; p.Admin1 != "IQ-NI" || !p.Derived || p.District == "" {
		t.Fatalf("place %+v, want Nineveh found from the coordinates", p)
	}
	if _, body := c.get("/incidents/" + id); !strings.Contains(body, "found from the coordinates") {
		t.Error("the page does not say the place was found from the coordinates")
	}
	same := formOf(inc)
	c.save("/incidents/"+id, incidentValues(same))
	if !h.incident(id).Place.Derived {
		t.Error("saving the form unchanged lost the derived mark")
	}
	edited := formOf(h.incident(id))
	edited.District = ""
	c.save("/incidents/"+id, incidentValues(edited))
	if h.incident(id).Place.Derived {
		t.Error("an edited place is still marked derived")
	}
	f = newForm()
	f.Admin1, f.Lat, f.Lon = "", "", ""
	if resp, _ := c.post("/incidents", incidentValues(f)); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a form without any place: %d", resp.StatusCode)
	}
}
