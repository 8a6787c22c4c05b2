package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/store"
)

// The import check (docs/audit.md, "Imports"). An import's one entry
// commits, by a Merkle root, to the records it created, listed with their
// digests in import_records. Verify checks each record against its row
// there (the record as stored, if nobody changed it since; else its
// version 1 in the history), then recomputes each import's root from the
// rows, which must be its entry's.

// importRef is an import's entry, as the chain check found it.
type importRef struct {
	id          string
	seq         int64
	root, actor string
	seen        bool // its records were found (imports)
}

// importedVersion fills in, for version 1 of a record an import created,
// kept when the record was first changed, what its import's entry and
// import_records row say of it: the version is then checked as any other
// against its entry.
func (rv *recordVerifier) importedVersion(g *group, r *vrow) error {
	imp := rv.log.imports[r.lImport.String]
	if imp == nil {
		return g.fail(1, 0, fmt.Sprintf("names an import (%s) that no audit entry records (written outside rasd)", r.lImport.String), r.snapshot)
	}
	r.eSeq = sql.NullInt64{Int64: imp.seq, Valid: true}
	r.eAt, r.eDigest = r.lAt, r.lDigest
	r.eActor = sql.NullString{String: imp.actor, Valid: true}
	r.eAction = sql.NullString{String: "import", Valid: true}
	r.eKind = sql.NullString{String: g.kind, Valid: true}
	r.eID = sql.NullString{String: g.id, Valid: true}
	r.eVersion = sql.NullInt64{Int64: 1, Valid: true}
	return nil
}

