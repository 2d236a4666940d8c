-- gongkai schema, version 1 (SQLite). Append-only: never edit a shipped
-- migration; add a new numbered file in both dialect folders instead.
-- Dates that the law counts in days are TEXT 'YYYY-MM-DD' (models.Date);
-- instants are DATETIME in UTC.

-- Agencies: the tenants. Every later row belongs to one agency.
CREATE TABLE agencies (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    office_name          TEXT    NOT NULL DEFAULT '',
    office_address       TEXT    NOT NULL DEFAULT '',
    post_code            TEXT    NOT NULL DEFAULT '',
    office_hours         TEXT    NOT NULL DEFAULT '',
    phone                TEXT    NOT NULL DEFAULT '',
    fax                  TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    website              TEXT    NOT NULL DEFAULT '',
    reconsideration_body TEXT    NOT NULL DEFAULT '',
    court                TEXT    NOT NULL DEFAULT '',
    letter_prefix        TEXT    NOT NULL DEFAULT '',
    seal_image           BLOB,
    host                 TEXT    UNIQUE,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);

-- Agency settings where the law leaves room (clock rules and the like),
-- one row per setting, the value as text.
CREATE TABLE agency_settings (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (agency_id, name)
);

-- Sections (科室) with their routing keywords, one per line.
CREATE TABLE sections (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    name       TEXT    NOT NULL,
    keywords   TEXT    NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    UNIQUE (agency_id, name)
);

-- Staff users, their roles and sections.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    agency_id            INTEGER NOT NULL REFERENCES agencies(id),
    username             TEXT    NOT NULL UNIQUE,
    display_name         TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,
    active               INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         DATETIME,
    last_login_at        DATETIME,
    password_changed_at  DATETIME,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE user_sections (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    PRIMARY KEY (user_id, section_id)
);

-- Staff sessions, shared by every portal process. id is the SHA-256 of the
-- cookie token, so a copy of the table does not hand out sessions.
CREATE TABLE sessions (
    id           TEXT     PRIMARY KEY,
    user_id      INTEGER  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT     NOT NULL,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Applicants: one row per application, as the applicant gave their details
-- that time. Identity and contact fields are AES-GCM ciphertexts (*_enc);
-- match_hash is a keyed hash of the identity that links the same applicant.
CREATE TABLE applicants (
    id                  INTEGER PRIMARY KEY,
    agency_id           INTEGER NOT NULL REFERENCES agencies(id),
    kind                TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    id_type             TEXT    NOT NULL DEFAULT '',
    id_number_enc       BLOB,
    id_number_masked    TEXT    NOT NULL DEFAULT '',
    credit_code         TEXT    NOT NULL DEFAULT '',
    legal_rep           TEXT    NOT NULL DEFAULT '',
    contact_person      TEXT    NOT NULL DEFAULT '',
    phone_enc           BLOB,
    phone_masked        TEXT    NOT NULL DEFAULT '',
    email_enc           BLOB,
    address_enc         BLOB,
    post_code_enc       BLOB,
    agent_name          TEXT    NOT NULL DEFAULT '',
    agent_id_type       TEXT    NOT NULL DEFAULT '',
    agent_id_number_enc BLOB,
    agent_phone_enc     BLOB,
    match_hash          TEXT    NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL
);
CREATE INDEX applicants_match ON applicants (agency_id, match_hash);

-- Applications. The clock columns (due_on … calendar_warning) and status
-- are derived from the ledger and recomputed in the same transaction as
-- every append. The query code is checked against query_code_hash (HMAC);
-- query_code_enc (AES-GCM) only serves to re-send the same code to the
-- contact on record and to answer a repeated submission with the same code.
CREATE TABLE applications (
    id               INTEGER PRIMARY KEY,
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    number           TEXT    NOT NULL UNIQUE,
    year             INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    applicant_id     INTEGER NOT NULL REFERENCES applicants(id),
    channel          TEXT    NOT NULL,
    source           TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL,
    submitted_at     DATETIME NOT NULL,
    received_on      TEXT,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    purpose          TEXT    NOT NULL DEFAULT '',
    form_wanted      TEXT    NOT NULL DEFAULT '',
    delivery         TEXT    NOT NULL DEFAULT '',
    query_code_hash  TEXT    NOT NULL,
    query_code_enc   BLOB,
    idempotency_key  TEXT    UNIQUE,
    due_on           TEXT,
    internal_due_on  TEXT,
    clock_state      TEXT    NOT NULL DEFAULT 'not_started',
    calendar_warning INTEGER NOT NULL DEFAULT 0,
    section_id       INTEGER REFERENCES sections(id),
    outcome          TEXT    NOT NULL DEFAULT '',
    closed_on        TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    UNIQUE (agency_id, year, seq)
);
CREATE INDEX applications_status   ON applications (agency_id, status, due_on);
CREATE INDEX applications_received ON applications (agency_id, received_on);
CREATE INDEX applications_closed   ON applications (agency_id, closed_on);
CREATE INDEX applications_section  ON applications (section_id, status);
CREATE INDEX applications_applicant ON applications (applicant_id);

-- The ledger: append-only, numbered per application. data is JSON
-- (models.EventData).
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    seq            INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    occurred_on    TEXT    NOT NULL,
    recorded_at    DATETIME NOT NULL,
    actor_kind     TEXT    NOT NULL,
    actor_id       INTEGER NOT NULL DEFAULT 0,
    data           TEXT    NOT NULL DEFAULT '{}',
    UNIQUE (application_id, seq)
);
CREATE INDEX application_events_kind ON application_events (agency_id, kind, occurred_on);

