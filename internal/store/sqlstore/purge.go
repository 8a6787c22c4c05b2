package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
	"github.com/rasd-project/rasd/internal/textnorm"
)

// A record can become restricted after it was kept in the clear (a member
// restricts it, 'rasd keys seal-records', 'rasd demo'). Sealing it then
// also purges its history, in the same transaction: every earlier version
// loses the text that is now sealed, so that whoever reads the database
// without a compartment key does not find it there (docs/keys.md,
// "History").

// sealedPaths are where a record's sealed text sits in its snapshots (JSON
// names; "*" is every element of a list): what package keys seals, and
// what clearIncidentText and kindTable.seal (ClearText) refuse in the
// columns of a sealed record; for sources and information, what sources.go
// seals.
var sealedPaths = map[string][][]string{
	store.KindIncident: {{"summary_en"}, {"summary_ar"}, {"narrative_en"}, {"narrative_ar"},
		{"place", "locality"}, {"place", "lat"}, {"place", "lon"},
		{"perpetrators", "*", "group"}, {"perpetrators", "*", "modus_operandi"},
		{"tags"}, {"external", "original"}},
	store.KindPerson:       {{"name_ar"}, {"name_latin"}, {"aliases"}, {"affiliations"}},
	store.KindOrganisation: {{"name_ar"}, {"name_en"}, {"notes"}},
	store.KindSource:       {{"label"}},
	store.KindInformation:  {{"summary"}},
}

// scrubbedKey names the SHA-256 of a version's snapshot as it was kept
// (the digest in its audit entry), added when its text is purged.
const scrubbedKey = "scrubbed_sha256"

// PurgeHistory implements store.Keys.
func (s *DB) PurgeHistory(ctx context.Context, actor, kind, id string) (n int, err error) {
	if sealedPaths[kind] == nil {
		return 0, fmt.Errorf("a %s has no sealed text: only incidents, persons, organisations, sources and information do", kind)
	}
	err = s.write(ctx, func(t *Tx) error {
		sealed, err := t.recordSealed(ctx, kind, id)
		if err != nil {
			return err
		}
		if sealed == nil {
			return fmt.Errorf("%s %s has no sealed text (seal it first: 'rasd keys seal-records'): %w", kind, id, store.ErrNotFound)
		}
		n, err = t.purgeHistory(ctx, actor, kind, id)
		return err
	})
	return n, err
}

// purgeHistory takes the sealed text out of every stored version of the
// record kind/id: a snapshot loses its sealed fields and gains
// scrubbed_sha256; a change of a sealed field keeps its name, loses its
// values and is marked Purged. A person's names also leave the search
// texts of the incidents naming them. It returns how many versions it
// changed and, if any, appends an audit entry (purge:history) whose
// digest is that of each purged version's snapshot and changes, one a
// line, in version order: 'rasd audit verify' recomputes it (verify.go).
func (t *Tx) purgeHistory(ctx context.Context, actor, kind, id string) (int, error) {
	// This transaction's own versions may still be queued.
	if err := t.writeAppends(ctx, versionsTable); err != nil {
		return 0, err
	}
	type stored struct {
		version           int
		changes, snapshot string
	}
	rows, err := t.Query(ctx, `SELECT version, changes, snapshot FROM versions WHERE kind = ? AND record_id = ? ORDER BY version`, kind, id)
	if err != nil {
		return 0, fmt.Errorf("purge history: %w", err)
	}
	var vs []stored
	for rows.Next() {
		var v stored
		if err := rows.Scan(&v.version, &v.changes, &v.snapshot); err != nil {
			rows.Close()
			return 0, fmt.Errorf("purge history: %w", err)
		}
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("purge history: %w", err)
	}
	paths := sealedPaths[kind]
	var purged bytes.Buffer
	n := 0
	for _, v := range vs {
		snap, gone, err := scrubSnapshot(paths, []byte(v.snapshot))
		if err != nil {
			return 0, fmt.Errorf("%s %s version %d: %w", kind, id, v.version, err)
		}
		var cs []store.Change
		if err := decodeJSON([]byte(v.changes), &cs); err != nil {
			return 0, fmt.Errorf("%s %s version %d changes: %w", kind, id, v.version, err)
		}
		goneC := scrubChanges(paths, cs)
		if snap == nil && len(goneC) == 0 {
			continue // kept sealed, or purged before
		}
		if snap == nil {
			snap = []byte(v.snapshot)
		}
		changes, err := json.Marshal(cs)
		if err != nil {
			return 0, err
		}
		if _, err := t.Exec(ctx, `UPDATE versions SET snapshot = ?, changes = ? WHERE kind = ? AND record_id = ? AND version = ?`,
			string(snap), string(changes), kind, id, v.version); err != nil {
			return 0, fmt.Errorf("purge %s %s version %d: %w", kind, id, v.version, err)
		}
		t.dropWords(gone)
		t.dropWords(goneC)
		purged.Write(snap)
		purged.WriteByte('\n')
		purged.Write(changes)
		purged.WriteByte('\n')
		n++
	}
	if n == 0 {
		return 0, nil
	}
	if kind == store.KindPerson {
		if err := t.reindexIncidentsOf(ctx, id); err != nil {
			return 0, err
		}
	}
	return n, t.keyAudit(ctx, actor, "purge:history", kind, id, purged.Bytes())
}

