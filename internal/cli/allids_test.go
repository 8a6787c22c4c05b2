package cli

import (
	"errors"
	"strconv"
	"testing"
)

// TestAllIDs: sealStored lists every record, however many pages, and
// stops at the first short page (an exact multiple ends with an empty one).
func TestAllIDs(t *testing.T) {
	for _, total := range []int{0, 1, idPage - 1, idPage, idPage + 1, 3*idPage + 7} {
		calls := 0
		got, err := allIDs(func(off int) ([]string, error) {
			calls++
			var page []string
			for i := off; i < min(off+idPage, total); i++ {
				page = append(page, strconv.Itoa(i))
			}
			return page, nil
		})
		if err != nil || len(got) != total || calls != total/idPage+1 {
			t.Errorf("%d records: got %d in %d calls, %v", total, len(got), calls, err)
		}
		for i, id := range got {
			if id != strconv.Itoa(i) {
				t.Fatalf("%d records: id %d is %s", total, i, id)
			}
		}
	}
	boom := errors.New("boom")
	if _, err := allIDs(func(int) ([]string, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("error = %v", err)
	}
}
