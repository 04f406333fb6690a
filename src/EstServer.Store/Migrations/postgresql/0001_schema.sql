-- V1: the certificate store. Times are UTC unix milliseconds (BIGINT), the values the SQLite schema keeps,
-- so both engines share one row mapping and one set of queries.
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
    not_before           BIGINT  NOT NULL,
    not_after            BIGINT  NOT NULL,
    issued_at            BIGINT  NOT NULL,
    request_id           TEXT    NOT NULL,
    status               TEXT    NOT NULL CHECK (status IN ('good', 'revoked')),
    revoked_at           BIGINT,
    revocation_reason    BIGINT,
    der                  BYTEA   NOT NULL,
    PRIMARY KEY (issuer_key_id, serial)
);

CREATE INDEX certificates_serial ON certificates (serial);
CREATE INDEX certificates_device ON certificates (device_identity, issued_at DESC);
-- "Which devices renew next month": only good certificates are ever asked for by expiry.
CREATE INDEX certificates_expiring ON certificates (not_after) WHERE status = 'good';
-- The CRL lists an issuer's revoked certificates until they expire (RFC 5280 §3.3).
CREATE INDEX certificates_revoked ON certificates (issuer_key_id, not_after) WHERE status = 'revoked';
CREATE INDEX certificates_profile ON certificates (profile, issued_at DESC);
CREATE INDEX certificates_subject ON certificates (lower(subject));
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
    until       BIGINT  NOT NULL
);

CREATE TABLE blocked_devices (
    device_identity TEXT    NOT NULL PRIMARY KEY,
    blocked_at      BIGINT  NOT NULL,
    reason          TEXT    NOT NULL,
    actor           TEXT    NOT NULL
);

-- An identity is never reused; revocations of one issuer are serialised (an advisory lock) so an
-- issuer's revisions also commit in order and its max revision only grows.
CREATE TABLE revocations (
    revision      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issuer_key_id TEXT    NOT NULL,
    serial        TEXT    NOT NULL,
    revoked_at    BIGINT  NOT NULL,
    reason        BIGINT  NOT NULL,
    FOREIGN KEY (issuer_key_id, serial) REFERENCES certificates (issuer_key_id, serial)
);

CREATE INDEX revocations_issuer ON revocations (issuer_key_id, revision);

CREATE TABLE crls (
    issuer_key_id   TEXT    NOT NULL,
    number          BIGINT  NOT NULL,
    covers_revision BIGINT  NOT NULL,
    this_update     BIGINT  NOT NULL,
    next_update     BIGINT  NOT NULL,
    der             BYTEA   NOT NULL,
    PRIMARY KEY (issuer_key_id, number)
);

CREATE TABLE audit (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     BIGINT  NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL
);
