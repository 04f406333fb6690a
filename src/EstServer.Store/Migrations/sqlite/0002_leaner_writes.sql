-- V2: fewer pages written per certificate. Every index whose key is random (a hash, a serial) costs one
-- more page in the WAL at each commit, and the WAL's fsync is the price of every enrollment.
-- Substring searches (LIKE '%…%') never used the subject index, and nothing looks a certificate up by its key
-- (key_claims answers that).
DROP INDEX certificates_subject;
DROP INDEX certificates_spki;

-- A request's certificate is found through the request id the certificate row already carries, instead
-- of a second table (a table with a text key is two b-trees in SQLite).
CREATE INDEX certificates_request ON certificates (request_id);
DROP TABLE issued_requests;

-- Bumped in the transaction of every block and unblock, so a host can keep the blocked identities in
-- memory and reload them only when this changes (a max over ids would miss late commits on PostgreSQL).
CREATE TABLE store_revisions (
    name     TEXT    NOT NULL PRIMARY KEY,
    revision INTEGER NOT NULL
);

INSERT INTO store_revisions (name, revision) VALUES ('blocked_devices', 0);

-- The key registry keyed by its text key alone: WITHOUT ROWID keeps one b-tree where a rowid table
-- with a text primary key keeps two (the table and its key's index), each a page per commit.
CREATE TABLE key_claims_v2 (
    spki_sha256 TEXT    NOT NULL PRIMARY KEY,
    owner       TEXT    NOT NULL,
    until       INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO key_claims_v2 (spki_sha256, owner, until) SELECT spki_sha256, owner, until FROM key_claims;
DROP TABLE key_claims;
ALTER TABLE key_claims_v2 RENAME TO key_claims;
