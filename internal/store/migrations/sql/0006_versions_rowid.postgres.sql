-- Nothing to do on PostgreSQL: its versions table was never WITHOUT ROWID
-- (the SQLite migration of this number rebuilds that table).
SELECT 1;
