-- People at risk (docs/protection.md): one table per record kind of
-- package kinds kept in the protection compartment. Sealed fields hold ''
-- (their text is in sealed_fields); lists are JSON text.

-- Threats against persons.
CREATE TABLE threats (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	occurred_on TEXT NOT NULL DEFAULT '',
	date_precision TEXT NOT NULL DEFAULT '',
	delivery TEXT NOT NULL DEFAULT '',
	severity TEXT NOT NULL DEFAULT '',
	said TEXT NOT NULL DEFAULT '',
	persons TEXT NOT NULL DEFAULT '[]',
	perpetrator_type TEXT NOT NULL DEFAULT '',
	actor TEXT NOT NULL DEFAULT '',
	admin1 TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	reliability TEXT NOT NULL DEFAULT '',
	credibility TEXT NOT NULL DEFAULT '',
	incidents TEXT NOT NULL DEFAULT '[]',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- Hit lists: documents naming people as targets.
CREATE TABLE hit_lists (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	issuer TEXT NOT NULL DEFAULT '',
	appeared_on TEXT NOT NULL DEFAULT '',
	obtained TEXT NOT NULL DEFAULT '',
	obtained_on TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '[]',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- The names on a hit list, in its order.
CREATE TABLE hit_list_entries (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	list_id TEXT NOT NULL DEFAULT '',
	seq INTEGER NOT NULL DEFAULT 0,
	name_written TEXT NOT NULL DEFAULT '',
	person TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- Protection cases: a person at risk.
CREATE TABLE protection_cases (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	code TEXT NOT NULL DEFAULT '',
	person TEXT NOT NULL DEFAULT '',
	risk_level TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '',
	caseworker TEXT NOT NULL DEFAULT '',
	opened_on TEXT NOT NULL DEFAULT '',
	checkin_every INTEGER NOT NULL DEFAULT 0,
	schedule_since TEXT NOT NULL DEFAULT '',
	last_checkin TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- A case's dated risk assessments.
CREATE TABLE assessments (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	case_id TEXT NOT NULL DEFAULT '',
	assessed_on TEXT NOT NULL DEFAULT '',
	risk_level TEXT NOT NULL DEFAULT '',
	assessor TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- A case's protection measures.
CREATE TABLE measures (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	case_id TEXT NOT NULL DEFAULT '',
	measure TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '',
	started_on TEXT NOT NULL DEFAULT '',
	ended_on TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- A case's whereabouts and contact channels over time.
CREATE TABLE moves (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	case_id TEXT NOT NULL DEFAULT '',
	moved_on TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	contacts TEXT NOT NULL DEFAULT '[]',
	note TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

-- A case's check-ins.
CREATE TABLE checkins (
	rid {{rid}},
	id TEXT NOT NULL UNIQUE,
	case_id TEXT NOT NULL DEFAULT '',
	checked_on TEXT NOT NULL DEFAULT '',
	result TEXT NOT NULL DEFAULT '',
	channel TEXT NOT NULL DEFAULT '',
	checked_by TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	visibility TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	created_by TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	search_text TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX protection_cases_code ON protection_cases (code);
CREATE INDEX protection_cases_person ON protection_cases (person);
CREATE INDEX hit_list_entries_list ON hit_list_entries (list_id, seq);
CREATE INDEX hit_list_entries_person ON hit_list_entries (person);
CREATE INDEX assessments_case ON assessments (case_id);
CREATE INDEX measures_case ON measures (case_id);
CREATE INDEX moves_case ON moves (case_id);
CREATE INDEX checkins_case ON checkins (case_id, checked_on);
CREATE INDEX threats_occurred ON threats (occurred_on);
