package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// The record check: each record as stored now, serialised as the store
// serialises it when it keeps a version, must hash to the digest of its
// latest version, and its bookkeeping (version, created, updated) must be
// its history's. Records are read rowBatch at a time, by ID.

const rowBatch = 500

// latest is what a record's history says of it now.
type latest struct {
	id                   string
	version              int
	digest               string // of the latest version as kept
	seq                  int64  // its audit entry
	kept                 string // the version as its purge left it, if purged in place
	purgeSeq             int64  // that purge's audit entry
	sealed               string // its sealed_sha256, "" if not sealed
	snapshot             string
	created, updated     time.Time
	createdBy, updatedBy string
	imported             bool // version 1 of a record an import created, stored as the record
}

// current is a record as stored now.
type current struct {
	snapshot []byte      // without the digest of its sealed text
	meta     *model.Meta // nil for kinds without one (evidence)
	sealed   *sealedBox
	macFails bool // an account whose authority MAC fails (authority.go)
}

type sealedBox struct{ compartment, digest string }

func (rv *recordVerifier) flush(ctx context.Context, kind string) error {
	if len(rv.pending) == 0 {
		return nil
	}
	ids := make([]any, len(rv.pending))
	for i, p := range rv.pending {
		ids[i] = p.id
	}
	cur, err := rv.load(ctx, kind, ids)
	if err != nil {
		return fmt.Errorf("read %s records: %w", kind, err)
	}
	for _, p := range rv.pending {
		rv.records++
		if err := rv.compare(kind, p, cur[p.id]); err != nil {
			return err
		}
	}
	rv.pending = rv.pending[:0]
	return nil
}

func (rv *recordVerifier) compare(kind string, p latest, c *current) error {
	fail := func(reason string) error {
		l := label(p.snapshot)
		if l == "" && c != nil {
			l = label(string(c.snapshot))
		}
		return &store.RecordError{Kind: kind, ID: p.id, Label: l, Version: p.version, Seq: p.seq, Reason: reason}
	}
	if p.imported {
		return rv.compareImported(p, c, fail)
	}
	if c == nil {
		return fail("is gone while its history remains (deleted outside rasd)")
	}
	if c.meta != nil && c.meta.Version != p.version {
		return fail(fmt.Sprintf("says it is version %d (edited outside rasd)", c.meta.Version))
	}
	snap := c.snapshot
	if p.sealed != "" {
		snap = withSealedDigest(snap, p.sealed)
	}
	switch {
	case p.kept != "":
		if !sameAsPurged(c.snapshot, p.kept) {
			return fail(fmt.Sprintf("differs from that version as the purge of audit entry %d left it (changed outside rasd)", p.purgeSeq))
		}
	case sha256Hex(snap) != p.digest:
		return fail(fmt.Sprintf("differs from that version as its audit entry %d recorded it (changed outside rasd)", p.seq))
	}
	if (c.sealed != nil) != (p.sealed != "") {
		return fail("has sealed text where its history has none, or none where it has some (changed outside rasd)")
	}
	// Rotating a compartment re-encrypts its sealed text without a new
	// version: only then may the ciphertext differ from the version's.
	if c.sealed != nil && c.sealed.digest != p.sealed && rv.log.rotated[c.sealed.compartment] < p.seq {
		return fail("holds sealed text other than the one its version recorded, and its compartment was not rotated since (replaced outside rasd)")
	}
	if m := c.meta; m != nil && (!m.CreatedAt.Equal(p.created) || m.CreatedBy != p.createdBy ||
		!m.UpdatedAt.Equal(p.updated) || m.UpdatedBy != p.updatedBy) {
		return fail("does not say when and by whom it was created and last changed as its history does (edited outside rasd)")
	}
	// What its snapshot leaves out (password hash, TOTP secret, recovery
	// codes, key pair) only the MAC covers.
	if c.macFails {
		return fail("fails its integrity check (its MAC): what lets the account act was changed outside rasd, and rasd refuses the account")
	}
	return nil
}

