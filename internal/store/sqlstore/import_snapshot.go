package sqlstore

import (
	"bytes"
	"encoding/json"

	"github.com/rasd-project/rasd/internal/model"
)

// An imported record's original columns (31 for an ACLED row) were
// serialised twice per record: for their column (externalCols) and within
// the record's snapshot, whose digest its import commits to. The map's
// JSON, keys sorted, was a twentieth of an import's time on SQLite
// (BENCHMARKS.md); these give it once to both.

// incidentSnapshotExt is incidentSnapshot(inc), given the JSON of its
// original columns as externalCols made it: the snapshot is made without
// them and they are put in its "external" object where encoding/json puts
// them (its last field), byte for byte the same
// (TestIncidentSnapshotExt).
func incidentSnapshotExt(inc *model.Incident, ext [3]any) []byte {
	orig, ok := ext[2].(string)
	if inc.External == nil || len(inc.External.Original) == 0 || !ok || inc.Sealed != nil {
		return incidentSnapshot(inc)
	}
	bare := model.External{System: inc.External.System, ID: inc.External.ID}
	c := *inc
	c.External = &bare
	snap := incidentSnapshot(&c)
	head, err := json.Marshal(bare)
	if err != nil {
		return incidentSnapshot(inc)
	}
	// A key's quotes inside a string are escaped: this is the field itself.
	key := append([]byte(`"external":`), head...)
	i := bytes.Index(snap, key)
	if i < 0 {
		return incidentSnapshot(inc)
	}
	end := i + len(key) - 1 // the object's closing brace
	out := make([]byte, 0, len(snap)+len(orig)+len(`,"original":`))
	out = append(out, snap[:end]...)
	out = append(out, `,"original":`...)
	out = append(out, orig...)
	return append(out, snap[end:]...)
}
