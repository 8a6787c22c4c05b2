-- Accounts and sessions (web UI), and a search column for organisations.
CREATE TABLE users (
	rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('documenter', 'analyst', 'protection', 'coordinator', 'admin')),
	lang TEXT NOT NULL DEFAULT 'en',
	password_hash TEXT NOT NULL,
	totp_sealed BYTEA,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	recovery_codes TEXT NOT NULL DEFAULT '[]',
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until TIMESTAMPTZ,
	disabled BOOLEAN NOT NULL DEFAULT false,
	version INTEGER NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_rid BIGINT NOT NULL REFERENCES users (rid) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	verified BOOLEAN NOT NULL DEFAULT false,
	created_at TIMESTAMPTZ NOT NULL,
	last_seen TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_rid);

ALTER TABLE organisations ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX incidents_created_by ON incidents (created_by);
CREATE INDEX incidents_verification ON incidents (verification, date_start);
CREATE INDEX perpetrators_type ON perpetrators (type);
CREATE INDEX victims_role ON victims (role);
