package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/rasd-project/rasd/internal/audit"
	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/store"
)

// An import does not keep a version and an audit entry for each record it
// creates: it writes one entry for all of them, whose digest is the Merkle
// root of their leaves (audit.RecordLeaf), and a row of import_records
// for each, with the digest of the record as created. The record as
// stored is its version 1 until it is first changed; the change then
// keeps that version in the history before its own (keepImported).
// docs/audit.md, "Imports". A record with sealed text keeps its own
// version and entry: what verify compares it with depends on its sealed
// group, which a rotation re-encrypts.

// ImportKind is the kind of an import's entry; its record ID is the
// import's ID.
const ImportKind = "import"

var importRecordsTable = appendTable{"import_records", "kind, record_id, import_id, leaf, at, digest", 6}

// importCommit gathers the leaves of the records one import creates.
type importCommit struct {
	id    string
	actor string
	tree  audit.Tree
}

func newImportCommit(actor string) *importCommit {
	return &importCommit{id: uuid.Must(uuid.NewV7()).String(), actor: actor}
}

// committable reports whether a record of kind may be committed to by an
// import: the kinds whose changes keep version 1 first (updateIncident,
// kindTable.updateAs). Sources, information, accounts and evidence are
// never created by an import.
func committable(kind string) bool {
	switch kind {
	case store.KindSource, store.KindInformation, "user", store.KindEvidence:
		return false
	}
	return true
}

// commitCreation adds r, a record the import is creating, to the import's
// tree instead of keeping a version of it, if it can: it reports whether
// it did.
func (t *Tx) commitCreation(ctx context.Context, r record) (bool, error) {
	c := t.commit
	if c == nil || r.version != 1 || r.previous != nil || !committable(r.kind) ||
		bytes.Contains(r.snapshot, []byte(`"`+sealedKey+`":"`)) {
		return false, nil
	}
	// The write checks the sealed head before anything is committed to, as
	// it does before its first entry.
	if err := t.lockAudit(ctx); err != nil {
		return false, err
	}
	sum := r.digest()
	at := r.at.UTC().Format(time.RFC3339Nano)
	leaf := c.tree.Size()
	c.tree.Append(audit.RecordLeaf(r.kind, r.id, at, sum))
	return true, t.appendRow(ctx, importRecordsTable, r.kind, r.id, c.id, leaf, at, hex.EncodeToString(sum[:]))
}

// finishImport appends the import's entry, if it created any record that
// its tree commits to, and ends the commitment.
func (t *Tx) finishImport(ctx context.Context) error {
	c := t.commit
	t.commit = nil
	if c == nil || c.tree.Size() == 0 {
		return nil
	}
	root := c.tree.Root()
	return t.appendAudit(ctx, audit.Entry{At: t.s.clock(), Actor: c.actor, Action: "import", Kind: ImportKind,
		RecordID: c.id, Digest: hex.EncodeToString(root[:])})
}

// importedFirst is what import_records holds of a record an import
// created: its import, its time of creation and the digest of its
// version 1.
type importedFirst struct {
	importID, at, digest string
}

func (t *Tx) importedFirst(ctx context.Context, kind, id string) (*importedFirst, error) {
	// This transaction's import may have created it.
	if err := t.writeAppends(ctx, importRecordsTable); err != nil {
		return nil, err
	}
	var f importedFirst
	err := t.QueryRow(ctx, `SELECT import_id, at, digest FROM import_records WHERE kind = ? AND record_id = ?`, kind, id).
		Scan(&f.importID, &f.at, &f.digest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &f, err
}

// keepImported keeps version 1 of a record an import created, before its
// first change is written: prev is the record as stored (version 1), m its
// bookkeeping. The version names no entry of its own (audit_seq is NULL):
// its import's entry commits to it, through its import_records row.
func (t *Tx) keepImported(ctx context.Context, kind, id string, prev []byte, m model.Meta) error {
	if m.Version != 1 {
		return nil
	}
	f, err := t.importedFirst(ctx, kind, id)
	if err != nil || f == nil {
		return err
	}
	at, err := time.Parse(time.RFC3339Nano, f.at)
	if err != nil {
		at = m.CreatedAt // edited outside rasd: verify names it
	}
	return t.appendRow(ctx, versionsTable, kind, id, 1, at, m.CreatedBy, "import", "[]", string(prev), nil)
}

// firstImported is version 1 of a record an import created and nobody has
// changed since: the record as stored (History).
func (s *DB) firstImported(ctx context.Context, kind, id string) (*store.Version, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := readTx{tx, s.d}
	var at string
	err = q.QueryRow(ctx, `SELECT at FROM import_records WHERE kind = ? AND record_id = ?`, kind, id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	rv := &recordVerifier{s: s, q: q}
	cur, err := rv.load(ctx, kind, []any{id})
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	c := cur[id]
	if c == nil || c.meta == nil || c.meta.Version != 1 {
		return nil, nil // changed since: its history holds version 1
	}
	return &store.Version{Kind: kind, RecordID: id, Version: 1, At: c.meta.CreatedAt, Actor: c.meta.CreatedBy,
		Action: "import", Changes: []store.Change{}, Snapshot: c.snapshot}, nil
}
