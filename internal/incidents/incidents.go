// Package incidents is the domain of incidents: every rule about them, in
// one place, between the interfaces (the command line, the web, the API
// to come) and the store. Validate is the one check of an incident's
// values; Check adds the rules that depend on who writes; a Service reads
// with access applied and writes only what passed both, sealing
// restricted text through keys.RecordSealer. Imports, forms and the
// verification workflow all go through it: no interface writes an
// incident, a source or what it said to the store itself
// (TestNoDirectWrites).
package incidents

import (
	"slices"
	"time"

	"github.com/rasd-project/rasd/internal/access"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// Store is what the incidents domain needs of the store.
type Store interface {
	store.Incidents
	store.Sources
	store.History
	store.Drafts
	store.IncidentPairs
	store.DuplicatePairs
	// Persons are read to check the victims a writer links by ID.
	Persons() store.Kind[model.Person]
}

// Service reads and writes incidents by the rules of this package.
type Service struct {
	st  Store
	now func() time.Time
}

// New returns the service over st; now is the clock the plausibility of
// dates is judged by (nil: time.Now).
func New(st Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// Reader is whose access a read applies. The zero Reader sees nothing.
type Reader struct {
	user     *model.User
	operator bool
}

// As reads as u: what access.CanSee lets u see, nothing else.
func As(u *model.User) Reader { return Reader{user: u} }

// Operator reads as the command line does: whoever unlocked the data
// directory holds its keys and may read every record (restricted text
// stays sealed: opening it needs a member's key).
var Operator = Reader{operator: true}

// sees reports whether r may see a record of this visibility by createdBy.
func (r Reader) sees(visibility, createdBy string) bool {
	return r.operator || access.CanSee(r.user, visibility, createdBy)
}

// visible is what r may list, narrowed to one visibility level if level
// is given (nothing if r may not see that level at all).
func (r Reader) visible(level string) store.Visible {
	all := access.Visible(r.user)
	if r.operator {
		all = store.Visible{Levels: []string{model.VisibilityPublic, model.VisibilityInternal, model.VisibilityRestricted}}
	}
	switch {
	case level == "":
		return all
	case slices.Contains(all.Levels, level):
		return store.Visible{Levels: []string{level}}
	case level == model.VisibilityRestricted && all.OwnedBy != "":
		return store.Visible{OwnedBy: all.OwnedBy}
	}
	return store.Visible{} // nothing
}
