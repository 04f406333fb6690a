-- V1: the certificate store. Times are UTC unix milliseconds (INTEGER): compact, ordered, index-friendly,
-- and the same values the PostgreSQL schema keeps as BIGINT, so both engines share one row mapping.
CREATE TABLE certificates (
    serial               TEXT    NOT NULL,
    issuer_key_id        TEXT    NOT NULL,
    issuer               TEXT    NOT NULL,
    subject              TEXT    NOT NULL,
    subject_alt_names    TEXT    NOT NULL,
    spki_sha256          TEXT    NOT NULL,
    requester_subject    TEXT    NOT NULL,
    requester_thumbprint TEXT    NOT NULL,
    device_identity      TEXT    NOT NULL,
    profile              TEXT    NOT NULL,
    profile_version      TEXT    NOT NULL,
    kind                 TEXT    NOT NULL,
    renews_serial        TEXT,
    not_before           INTEGER NOT NULL,
    not_after            INTEGER NOT NULL,
    issued_at            INTEGER NOT NULL,
    request_id           TEXT    NOT NULL,
    status               TEXT    NOT NULL CHECK (status IN ('good', 'revoked')),
    revoked_at           INTEGER,
    revocation_reason    INTEGER,
    der                  BLOB    NOT NULL,
    PRIMARY KEY (issuer_key_id, serial)
);

CREATE INDEX certificates_serial ON certificates (serial);
CREATE INDEX certificates_device ON certificates (device_identity, issued_at DESC);
-- "Which devices renew next month": only good certificates are ever asked for by expiry.
CREATE INDEX certificates_expiring ON certificates (not_after) WHERE status = 'good';
-- The CRL lists an issuer's revoked certificates until they expire (RFC 5280 §3.3).
CREATE INDEX certificates_revoked ON certificates (issuer_key_id, not_after) WHERE status = 'revoked';
CREATE INDEX certificates_profile ON certificates (profile, issued_at DESC);
CREATE INDEX certificates_subject ON certificates (subject COLLATE NOCASE);
CREATE INDEX certificates_spki ON certificates (spki_sha256);
-- Searches come newest first and stop at their limit.
CREATE INDEX certificates_issued_at ON certificates (issued_at DESC);

-- One live certificate per request id (RFC 7030 §4.2.3 retries and redelivered jobs get it again).
CREATE TABLE issued_requests (
    request_id    TEXT NOT NULL PRIMARY KEY,
    issuer_key_id TEXT NOT NULL,
    serial        TEXT NOT NULL,
    FOREIGN KEY (issuer_key_id, serial) REFERENCES certificates (issuer_key_id, serial)
);

CREATE TABLE key_claims (
    spki_sha256 TEXT    NOT NULL PRIMARY KEY,
    owner       TEXT    NOT NULL,
    until       INTEGER NOT NULL
);

CREATE TABLE blocked_devices (
    device_identity TEXT    NOT NULL PRIMARY KEY,
    blocked_at      INTEGER NOT NULL,
    reason          TEXT    NOT NULL,
    actor           TEXT    NOT NULL
);

-- AUTOINCREMENT: a revision is never reused, so an issuer's max revision only grows.
CREATE TABLE revocations (
    revision      INTEGER PRIMARY KEY AUTOINCREMENT,
    issuer_key_id TEXT    NOT NULL,
    serial        TEXT    NOT NULL,
    revoked_at    INTEGER NOT NULL,
    reason        INTEGER NOT NULL,
    FOREIGN KEY (issuer_key_id, serial) REFERENCES certificates (issuer_key_id, serial)
);

CREATE INDEX revocations_issuer ON revocations (issuer_key_id, revision);

CREATE TABLE crls (
    issuer_key_id   TEXT    NOT NULL,
    number          INTEGER NOT NULL,
    covers_revision INTEGER NOT NULL,
    this_update     INTEGER NOT NULL,
    next_update     INTEGER NOT NULL,
    der             BLOB    NOT NULL,
    PRIMARY KEY (issuer_key_id, number)
);

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL
);
