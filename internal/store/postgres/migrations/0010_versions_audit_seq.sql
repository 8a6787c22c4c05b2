-- Each version names the audit entry that recorded it: see SQLite's
-- 0013_versions_audit_seq.sql.
ALTER TABLE versions ADD COLUMN IF NOT EXISTS audit_seq BIGINT;
CREATE INDEX IF NOT EXISTS audit_log_version_tmp ON audit_log (kind, record_id, version);
UPDATE versions SET audit_seq = (SELECT MIN(a.seq) FROM audit_log a
	WHERE a.kind = versions.kind AND a.record_id = versions.record_id AND a.version = versions.version);
DROP INDEX audit_log_version_tmp;
