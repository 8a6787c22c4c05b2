-- The search vocabulary: every distinct word of the incidents' and persons'
-- search texts (normalised, as indexed), with a small full-text index of
-- its own. Search looks a typed prefix up here first and asks the main
-- indexes for the few whole words found, which they answer far faster than
-- the prefix itself (see Match in sqlite.go). Like the history, it keeps
-- the words of texts since edited.
CREATE TABLE search_vocab (
	rid INTEGER PRIMARY KEY,
	term TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_vocab_fts USING fts5 (term, content = 'search_vocab', content_rowid = 'rid',
	tokenize = 'porter unicode61 remove_diacritics 2');

-- A database indexed before this migration: the words as its indexes hold
-- them (stemmed English words, which stem to themselves again).
CREATE VIRTUAL TABLE temp.vocab_incident USING fts5vocab (main, incident_fts, row);
CREATE VIRTUAL TABLE temp.vocab_person USING fts5vocab (main, person_fts, row);
INSERT INTO search_vocab (term) SELECT term FROM temp.vocab_incident UNION SELECT term FROM temp.vocab_person;
INSERT INTO search_vocab_fts (search_vocab_fts) VALUES ('rebuild');
DROP TABLE temp.vocab_incident;
DROP TABLE temp.vocab_person;