// reindexIncidentsOf writes again the search text, blocking keys and
// victims' names of every incident that names the person as a victim, and
// forgets the pairs kept of them (what they scored may have changed):
// after a rename, or when the person is sealed (incidentText leaves a
// restricted person's names out). The person's row must already say so.
func (t *Tx) reindexIncidentsOf(ctx context.Context, personID string) error {
	ids, err := t.ids(ctx, `SELECT DISTINCT i.id FROM victims v JOIN incidents i ON i.rid = v.incident_rid
		JOIN persons p ON p.rid = v.person_rid WHERE p.id = ?`, personID)
	if err != nil {
		return fmt.Errorf("reindex incidents of: %w", err)
	}
	for _, id := range ids {
		inc, rid, err := t.s.getIncident(ctx, t, "id", id)
		if err != nil {
			return err
		}
		if err := t.indexText(ctx, "incident", rid, incidentText(inc), true); err != nil {
			return err
		}
		if err := t.writeNameKeys(ctx, []int64{rid}, []*model.Incident{inc}, true); err != nil {
			return err
		}
		if err := t.deletePairsOf(ctx, rid); err != nil {
			return err
		}
	}
	return nil
}

// scrubSnapshot returns snap without what paths name, with the SHA-256 of
// snap added, and the values it took out; nil if it held none of them.
func scrubSnapshot(paths [][]string, snap []byte) ([]byte, []any, error) {
	var m map[string]any
	if err := decodeJSON(snap, &m); err != nil {
		return nil, nil, err
	}
	var gone []any
	for _, p := range paths {
		gone = strip(m, p, gone)
	}
	if len(gone) == 0 {
		return nil, nil, nil
	}
	if _, ok := m[scrubbedKey]; !ok { // purged before (unsealed since): keep the first digest
		sum := sha256.Sum256(snap)
		m[scrubbedKey] = hex.EncodeToString(sum[:])
	}
	out, err := json.Marshal(m)
	return out, gone, err
}

// scrubChanges takes the sealed values out of cs in place: a change of a
// sealed field (or of one inside it) loses both values; a change of a
// field holding sealed text deeper down (perpetrators, external) loses
// that part, and both values if nothing else differs. It returns the
// values it took out.
func scrubChanges(paths [][]string, cs []store.Change) []any {
	var gone []any
	for i := range cs {
		c := &cs[i]
		field := strings.Split(c.Field, ".")
		n := len(gone)
		for _, p := range paths {
			switch {
			case hasPrefix(field, p):
				gone = append(gone, c.Old, c.New)
				c.Old, c.New = nil, nil
			case hasPrefix(p, field):
				gone = strip(c.Old, p[len(field):], gone)
				gone = strip(c.New, p[len(field):], gone)
			}
		}
		if len(gone) == n || slices.IndexFunc(gone[n:], isText) < 0 {
			gone = gone[:n]
			continue
		}
		c.Purged = true
		if reflect.DeepEqual(c.Old, c.New) {
			c.Old, c.New = nil, nil
		}
	}
	return gone
}

// strip removes the value at path from v (a decoded JSON object or list),
// appending it to gone if it held anything.
func strip(v any, path []string, gone []any) []any {
	switch x := v.(type) {
	case map[string]any:
		val, ok := x[path[0]]
		if !ok {
			return gone
		}
		if len(path) > 1 {
			return strip(val, path[1:], gone)
		}
		delete(x, path[0])
		if isText(val) {
			gone = append(gone, val)
		}
	case []any:
		if path[0] == "*" && len(path) > 1 {
			for _, el := range x {
				gone = strip(el, path[1:], gone)
			}
		}
	}
	return gone
}

// isText reports whether a decoded JSON value holds anything (an empty
// string, list or object, or null, holds nothing worth purging).
func isText(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func hasPrefix(s, prefix []string) bool {
	return len(prefix) <= len(s) && slices.Equal(s[:len(prefix)], prefix)
}

// decodeJSON decodes keeping numbers as written, so a purged snapshot
// changes nothing but what it purges.
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// dropWords notes the search words of values taken out of the history: at
// commit, the dialect's vocabulary forgets those no indexed row holds.
func (t *Tx) dropWords(values []any) {
	if t.s.caps.VocabPruner == nil {
		return
	}
	for _, v := range values {
		switch x := v.(type) {
		case string:
			for _, w := range textnorm.Terms(x) {
				if t.dropped == nil {
					t.dropped = map[string]bool{}
				}
				t.dropped[w] = true
			}
		case []any:
			t.dropWords(x)
		case map[string]any:
			for _, el := range x {
				t.dropWords([]any{el})
			}
		}
	}
}