-- Files: identity proofs, supporting files, scans, released files, rendered
-- notices. content is an AES-GCM ciphertext, kept in the database so every
-- portal process sees it; sha256 is of the plaintext.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    application_id INTEGER REFERENCES applications(id),
    kind           TEXT    NOT NULL,
    filename       TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    uploader_kind  TEXT    NOT NULL,
    uploader_id    INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL
);
CREATE INDEX attachments_application ON attachments (application_id, kind);

-- The national working-day calendar, shared by all agencies: only the
-- exceptions to Monday–Friday are stored (statutory days off and weekend
-- days designated 调休上班). A year is loaded when it has a calendar_years row.
CREATE TABLE calendar_years (
    year         INTEGER PRIMARY KEY,
    status       TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',
    notice_ref   TEXT    NOT NULL DEFAULT '',
    confirmed_by INTEGER,
    confirmed_at DATETIME,
    updated_at   DATETIME NOT NULL
);

CREATE TABLE calendar_days (
    day  TEXT    PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES calendar_years(year),
    kind TEXT    NOT NULL,
    name TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX calendar_days_year ON calendar_days (year);

-- Notices and letters (告知书, 回执, 答复书), numbered per agency, series and
-- year. body is the JSON the PDF is rendered from, so every notice can be
-- reproduced from the record.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    kind            TEXT    NOT NULL,
    series          TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    number          TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    issued_on       TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    attachment_id   INTEGER REFERENCES attachments(id),
    delivery_method TEXT    NOT NULL DEFAULT '',
    delivered_on    TEXT,
    created_by      INTEGER NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL,
    UNIQUE (agency_id, series, year, seq)
);
CREATE INDEX notices_application ON notices (application_id);

-- Gap-free counters: application numbers and letter numbers per agency and
-- year. Incremented inside the transaction that uses the value.
CREATE TABLE sequences (
    agency_id  INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    last_value INTEGER NOT NULL,
    PRIMARY KEY (agency_id, name, year)
);

-- The audit trail: append-only, each row's mac chains the previous one
-- (HMAC with a key derived from the deployment secret). audit_head holds
-- the chain's end so that concurrent writers serialise on one row.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL DEFAULT 0,
    occurred_at DATETIME NOT NULL,
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT    NOT NULL DEFAULT '',
    client_ip   TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    object_type TEXT    NOT NULL DEFAULT '',
    object_id   TEXT    NOT NULL DEFAULT '',
    before_data TEXT    NOT NULL DEFAULT '',
    after_data  TEXT    NOT NULL DEFAULT '',
    prev_mac    TEXT    NOT NULL,
    mac         TEXT    NOT NULL
);
CREATE INDEX audit_log_actor  ON audit_log (actor_id, occurred_at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    mac     TEXT    NOT NULL
);
INSERT INTO audit_head (id, last_id, mac) VALUES (1, 0, '');

-- Rate limits and lockouts, in the database so that every portal process
-- sees the same counts. bucket is a keyed hash (no IP or number in clear).
CREATE TABLE rate_limits (
    bucket       TEXT     PRIMARY KEY,
    window_start DATETIME NOT NULL,
    hits         INTEGER  NOT NULL,
    locked_until DATETIME
);
