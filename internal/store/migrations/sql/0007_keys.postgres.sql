-- Key hierarchy (docs/keys.md): each user's X25519 key pair (private half
-- sealed under their password), compartment keys wrapped to members, and
-- restricted field groups sealed per record. Nothing here is plaintext.
ALTER TABLE users ADD COLUMN public_key BYTEA;
ALTER TABLE users ADD COLUMN sealed_key BYTEA;
-- key_mac, and mac below: what a grant trusts is MACed under a key from the
-- keyring, so that whoever can write to the database cannot substitute a key.
ALTER TABLE users ADD COLUMN key_mac BYTEA;

CREATE TABLE compartments (
	name TEXT PRIMARY KEY,
	version INTEGER NOT NULL CHECK (version > 0)
);

CREATE TABLE compartment_keys (
	compartment TEXT NOT NULL REFERENCES compartments (name),
	version INTEGER NOT NULL,
	member TEXT NOT NULL, -- a user ID, or 'recovery'
	wrapped BYTEA NOT NULL,
	mac BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (compartment, member)
);

CREATE TABLE recovery_key (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	public_key BYTEA NOT NULL,
	mac BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL
);

CREATE TABLE sealed_fields (
	kind TEXT NOT NULL,
	record_id TEXT NOT NULL,
	field_group TEXT NOT NULL,
	compartment TEXT NOT NULL REFERENCES compartments (name),
	key_version INTEGER NOT NULL,
	wrapped_key BYTEA NOT NULL,
	box BYTEA NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (kind, record_id, field_group)
);
CREATE INDEX sealed_fields_compartment ON sealed_fields (compartment);

-- Deleting a record destroys its data key.
CREATE FUNCTION sealed_fields_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM sealed_fields WHERE kind = TG_ARGV[0] AND record_id = OLD.id;
	RETURN OLD;
END $$;
CREATE TRIGGER persons_sealed_delete AFTER DELETE ON persons
	FOR EACH ROW EXECUTE FUNCTION sealed_fields_delete('person');
CREATE TRIGGER sources_sealed_delete AFTER DELETE ON sources
	FOR EACH ROW EXECUTE FUNCTION sealed_fields_delete('source');
