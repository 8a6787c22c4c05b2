package importer

import (
	"slices"
	"testing"
)

// Columns named in English or Arabic, by rasd's labels or partners'
// usual words, get their field; unknown and repeated ones get none.
func TestSuggest(t *testing.T) {
	header := []string{"Date", "المحافظة", "Violation", "Latitude", "Long", "عدد القتلى", "Something else", "Province", "Town, neighbourhood or place", "نوع الانتهاك"}
	want := []string{"date.start", "place.admin1", "type", "place.lat", "place.lon", "fatalities", "", "", "place.locality", ""}
	if got := Suggest(header); !slices.Equal(got, want) {
		t.Errorf("Suggest\n got %q\nwant %q", got, want)
	}
}
