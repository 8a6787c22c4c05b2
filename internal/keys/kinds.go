package keys

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/record"
	"github.com/rasd-project/rasd/internal/store"
)

// SealRecord prepares r, of kind k, for the store as Incident does: a
// restricted record has its Sealed fields (package kinds) taken out and
// sealed when the store writes it. s may be nil (no member's key): then a
// restricted record is refused with ErrRestrictedNeedsKey.
func SealRecord[T any](s *RecordSealer, k *record.Kind[T], r *T) error {
	st := k.SealedText(r)
	st.Seal, st.Unseal = nil, s != nil
	if k.Visibility(r) != model.VisibilityRestricted {
		return nil
	}
	if s == nil {
		return ErrRestrictedNeedsKey
	}
	var err error
	st.Seal, err = s.sealer(k.Name, json.RawMessage(k.TakeText(r)))
	return err
}

// OpenRecord fills a restricted record's sealed text in, appending an
// audit entry as Open does. found is false for a record without sealed
// text (not restricted, or stored before sealing existed).
func OpenRecord[T any](ctx context.Context, st store.Store, actor string, by Identity, k *record.Kind[T], r *T) (found bool, err error) {
	if k.Visibility(r) != model.VisibilityRestricted {
		return false, nil
	}
	var text json.RawMessage
	if found, err = Open(ctx, st, actor, by, k.Name, k.ID(r), model.GroupRecord, &text); found && err == nil {
		err = k.PutText(r, text)
	}
	return found, err
}

// sameText reports whether two sealed texts (JSON objects) say the same,
// whatever the order of their fields.
func sameText(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
