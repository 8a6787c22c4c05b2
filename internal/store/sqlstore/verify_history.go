package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/store"
)

// The history check. Every version names its audit entry (audit_seq):
// its snapshot must hash to the entry's digest, its time, author and
// action must be the entry's, and its changes must be what the store
// computes from the snapshot before it. A version whose text was purged
// when its record was sealed (purge.go) carries the digest it was kept
// with (scrubbed_sha256), and the purge:history entry after it the digest
// of what the purge left. Versions are read per kind in (record, version)
// order, so that each record's versions come together.

// versionPage is how many versions one query reads.
const versionPage = 1000

// recordKinds are the kinds of record with a history, and their tables.
var recordKinds = []struct{ kind, table string }{
	{store.KindIncident, "incidents"},
	{store.KindPerson, "persons"},
	{store.KindOrganisation, "organisations"},
	{store.KindSource, "sources"},
	{store.KindInformation, "information"},
	{"user", "users"},
	{store.KindEvidence, "evidence"},
}

// vrow is a version joined with the entry its audit_seq names.
type vrow struct {
	id                   string
	version              int
	at                   time.Time
	actor, action        string
	changes, snapshot    string
	eSeq, eVersion       sql.NullInt64
	eAt, eActor, eAction sql.NullString
	eKind, eID, eDigest  sql.NullString
	// Version 1 of a record an import created: its import_records row.
	lImport, lAt, lDigest sql.NullString
}

// group is one record's versions, as they are read.
type group struct {
	kind, id    string
	prev        *vrow
	prevOrig    []byte // the previous version's snapshot as kept, nil if purged since
	prevSealed  bool   // the previous version has sealed text
	first       *vrow
	purges      []purgeRef
	pi          int       // the purge the next purged version belongs to
	covered     int       // versions of purges[pi] so far, and their digests:
	legacy, cur hash.Hash // snapshots (before changes were covered too), and snapshots with changes
	firstCov    int       // the first version of purges[pi]
	// allLegacy and allCur cover every purged version so far: a purge
	// finding nothing new purged versions put back as they were.
	allLegacy, allCur hash.Hash
}

type recordVerifier struct {
	s        *DB
	q        readTx
	log      *logInfo
	matched  int64 // versions matched to their creation entries
	versions int64
	records  int64
	imported int64    // versions 1 stored as the records an import created
	pending  []latest // records whose row is checked next (verify_rows.go)
}

func (rv *recordVerifier) run(ctx context.Context) error {
	for _, k := range recordKinds {
		if err := rv.kind(ctx, k.kind, k.table); err != nil {
			return err
		}
	}
	if rv.matched != rv.log.creations {
		return rv.missingVersion(ctx)
	}
	return nil
}

func (rv *recordVerifier) kind(ctx context.Context, kind, table string) error {
	var g *group
	lastID, lastVersion := "", 0
	for {
		page, err := rv.page(ctx, kind, lastID, lastVersion)
		if err != nil {
			return err
		}
		for i := range page {
			r := &page[i]
			if g == nil || g.id != r.id {
				if g != nil {
					if err := rv.endGroup(ctx, g); err != nil {
						return err
					}
				}
				g = &group{kind: kind, id: r.id, purges: rv.log.purges[recordKey(kind, r.id)]}
			}
			if err := rv.row(g, r); err != nil {
				return err
			}
		}
		if len(page) < versionPage {
			break
		}
		lastID, lastVersion = page[len(page)-1].id, page[len(page)-1].version
	}
	if g != nil {
		if err := rv.endGroup(ctx, g); err != nil {
			return err
		}
	}
	if err := rv.flush(ctx, kind); err != nil {
		return err
	}
	if err := rv.importedRecords(ctx, kind); err != nil {
		return err
	}
	return rv.rowWithoutHistory(ctx, kind, table)
}

