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

// OpenKind opens the sealed text of every record of kind k with the
// compartment key s holds, for a lookup across the kind by a sealed field
// (the cases naming a person, docs/protection.md): it returns, by record
// ID, a record holding only its sealed fields. One audit entry, read:record
// of record "*", says that actor opened them all; it is written before
// anything is opened, and names no record, so that the log does not say
// which person was looked up.
func OpenKind[T any](ctx context.Context, st store.Keys, actor string, s *RecordSealer, k *record.Kind[T]) (map[string]*T, error) {
	if s == nil || s.key == nil {
		return nil, ErrRestrictedNeedsKey
	}
	groups, err := st.SealedOfKind(ctx, k.Name, model.GroupRecord)
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	if err := st.LogRead(ctx, actor, k.Name, AllRecords, model.GroupRecord); err != nil {
		return nil, err
	}
	out := make(map[string]*T, len(groups))
	for i := range groups {
		var text json.RawMessage
		if err := s.OpenRecord(&groups[i], &text); err != nil {
			return nil, err
		}
		r := new(T)
		err := k.PutText(r, text)
		clear(text)
		if err != nil {
			return nil, err
		}
		out[groups[i].RecordID] = r
	}
	return out, nil
}

// AllRecords is the record ID of the audit entry of OpenKind.
const AllRecords = "*"
