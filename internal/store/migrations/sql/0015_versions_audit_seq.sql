-- Each version names the audit entry that recorded it, so that 'rasd
-- audit verify' can compare every stored snapshot with the digest in its
-- entry by the entry's primary key, without an index on the audit log
-- (which every write would pay for). Existing versions are matched to
-- their entries once, here, through an index that exists only meanwhile.
ALTER TABLE versions ADD COLUMN audit_seq {{bigint}};
CREATE INDEX IF NOT EXISTS audit_log_version_tmp ON audit_log (kind, record_id, version);
UPDATE versions SET audit_seq = (SELECT MIN(a.seq) FROM audit_log a
	WHERE a.kind = versions.kind AND a.record_id = versions.record_id AND a.version = versions.version);
DROP INDEX audit_log_version_tmp;
