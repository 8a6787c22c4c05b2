// Package people holds the domain services of persons and organisations:
// record kinds (package kinds) written and read through package records,
// so that the web, the command line and the API apply one set of rules.
package people

import (
	"time"

	"github.com/rasd-project/rasd/internal/kinds"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/records"
	"github.com/rasd-project/rasd/internal/store"
)

// People are the services of persons and of organisations.
type People struct {
	Persons       *records.Service[model.Person]
	Organisations *records.Service[model.Organisation]
	merges        store.PersonMerges
}

// New makes the services over st; now is the clock their validation
// reads (birth years, dates: none may be in the future).
func New(st store.Store, now func() time.Time) *People {
	p := &People{
		Persons:       records.New(kinds.Person, st, nil),
		Organisations: records.New(kinds.Organisation, st, nil),
		merges:        st,
	}
	p.Persons.Now, p.Organisations.Now = now, now
	return p
}
