-- The database grants no authority: what lets an account or a session act
-- is MACed under a key from the keyring (sqlstore/authority.go). The rows
-- already here get their MACs in this migration's transaction, from Go.
ALTER TABLE users ADD COLUMN auth_mac {{blob}};
ALTER TABLE sessions ADD COLUMN mac {{blob}};