// importedRecords queues for the record check the records of kind that an
// import created and nobody changed since: they have no version in the
// history, and must be, as stored, what their import committed to.
func (rv *recordVerifier) importedRecords(ctx context.Context, kind string) error {
	after := ""
	for {
		rows, err := rv.q.Query(ctx, `SELECT l.record_id, l.import_id, l.at, l.digest FROM import_records l
			WHERE l.kind = ? AND l.record_id > ? AND NOT EXISTS
			(SELECT 1 FROM versions v WHERE v.kind = l.kind AND v.record_id = l.record_id)
			ORDER BY l.record_id LIMIT `+fmt.Sprint(versionPage), kind, after)
		if err != nil {
			return err
		}
		var page []latest
		for rows.Next() {
			var id, importID, at, digest string
			if err := rows.Scan(&id, &importID, &at, &digest); err != nil {
				rows.Close()
				return fmt.Errorf("read import_records: %w", err)
			}
			imp := rv.log.imports[importID]
			if imp == nil {
				rows.Close()
				return &store.RecordError{Kind: kind, ID: id, Version: 1,
					Reason: fmt.Sprintf("names an import (%s) that no audit entry records (written outside rasd)", importID)}
			}
			created, err := parseTime(at)
			if err != nil {
				rows.Close()
				return &store.RecordError{Kind: kind, ID: id, Version: 1, Seq: imp.seq,
					Reason: "has a time of creation in import_records that is not a time (edited outside rasd)"}
			}
			page = append(page, latest{id: id, version: 1, digest: digest, seq: imp.seq, imported: true,
				created: created, updated: created, createdBy: imp.actor, updatedBy: imp.actor})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range page {
			rv.versions++
			rv.imported++
			if rv.pending = append(rv.pending, p); len(rv.pending) >= rowBatch {
				if err := rv.flush(ctx, kind); err != nil {
					return err
				}
			}
		}
		if err := rv.flush(ctx, kind); err != nil {
			return err
		}
		if len(page) < versionPage {
			return nil
		}
		after = page[len(page)-1].id
	}
}

// compareImported compares a record an import created, unchanged since,
// with what its import committed to.
func (rv *recordVerifier) compareImported(p latest, c *current, fail func(string) error) error {
	switch {
	case c == nil:
		return fail(fmt.Sprintf("is gone: the import of audit entry %d created it (deleted outside rasd)", p.seq))
	case c.meta != nil && c.meta.Version != 1:
		return fail(fmt.Sprintf("says it is version %d, but its history holds only the version its import created (edited outside rasd)", c.meta.Version))
	case c.sealed != nil:
		return fail("has sealed text, but its import created it without any and it was not changed since (changed outside rasd)")
	case sha256Hex(c.snapshot) != p.digest:
		return fail(fmt.Sprintf("differs from the record the import of audit entry %d created (changed outside rasd)", p.seq))
	}
	if m := c.meta; m != nil && (!m.CreatedAt.Equal(p.created) || m.CreatedBy != p.createdBy ||
		!m.UpdatedAt.Equal(p.updated) || m.UpdatedBy != p.updatedBy) {
		return fail("does not say when and by whom it was created as its import does (edited outside rasd)")
	}
	return nil
}

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// importPage is how many import_records rows one query of the root check
// reads.
const importPage = 5000

// imports recomputes every import's Merkle root from its import_records
// rows, in leaf order, and compares it with its entry's digest. The
// records themselves were compared with their rows before, so a
// difference here is in the rows: one edited, added or deleted.
func (rv *recordVerifier) imports(ctx context.Context) error {
	var cur *importRef
	var tree audit.Tree
	end := func() error {
		if cur == nil {
			return nil
		}
		root := tree.Root()
		if hex.EncodeToString(root[:]) != cur.root {
			return &audit.Error{Seq: cur.seq, Reason: fmt.Sprintf("the %d records its import created no longer make the Merkle root it recorded: "+
				"a row of import_records was edited, added or deleted outside rasd", tree.Size())}
		}
		return nil
	}
	afterID, afterLeaf := "", int64(math.MinInt64)
	for {
		rows, err := rv.q.Query(ctx, `SELECT import_id, leaf, kind, record_id, at, digest FROM import_records
			WHERE (import_id, leaf) > (?, ?) ORDER BY import_id, leaf LIMIT `+fmt.Sprint(importPage), afterID, afterLeaf)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var importID, kind, id, at, digest string
			var leaf int64
			if err := rows.Scan(&importID, &leaf, &kind, &id, &at, &digest); err != nil {
				rows.Close()
				return fmt.Errorf("read import_records: %w", err)
			}
			n++
			afterID, afterLeaf = importID, leaf
			if cur == nil || importID != cur.id {
				if err := end(); err != nil {
					rows.Close()
					return err
				}
				if cur = rv.log.imports[importID]; cur == nil {
					rows.Close()
					return &store.RecordError{Kind: kind, ID: id, Version: 1,
						Reason: fmt.Sprintf("names an import (%s) that no audit entry records (written outside rasd)", importID)}
				}
				cur.seen, tree = true, audit.Tree{}
			}
			var sum [32]byte
			if b, err := hex.DecodeString(digest); err != nil || len(b) != len(sum) {
				rows.Close()
				return &store.RecordError{Kind: kind, ID: id, Version: 1, Seq: cur.seq,
					Reason: "has a digest in import_records that is not a SHA-256 (edited outside rasd)"}
			} else {
				copy(sum[:], b)
			}
			if leaf != tree.Size() {
				rows.Close()
				return &audit.Error{Seq: cur.seq, Reason: fmt.Sprintf("its import's record %d is missing from import_records, or out of place (edited outside rasd)", tree.Size())}
			}
			tree.Append(audit.RecordLeaf(kind, id, at, sum))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n < importPage {
			break
		}
	}
	if err := end(); err != nil {
		return err
	}
	var unseen []*importRef
	for _, imp := range rv.log.imports {
		if !imp.seen {
			unseen = append(unseen, imp)
		}
	}
	if len(unseen) > 0 {
		sort.Slice(unseen, func(i, j int) bool { return unseen[i].seq < unseen[j].seq })
		return &audit.Error{Seq: unseen[0].seq, Reason: "the records its import created are gone from import_records (deleted outside rasd)"}
	}
	return nil
}
