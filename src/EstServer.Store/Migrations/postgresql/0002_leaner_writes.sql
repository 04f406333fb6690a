-- V2: fewer pages written per certificate. Every index whose key is random (a hash, a serial) costs one
-- more page in the WAL at each commit, and the WAL's fsync is the price of every enrollment.
-- Substring searches (LIKE '%…%') never used the subject index, and nothing looks a certificate up by its key
-- (key_claims answers that).
DROP INDEX certificates_subject;
DROP INDEX certificates_spki;

-- A request's certificate is found through the request id the certificate row already carries, instead
-- of a second table (one index instead of a table and its index).
CREATE INDEX certificates_request ON certificates (request_id);
DROP TABLE issued_requests;

-- Bumped in the transaction of every block and unblock, so a host can keep the blocked identities in
-- memory and reload them only when this changes (a max over ids would miss late commits on PostgreSQL).
CREATE TABLE store_revisions (
    name     TEXT    NOT NULL PRIMARY KEY,
    revision BIGINT  NOT NULL
);

INSERT INTO store_revisions (name, revision) VALUES ('blocked_devices', 0);

-- Rebuilt in step with the SQLite script, which needs it there (WITHOUT ROWID: one b-tree instead of
-- two); PostgreSQL's table is the same afterwards, and this keeps the two engines' scripts alike.
CREATE TABLE key_claims_v2 (
    spki_sha256 TEXT    NOT NULL PRIMARY KEY,
    owner       TEXT    NOT NULL,
    until       BIGINT  NOT NULL
);

INSERT INTO key_claims_v2 (spki_sha256, owner, until) SELECT spki_sha256, owner, until FROM key_claims;
DROP TABLE key_claims;
ALTER TABLE key_claims_v2 RENAME TO key_claims;
