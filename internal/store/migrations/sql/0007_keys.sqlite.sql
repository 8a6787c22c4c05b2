-- Key hierarchy (docs/keys.md): each user's X25519 key pair (private half
-- sealed under their password), compartment keys wrapped to members, and
-- restricted field groups sealed per record. Nothing here is plaintext.
ALTER TABLE users ADD COLUMN public_key BLOB;
ALTER TABLE users ADD COLUMN sealed_key BLOB;
-- key_mac, and mac below: what a grant trusts is MACed under a key from the
-- keyring, so that whoever can write to the database cannot substitute a key.
ALTER TABLE users ADD COLUMN key_mac BLOB;

CREATE TABLE IF NOT EXISTS compartments (
	name TEXT PRIMARY KEY,
	version INTEGER NOT NULL CHECK (version > 0)
);

CREATE TABLE IF NOT EXISTS compartment_keys (
	compartment TEXT NOT NULL REFERENCES compartments (name),
	version INTEGER NOT NULL,
	member TEXT NOT NULL, -- a user ID, or 'recovery'
	wrapped BLOB NOT NULL,
	mac BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (compartment, member)
);

CREATE TABLE IF NOT EXISTS recovery_key (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	public_key BLOB NOT NULL,
	mac BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sealed_fields (
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	field_group TEXT NOT NULL,
	compartment TEXT NOT NULL REFERENCES compartments (name),
	key_version INTEGER NOT NULL,
	wrapped_key BLOB NOT NULL,
	box BLOB NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (kind, record_id, field_group)
);
CREATE INDEX IF NOT EXISTS sealed_fields_compartment ON sealed_fields (compartment);

-- Deleting a record destroys its data key (secure_delete overwrites it).
CREATE TRIGGER IF NOT EXISTS persons_sealed_delete AFTER DELETE ON persons BEGIN
	DELETE FROM sealed_fields WHERE kind = 'person' AND record_id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS sources_sealed_delete AFTER DELETE ON sources BEGIN
	DELETE FROM sealed_fields WHERE kind = 'source' AND record_id = OLD.id;
END;
