-- Accounts and sessions (web UI), and a search column for organisations.
CREATE TABLE users (
	rid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('documenter', 'analyst', 'protection', 'coordinator', 'admin')),
	lang TEXT NOT NULL DEFAULT 'en',
	password_hash TEXT NOT NULL,
	totp_sealed BLOB,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	recovery_codes TEXT NOT NULL DEFAULT '[]',
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until TIMESTAMP,
	disabled BOOLEAN NOT NULL DEFAULT 0,
	version INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_rid INTEGER NOT NULL REFERENCES users (rid) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	verified BOOLEAN NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL,
	last_seen TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_rid);

ALTER TABLE organisations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX incidents_created_by ON incidents (created_by);
CREATE INDEX incidents_verification ON incidents (verification, date_start);
CREATE INDEX perpetrators_type ON perpetrators (type);
CREATE INDEX victims_role ON victims (role);