func (rv *recordVerifier) page(ctx context.Context, kind, afterID string, afterVersion int) ([]vrow, error) {
	q := `SELECT v.record_id, v.version, v.at, v.actor, v.action, v.changes, v.snapshot,
		a.seq, a.at, a.actor, a.action, a.kind, a.record_id, a.version, a.digest, l.import_id, l.at, l.digest
		FROM versions v LEFT JOIN audit_log a ON a.seq = v.audit_seq
		LEFT JOIN import_records l ON v.audit_seq IS NULL AND v.version = 1 AND l.kind = v.kind AND l.record_id = v.record_id
		WHERE v.kind = ?`
	args := []any{kind}
	if afterID != "" {
		q += ` AND (v.record_id, v.version) > (?, ?)`
		args = append(args, afterID, afterVersion)
	}
	rows, err := rv.q.Query(ctx, q+` ORDER BY v.record_id, v.version LIMIT `+fmt.Sprint(versionPage), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vrow
	for rows.Next() {
		var r vrow
		if err := rows.Scan(&r.id, &r.version, &r.at, &r.actor, &r.action, &r.changes, &r.snapshot,
			&r.eSeq, &r.eAt, &r.eActor, &r.eAction, &r.eKind, &r.eID, &r.eVersion, &r.eDigest,
			&r.lImport, &r.lAt, &r.lDigest); err != nil {
			return nil, fmt.Errorf("read the history of %s %s: %w", kind, r.id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (g *group) fail(version int, seq int64, reason string, snap string) error {
	if snap == "" && g.prev != nil {
		snap = g.prev.snapshot
	}
	return &store.RecordError{Kind: g.kind, ID: g.id, Label: label(snap), Version: version, History: true, Seq: seq, Reason: reason}
}

// row checks one version against its entry, its predecessor and the
// purges of its record.
func (rv *recordVerifier) row(g *group, r *vrow) error {
	rv.versions++
	want := 1
	if g.prev != nil {
		want = g.prev.version + 1
	}
	if r.version != want {
		return g.fail(want, 0, "is missing from the history (deleted outside rasd)", r.snapshot)
	}
	imported := r.lImport.Valid && !r.eSeq.Valid
	if imported {
		if err := rv.importedVersion(g, r); err != nil {
			return err
		}
	}
	if !r.eSeq.Valid || r.eKind.String != g.kind || r.eID.String != g.id || int(r.eVersion.Int64) != r.version {
		return g.fail(r.version, r.eSeq.Int64, "has no audit entry of its own (written outside rasd)", r.snapshot)
	}
	seq := r.eSeq.Int64
	if !imported {
		rv.matched++
	}
	at, err := time.Parse(time.RFC3339Nano, r.eAt.String)
	if err != nil || !at.Equal(r.at) || r.eActor.String != r.actor || r.eAction.String != r.action {
		return g.fail(r.version, seq, fmt.Sprintf("does not say when, by whom or how it was written as its audit entry %d does (edited)", seq), r.snapshot)
	}
	scrubbed := scrubbedDigest(r.snapshot)
	sealed := hasSealed([]byte(r.snapshot))
	if scrubbed != "" {
		if scrubbed != r.eDigest.String {
			return g.fail(r.version, seq, fmt.Sprintf("was purged, but not from the snapshot its audit entry %d recorded (edited)", seq), r.snapshot)
		}
	} else if sha256Hex([]byte(r.snapshot)) != r.eDigest.String {
		return g.fail(r.version, seq, fmt.Sprintf("differs from the snapshot its audit entry %d recorded (edited outside rasd)", seq), r.snapshot)
	}
	// The purges before this version are complete.
	for g.pi < len(g.purges) && g.purges[g.pi].seq < seq {
		if err := g.endPurge(); err != nil {
			return err
		}
	}
	// A version was purged if its snapshot or its changes lost text; but
	// the version that sealed a record lost its changes' text as it was
	// kept, not by a purge. (A sealed version loses text only when its
	// record kept a field in the clear beside its sealed text: a case's
	// person before it was sealed, sealedlinks.go.)
	purged := scrubbed != "" || strings.Contains(r.changes, `"purged":true`) && !(sealed && !g.prevSealed)
	if purged {
		if g.pi == len(g.purges) {
			return g.fail(r.version, seq, "was purged, but no purge:history entry records it (edited outside rasd)", r.snapshot)
		}
		g.addPurged(r)
	} else if err := g.checkChanges(r, seq, sealed); err != nil {
		return err
	}
	g.prevSealed = sealed
	if scrubbed != "" {
		g.prevOrig = nil
	} else {
		g.prevOrig = []byte(r.snapshot)
	}
	if g.first == nil {
		g.first = r
	}
	g.prev = r
	return nil
}

// checkChanges compares a version's changes with those computed from the
// version before it, when that one is kept as it was written.
func (g *group) checkChanges(r *vrow, seq int64, sealed bool) error {
	var want []byte
	switch {
	case r.version == 1:
		want = []byte("[]")
	case g.prevOrig == nil:
		return nil // computed from text purged since
	default:
		cs := diff(g.prevOrig, []byte(r.snapshot))
		if !g.prevSealed && sealed { // the version that sealed it (keep)
			scrubChanges(sealedPaths[g.kind], cs)
		}
		want, _ = json.Marshal(cs)
	}
	if !sameChanges(want, []byte(r.changes)) {
		return g.fail(r.version, seq, "lists changes that its snapshot and the one before it do not show (edited outside rasd)", r.snapshot)
	}
	return nil
}

// sameChanges compares two lists of changes as decoded, leaving out the
// digest of the sealed text: a compartment's rotation re-encrypts it
// between versions, and the store computes the change from the record as
// stored, not from the version before.
func sameChanges(a, b []byte) bool {
	norm := func(x []byte) (string, bool) {
		var cs []store.Change
		if err := json.Unmarshal(x, &cs); err != nil {
			return "", false
		}
		out := cs[:0]
		for _, c := range cs {
			if c.Field != sealedKey {
				out = append(out, c)
			}
		}
		b, _ := json.Marshal(out)
		return string(b), true
	}
	na, ok1 := norm(a)
	nb, ok2 := norm(b)
	return ok1 && ok2 && na == nb
}

const sealedKey = "sealed_sha256"

func hasSealed(snap []byte) bool { return jsonHexField(string(snap), sealedKey) != "" }

// scrubbedDigest is a purged snapshot's scrubbed_sha256, "" if none.
func scrubbedDigest(snap string) string {
	return jsonHexField(snap, scrubbedKey)
}

// jsonHexField is the snapshot's top-level field key, if it holds 64
// hexadecimal digits, else "". Most snapshots have neither field: the
// search for the key spares decoding them. (A key inside a string would
// have its quotes escaped; one in a nested object, such as an imported
// record's original columns, is not the snapshot's own.)
func jsonHexField(snap, key string) string {
	if !strings.Contains(snap, `"`+key+`":"`) {
		return ""
	}
	var top map[string]json.RawMessage
	if json.Unmarshal([]byte(snap), &top) != nil {
		return ""
	}
	var v string
	if json.Unmarshal(top[key], &v) != nil || len(v) != 64 {
		return ""
	}
	if _, err := hex.DecodeString(v); err != nil {
		return ""
	}
	return v
}

func (g *group) addPurged(r *vrow) {
	if g.covered == 0 {
		g.legacy, g.cur, g.firstCov = sha256.New(), sha256.New(), r.version
	}
	if g.allLegacy == nil {
		g.allLegacy, g.allCur = sha256.New(), sha256.New()
	}
	g.covered++
	for _, h := range []hash.Hash{g.legacy, g.allLegacy} {
		h.Write([]byte(r.snapshot + "\n"))
	}
	for _, h := range []hash.Hash{g.cur, g.allCur} {
		h.Write([]byte(r.snapshot + "\n" + r.changes + "\n"))
	}
}

// matches reports whether digest is that of the versions cur and legacy
// cover.
func matches(digest string, cur, legacy hash.Hash) bool {
	return cur != nil && (hex.EncodeToString(cur.Sum(nil)) == digest || hex.EncodeToString(legacy.Sum(nil)) == digest)
}

// endPurge checks purge pi's digest against the versions it purged: that
// of their snapshots and changes, one a line, or, for purges made before
// changes were covered, of their snapshots only.
func (g *group) endPurge() error {
	p := g.purges[g.pi]
	g.pi++
	n := g.covered
	g.covered = 0
	if n == 0 {
		if matches(p.digest, g.allCur, g.allLegacy) {
			return nil
		}
		return g.fail(0, p.seq, fmt.Sprintf("is missing: audit entry %d purged versions of it that the history does not hold (edited outside rasd)", p.seq), "")
	}
	if !matches(p.digest, g.cur, g.legacy) {
		return g.fail(g.firstCov, p.seq, fmt.Sprintf("or a later one differs from what the purge of audit entry %d left (edited outside rasd)", p.seq), "")
	}
	return nil
}

// endGroup ends a record's versions: its purges are all accounted for,
// and its row is queued to be compared with its latest version.
func (rv *recordVerifier) endGroup(ctx context.Context, g *group) error {
	for g.pi < len(g.purges) {
		if err := g.endPurge(); err != nil {
			return err
		}
	}
	last := g.prev
	l := latest{id: g.id, version: last.version, digest: last.eDigest.String,
		seq: last.eSeq.Int64, sealed: jsonHexField(last.snapshot, sealedKey), snapshot: last.snapshot,
		created: g.first.at, createdBy: g.first.actor, updated: last.at, updatedBy: last.actor}
	// A latest version purged in place (an evidence's hash keyed,
	// evidence.go) no longer hashes to its entry's digest: the row is
	// compared with what the purge left, which the purge's digest covers
	// (checked above).
	if scrubbedDigest(last.snapshot) != "" && l.sealed == "" && len(g.purges) > 0 {
		l.kept, l.purgeSeq = last.snapshot, g.purges[len(g.purges)-1].seq
	}
	rv.pending = append(rv.pending, l)
	if len(rv.pending) >= rowBatch {
		return rv.flush(ctx, g.kind)
	}
	return nil
}

// label is what names a record to a person: an incident's code, a
// user's name; "" if the snapshot has neither.
func label(snap string) string {
	var l struct {
		Code     string `json:"code"`
		Username string `json:"username"`
	}
	json.Unmarshal([]byte(snap), &l)
	if l.Code != "" {
		return l.Code
	}
	return l.Username
}

// missingVersion finds the entry recording a version that the history no
// longer holds (the counts differ: some version was deleted).
func (rv *recordVerifier) missingVersion(ctx context.Context) error {
	var seq int64
	var kind, id string
	var version int
	err := rv.q.QueryRow(ctx, `SELECT a.seq, a.kind, a.record_id, a.version FROM audit_log a WHERE a.version > 0
		AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.kind = a.kind AND v.record_id = a.record_id AND v.version = a.version)
		ORDER BY a.seq LIMIT 1`).Scan(&seq, &kind, &id, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("the audit log records %d versions and the history holds %d matching ones, yet none is missing: run 'rasd audit verify' again, and report this", rv.log.creations, rv.matched)
	}
	if err != nil {
		return err
	}
	return &store.RecordError{Kind: kind, ID: id, Version: version, History: true, Seq: seq,
		Reason: fmt.Sprintf("is missing: audit entry %d recorded it, the history no longer holds it (deleted outside rasd)", seq)}
}
