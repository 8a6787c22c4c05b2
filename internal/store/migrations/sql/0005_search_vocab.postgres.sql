-- PostgreSQL needs no search vocabulary: its GIN indexes over the search
-- column answer prefix queries directly (the SQLite migration of this number
-- adds the vocabulary FTS5 needs).
SELECT 1;
