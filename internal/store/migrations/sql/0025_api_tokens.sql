-- Personal access tokens of the API (package tokens, docs/api.md): only a
-- keyed hash of each secret is kept, and the row's MAC (sqlstore/tokens.go)
-- binds it to its user, scope, expiry and revocation. last_used_at is
-- bookkeeping outside the MAC.
CREATE TABLE api_tokens (
	id TEXT PRIMARY KEY,
	user_rid {{bigint}} NOT NULL REFERENCES users (rid) ON DELETE CASCADE,
	name TEXT NOT NULL,
	secret_hash TEXT NOT NULL UNIQUE,
	scope TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
	created_at {{time}} NOT NULL,
	expires_at {{time}} NOT NULL,
	revoked_at {{time}},
	last_used_at {{time}},
	mac {{blob}} NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_rid);

-- Counters over fixed windows, in the database so that every server of
-- one database counts together (docs/api.md, "Several servers"): API
-- rate limits and the sign-in slow-down per client. A bucket is a keyed
-- hash, never an address or a name; window_start is Unix seconds.
CREATE TABLE rate_counts (
	bucket TEXT PRIMARY KEY,
	window_start {{bigint}} NOT NULL,
	hits INTEGER NOT NULL
);
