-- Evidence hashes are keyed (docs/evidence.md, "Hashes"): the sha256
-- column holds an HMAC-SHA256 of the file's SHA-256 under a keyring key,
-- sha256_sealed the plain SHA-256 sealed under another, so that whoever
-- holds the database cannot tell whether a file they hold is among the
-- evidence. Rows taken in before have sha256_sealed NULL and the plain
-- hash in sha256 until the evidence service, which holds the keyring,
-- converts them (when it starts).
ALTER TABLE evidence ADD COLUMN sha256_sealed {{blob}};
