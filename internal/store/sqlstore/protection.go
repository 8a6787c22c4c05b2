package sqlstore

import "context"

// The kinds of people at risk (docs/protection.md) are verified, purged
// and scrubbed like persons: each kind's table is read by loadKind, and
// its sealed paths are its Sealed fields.

// verifiedKind is a kind table the history verifier reads.
type verifiedKind interface {
	kindName() string
	tableName() string
	load(ctx context.Context, rv *recordVerifier, ids []any, out map[string]*current) error
	sealedFields() []string
}

func (kt *kindTable[T]) kindName() string       { return kt.kind.Name }
func (kt *kindTable[T]) tableName() string      { return kt.table }
func (kt *kindTable[T]) sealedFields() []string { return kt.kind.Sealed() }
func (kt *kindTable[T]) load(ctx context.Context, rv *recordVerifier, ids []any, out map[string]*current) error {
	return loadKind(ctx, rv, kt, ids, out)
}

// protectionKinds are the protection compartment's kind tables.
var protectionKinds = []verifiedKind{threatTable, hitListTable, hitEntryTable, caseTable, assessmentTable,
	measureTable, moveTable, checkInTable}

func init() {
	for _, k := range protectionKinds {
		recordKinds = append(recordKinds, struct{ kind, table string }{k.kindName(), k.tableName()})
		var paths [][]string
		for _, f := range k.sealedFields() {
			paths = append(paths, []string{f})
		}
		sealedPaths[k.kindName()] = paths
	}
}

// loadProtection loads the rows of a protection kind; ok is false for
// another kind.
func (rv *recordVerifier) loadProtection(ctx context.Context, kind string, ids []any, out map[string]*current) (ok bool, err error) {
	for _, k := range protectionKinds {
		if k.kindName() == kind {
			return true, k.load(ctx, rv, ids, out)
		}
	}
	return false, nil
}
