package incidents

import (
	"context"
	"fmt"

	"github.com/rasd-project/rasd/internal/keys"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// readAhead is how many records of an import are read ahead of the store.
const readAhead = 256

// Import stores records (n of them, or an estimate that sizes the import
// and its progress) as actor in one transaction: all or none. Incidents
// whose external key is stored already are updated, the others created.
// Each record is read on its own goroutine, beside the store's writing,
// given its defaults and checked (Validate: a *RecordError stops the
// import), and its restricted text is sealed with rs. Without rs the
// first restricted record stops the import with a *RestrictedError, and
// one that would make a sealed record internal or public with
// store.ErrUnsealNeedsMember: import again with a member's key.
//
// An import is the operator's (the command line's): the rules of Check
// that depend on who writes are not applied.
func (s *Service) Import(ctx context.Context, actor string, n int, records store.Records, rs *keys.RecordSealer, progress func(done int)) (store.ImportResult, error) {
	return s.ImportThen(ctx, actor, n, records, rs, progress, nil)
}

// ImportThen is Import, then runs then in the import's transaction
// (store.ImportThen): what it adds is stored with the incidents or not at all.
func (s *Service) ImportThen(ctx context.Context, actor string, n int, records store.Records, rs *keys.RecordSealer, progress func(done int), then store.ImportThen) (store.ImportResult, error) {
	checked := func(yield func(*model.Incident) error) error {
		num := 0
		return records(func(inc *model.Incident) error {
			num++
			ApplyDefaults(inc)
			if err := Validate(inc); err != nil {
				return &RecordError{Num: num, External: inc.External, Err: err}
			}
			if rs == nil && keys.Restricted(inc) {
				return &RestrictedError{Num: num, External: inc.External}
			}
			if err := rs.Incident(inc); err != nil {
				return fmt.Errorf("record %d: %w", num, err)
			}
			return yield(inc)
		})
	}
	return s.st.ImportEachThen(ctx, actor, n, store.ReadAhead(checked, readAhead), progress, then)
}
