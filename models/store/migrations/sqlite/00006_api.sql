-- The JSON API: integrating platforms' keys and staff users' tokens. Only
-- the SHA-256 of a key is stored; key_prefix identifies it in lists.
CREATE TABLE api_clients (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    name            TEXT    NOT NULL,
    key_hash        TEXT    NOT NULL UNIQUE,
    key_prefix      TEXT    NOT NULL,
    rate_per_minute INTEGER NOT NULL,
    created_by      INTEGER NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL,
    revoked_at      DATETIME
);
CREATE INDEX api_clients_agency ON api_clients (agency_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    key_prefix   TEXT    NOT NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME,
    last_used_at DATETIME,
    revoked_at   DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
