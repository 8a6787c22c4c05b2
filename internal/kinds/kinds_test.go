package kinds

import (
	"testing"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
)

func TestPersonDateOfDeath(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		status, date, want string
	}{
		{"deceased", "2019-10-25", ""},
		{"deceased", "", ""},
		{"", "", ""},
		{"in_country", "2019-10-25", "person.error.date_of_death"},
		{"deceased", "2027-01-01", record.ErrFuture},
		{"deceased", "25/10/2019", record.ErrDate},
	} {
		p := &model.Person{NameLatin: "Safaa", Status: c.status, DateOfDeath: c.date, Visibility: model.VisibilityInternal}
		if got := Person.Validate(p, now)["date_of_death"]; got != c.want {
			t.Errorf("status %q, date %q: %q, want %q", c.status, c.date, got, c.want)
		}
	}
}
