package sqlstore

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/rasd-project/rasd/internal/model"
	"github.com/rasd-project/rasd/internal/vault"
)

// Every compartment key wrap is stored inside an outer layer sealed under
// a key from the data directory's keyring (docs/keys.md, "Bound to the
// keyring"). A member's private key opens the inner wrap, but only a
// store opened with the keyring can reach it: after a wipe, which destroys
// the keyring, no password, recovery share or database content opens any
// compartment key, hence no sealed field. The store adds and removes the
// layer itself, so that every path that writes or reads a wrap (grant,
// rotation, recovery) has it by construction; it still never sees a
// compartment key.

// layerV1 starts a layered wrap; package keys' inner wraps start with 1 or 3.
const layerV1 = 2

// layerKey derives the layer's key from the store's keyring key (the one
// that also seals the audit head), never stored in the database.
func layerKey(auditKey []byte) []byte {
	k, err := hkdf.Key(sha256.New, auditKey, nil, "rasd compartment wrap layer v1", chacha20poly1305.KeySize)
	if err != nil {
		panic(err)
	}
	return k
}

// layerAD binds a layer to the wrap's compartment, key version and member:
// a layer moved onto another row does not open.
func layerAD(w model.Wrap) []byte {
	return []byte(strings.Join([]string{"rasd compartment wrap layer v1", w.Compartment, strconv.Itoa(w.Version), w.Member}, "\x00"))
}

// layer seals w's inner wrap: layerV1 || nonce || XChaCha20-Poly1305
// (package vault).
func (s *DB) layer(w model.Wrap) []byte {
	return append([]byte{layerV1}, vault.Seal(s.layerKey, w.Wrapped, string(layerAD(w)))...)
}

// unlayer opens what layer made of the stored w. A wrap without the layer
// (written outside rasd, or put back from before the upgrade) is refused.
func (s *DB) unlayer(w model.Wrap) ([]byte, error) {
	b := w.Wrapped
	if len(b) < 1 || b[0] != layerV1 {
		return nil, &refusal{what: "compartment " + w.Compartment + ", a member's key wrap not bound to this keyring",
			rows: []refusedRow{{"compartment:" + w.Compartment, w.Member}}}
	}
	inner, err := vault.Open(s.layerKey, b[1:], string(layerAD(w)))
	if err != nil {
		return nil, &refusal{what: "compartment " + w.Compartment + ", a member's key wrap that does not open with this keyring",
			rows: []refusedRow{{"compartment:" + w.Compartment, w.Member}}}
	}
	return inner, nil
}

// layerWraps is the upgrade of a database written before the layer: it
// runs once, as the migration named "wrap_layer", inside that migration's
// transaction, and needs the keyring but no member's key. A wrap whose MAC
// fails is left as it is (and is refused, as before); so is one that
// already has the layer, which makes running it again harmless.
func (t *Tx) layerWraps(ctx context.Context) error {
	rows, err := t.Query(ctx, `SELECT compartment, version, member, wrapped, mac FROM compartment_keys ORDER BY compartment, member`)
	if err != nil {
		return fmt.Errorf("layer wraps: %w", err)
	}
	type old struct {
		w   model.Wrap
		mac []byte
	}
	var todo []old
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.w.Compartment, &o.w.Version, &o.w.Member, &o.w.Wrapped, &o.mac); err != nil {
			rows.Close()
			return fmt.Errorf("layer wraps: %w", err)
		}
		todo = append(todo, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("layer wraps: %w", err)
	}
	for _, o := range todo {
		if !hmac.Equal(o.mac, t.s.wrapMAC(o.w)) {
			continue // someone else's wrap: the layer must not vouch for it
		}
		if _, err := t.s.unlayer(o.w); err == nil {
			continue
		}
		w := o.w
		w.Wrapped = t.s.layer(o.w)
		if _, err := t.Exec(ctx, `UPDATE compartment_keys SET wrapped = ?, mac = ? WHERE compartment = ? AND member = ?`,
			w.Wrapped, t.s.wrapMAC(w), w.Compartment, w.Member); err != nil {
			return fmt.Errorf("layer wraps: %w", err)
		}
		if err := t.keyAudit(ctx, "upgrade", "layer", "compartment:"+w.Compartment, w.Member, w.Wrapped); err != nil {
			return err
		}
	}
	return nil
}