// rowWithoutHistory finds a record that has no version at all.
func (rv *recordVerifier) rowWithoutHistory(ctx context.Context, kind, table string) error {
	var id string
	err := rv.q.QueryRow(ctx, `SELECT t.id FROM `+table+` t WHERE NOT EXISTS
		(SELECT 1 FROM versions v WHERE v.kind = ? AND v.record_id = t.id) AND NOT EXISTS
		(SELECT 1 FROM import_records l WHERE l.kind = ? AND l.record_id = t.id) LIMIT 1`, kind, kind).Scan(&id)
	if err == nil {
		return &store.RecordError{Kind: kind, ID: id, Reason: "has no history: it was written outside rasd"}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

func marks(n int) string { return strings.Repeat("?, ", n-1) + "?" }

func (rv *recordVerifier) load(ctx context.Context, kind string, ids []any) (map[string]*current, error) {
	out := map[string]*current{}
	var err error
	switch kind {
	case store.KindIncident:
		err = rv.loadIncidents(ctx, ids, out)
	case store.KindPerson:
		err = rv.loadPersons(ctx, ids, out)
	case store.KindOrganisation:
		err = rv.loadOrganisations(ctx, ids, out)
	case store.KindSource:
		err = rv.loadSources(ctx, ids, out)
	case store.KindInformation:
		err = rv.loadInformation(ctx, ids, out)
	case "user":
		err = rv.loadUsers(ctx, ids, out)
	case store.KindEvidence:
		err = rv.loadEvidence(ctx, ids, out)
	default:
		if l, ok := kindLoaders[kind]; ok {
			err = l(ctx, rv, ids, out)
		} else {
			err = fmt.Errorf("no record check for kind %s", kind)
		}
	}
	if err != nil {
		return nil, err
	}
	// The kinds that can have sealed text (purge.go) keep it as their
	// record group: sources and information too, since they are sealed
	// with their restricted incident (sources.go).
	if sealedPaths[kind] != nil {
		err = rv.loadSealed(ctx, kind, ids, out)
	}
	return out, err
}

// each runs a query and calls fn for each row.
func (rv *recordVerifier) each(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := rv.q.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

func (rv *recordVerifier) loadIncidents(ctx context.Context, ids []any, out map[string]*current) error {
	byRID := map[int64]*model.Incident{}
	var rids []any
	err := rv.each(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id IN (`+marks(len(ids))+`)`, ids, func(scan func(...any) error) error {
		inc, rid, err := scanIncident(scanFunc(scan))
		if err != nil {
			return fmt.Errorf("verify: read incident: %w", err)
		}
		byRID[rid], rids = inc, append(rids, rid)
		return nil
	})
	if err != nil || len(rids) == 0 {
		return err
	}
	err = rv.each(ctx, `SELECT incident_rid, type, grp, modus FROM perpetrators WHERE incident_rid IN (`+marks(len(rids))+`)
		ORDER BY incident_rid, seq`, rids, func(scan func(...any) error) error {
		var rid int64
		var p model.Perpetrator
		if err := scan(&rid, &p.Type, &p.Group, &p.ModusOperandi); err != nil {
			return err
		}
		byRID[rid].Perpetrators = append(byRID[rid].Perpetrators, p)
		return nil
	})
	if err != nil {
		return err
	}
	err = rv.each(ctx, `SELECT v.incident_rid, COALESCE(p.id, ''), v.role, v.outcome FROM victims v
		LEFT JOIN persons p ON p.rid = v.person_rid WHERE v.incident_rid IN (`+marks(len(rids))+`)
		ORDER BY v.incident_rid, v.seq`, rids, func(scan func(...any) error) error {
		var rid int64
		var v model.Victim
		if err := scan(&rid, &v.PersonID, &v.Role, &v.Outcome); err != nil {
			return err
		}
		byRID[rid].Victims = append(byRID[rid].Victims, v)
		return nil
	})
	for _, inc := range byRID {
		out[inc.ID] = &current{snapshot: incidentSnapshot(inc), meta: &inc.Meta}
	}
	return err
}

func (rv *recordVerifier) loadPersons(ctx context.Context, ids []any, out map[string]*current) error {
	return loadKind(ctx, rv, personTable, ids, out)
}

func (rv *recordVerifier) loadOrganisations(ctx context.Context, ids []any, out map[string]*current) error {
	return loadKind(ctx, rv, orgTable, ids, out)
}

// loadKind reads the records of a kind (package kinds) as the store would
// serialise them.
func loadKind[T any](ctx context.Context, rv *recordVerifier, kt *kindTable[T], ids []any, out map[string]*current) error {
	return rv.each(ctx, `SELECT `+kt.cols+` FROM `+kt.table+` WHERE id IN (`+marks(len(ids))+`)`, ids, func(scan func(...any) error) error {
		r, _, err := kt.scan(scanFunc(scan))
		if err == nil {
			out[kt.kind.ID(r)] = &current{snapshot: kt.snapshot(r), meta: kt.kind.Meta(r)}
		}
		return err
	})
}

func (rv *recordVerifier) loadSources(ctx context.Context, ids []any, out map[string]*current) error {
	return rv.each(ctx, `SELECT id, type, reliability, label, version, created_at, updated_at, created_by, updated_by
		FROM sources WHERE id IN (`+marks(len(ids))+`)`, ids, func(scan func(...any) error) error {
		var src model.Source
		if err := scan(&src.ID, &src.Type, &src.Reliability, &src.Label, &src.Version, &src.CreatedAt, &src.UpdatedAt,
			&src.CreatedBy, &src.UpdatedBy); err != nil {
			return err
		}
		c := src
		c.Meta = model.Meta{}
		out[src.ID] = &current{snapshot: snapshot(c), meta: &src.Meta}
		return nil
	})
}

func (rv *recordVerifier) loadInformation(ctx context.Context, ids []any, out map[string]*current) error {
	return rv.each(ctx, `SELECT f.id, COALESCE(i.id, ''), COALESCE(s.id, ''), f.credibility, f.obtained_on, f.summary, f.version,
		f.created_at, f.updated_at, f.created_by, f.updated_by
		FROM information f LEFT JOIN incidents i ON i.rid = f.incident_rid LEFT JOIN sources s ON s.rid = f.source_rid
		WHERE f.id IN (`+marks(len(ids))+`)`, ids, func(scan func(...any) error) error {
		var f model.Information
		if err := scan(&f.ID, &f.IncidentID, &f.SourceID, &f.Credibility, &f.ObtainedOn, &f.Summary,
			&f.Version, &f.CreatedAt, &f.UpdatedAt, &f.CreatedBy, &f.UpdatedBy); err != nil {
			return err
		}
		c := f
		c.Meta = model.Meta{}
		out[f.ID] = &current{snapshot: snapshot(c), meta: &f.Meta}
		return nil
	})
}

// loadUsers reads accounts without refusing a forged one, as every other
// read does: verify names it, as any record changed outside rasd, with
// what differs from its history, or its failed MAC.
func (rv *recordVerifier) loadUsers(ctx context.Context, ids []any, out map[string]*current) error {
	return rv.each(ctx, `SELECT `+userCols+` FROM users u WHERE u.id IN (`+marks(len(ids))+`)`, ids, func(scan func(...any) error) error {
		u, authMAC, keyMAC, err := readUser(scanFunc(scan))
		if err != nil {
			return fmt.Errorf("verify: read user: %w", err)
		}
		out[u.ID] = &current{snapshot: userSnapshot(u), meta: &u.Meta, macFails: rv.s.checkUser(u, authMAC, keyMAC) != nil}
		return nil
	})
}

func (rv *recordVerifier) loadEvidence(ctx context.Context, ids []any, out map[string]*current) error {
	return rv.each(ctx, `SELECT `+evidenceCols+` FROM evidence WHERE id IN (`+marks(len(ids))+`)`, ids, func(scan func(...any) error) error {
		var e model.Evidence
		if err := scan(&e.ID, &e.ParentKind, &e.ParentID, &e.Blob, &e.HashMAC, &e.SHA256Sealed, &e.Size, &e.Type,
			&e.NameSealed, &e.CreatedAt, &e.CreatedBy); err != nil {
			return err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		snap := snapshot(&e)
		if len(e.SHA256Sealed) == 0 {
			// Taken in before hashes were keyed and not converted yet
			// (package evidence converts at its next start): its column
			// and its version still hold the plain SHA-256, under the name
			// the version kept it by.
			snap = bytes.Replace(snap, []byte(`"sha256_hmac":`), []byte(`"sha256":`), 1)
		}
		out[e.ID] = &current{snapshot: snap}
		return nil
	})
}

// loadSealed adds the digests of the records' sealed text.
func (rv *recordVerifier) loadSealed(ctx context.Context, kind string, ids []any, out map[string]*current) error {
	args := append([]any{kind, model.GroupRecord}, ids...)
	return rv.each(ctx, `SELECT record_id, compartment, box FROM sealed_fields WHERE kind = ? AND field_group = ?
		AND record_id IN (`+marks(len(ids))+`)`, args, func(scan func(...any) error) error {
		var id, compartment string
		var box []byte
		if err := scan(&id, &compartment, &box); err != nil {
			return err
		}
		if c := out[id]; c != nil {
			c.sealed = &sealedBox{compartment: compartment, digest: sha256Hex(box)}
		}
		return nil
	})
}

// sameAsPurged reports whether a record's snapshot says what a version
// purged in place keeps, but for the digest the purge added: the purge
// wrote the version again (its own field order), so they are compared
// as decoded.
func sameAsPurged(snap []byte, kept string) bool {
	var a, b map[string]any
	if decodeJSON(snap, &a) != nil || decodeJSON([]byte(kept), &b) != nil {
		return false
	}
	delete(b, scrubbedKey)
	return reflect.DeepEqual(a, b)
}
