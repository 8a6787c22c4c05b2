package sqlstore

import (
	"context"
)

// The kinds added after persons and organisations are checked by the
// audit like them, from their descriptions: their table's rows against
// their history (verify_history.go, verify_rows.go), and their Sealed
// fields as their sealed text (purge.go).
var kindLoaders = map[string]func(context.Context, *recordVerifier, []any, map[string]*current) error{}

func init() {
	addKind(commitmentTable)
	addKind(committeeTable)
	addKind(stepTable)
}

func addKind[T any](kt *kindTable[T]) {
	name := kt.kind.Name
	kindLoaders[name] = func(ctx context.Context, rv *recordVerifier, ids []any, out map[string]*current) error {
		return loadKind(ctx, rv, kt, ids, out)
	}
	recordKinds = append(recordKinds, struct{ kind, table string }{name, kt.table})
	var paths [][]string
	for _, f := range kt.kind.Fields {
		if f.Sealed {
			paths = append(paths, []string{f.Name})
		}
	}
	if kt.kind.Group != "" || len(paths) > 0 {
		sealedPaths[name] = paths
	}
}
