-- gongkai schema, version 1 (MySQL 8 / MariaDB 10.6+). Same tables and
-- columns as sqlite/00001_init.sql; see the comments there. Append-only.
-- TEXT columns have no DEFAULT (MySQL allows none); the store always writes
-- them. Instants are DATETIME(6) in the DSN's loc; dates are DATE.

CREATE TABLE agencies (
    id                   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code                 VARCHAR(16)  NOT NULL,
    name                 VARCHAR(200) NOT NULL,
    office_name          VARCHAR(200) NOT NULL DEFAULT '',
    office_address       VARCHAR(300) NOT NULL DEFAULT '',
    post_code            VARCHAR(16)  NOT NULL DEFAULT '',
    office_hours         VARCHAR(200) NOT NULL DEFAULT '',
    phone                VARCHAR(100) NOT NULL DEFAULT '',
    fax                  VARCHAR(100) NOT NULL DEFAULT '',
    email                VARCHAR(200) NOT NULL DEFAULT '',
    website              VARCHAR(300) NOT NULL DEFAULT '',
    reconsideration_body VARCHAR(200) NOT NULL DEFAULT '',
    court                VARCHAR(200) NOT NULL DEFAULT '',
    letter_prefix        VARCHAR(50)  NOT NULL DEFAULT '',
    seal_image           MEDIUMBLOB,
    host                 VARCHAR(200),
    created_at           DATETIME(6)  NOT NULL,
    updated_at           DATETIME(6)  NOT NULL,
    UNIQUE KEY agencies_code (code),
    UNIQUE KEY agencies_host (host)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE agency_settings (
    agency_id  BIGINT       NOT NULL,
    name       VARCHAR(100) NOT NULL,
    value      TEXT         NOT NULL,
    updated_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (agency_id, name),
    CONSTRAINT agency_settings_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sections (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id  BIGINT       NOT NULL,
    name       VARCHAR(100) NOT NULL,
    keywords   TEXT         NOT NULL,
    active     TINYINT(1)   NOT NULL DEFAULT 1,
    sort_order INT          NOT NULL DEFAULT 0,
    created_at DATETIME(6)  NOT NULL,
    updated_at DATETIME(6)  NOT NULL,
    UNIQUE KEY sections_name (agency_id, name),
    CONSTRAINT sections_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
    id                   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id            BIGINT       NOT NULL,
    username             VARCHAR(64)  NOT NULL,
    display_name         VARCHAR(100) NOT NULL,
    password_hash        VARCHAR(100) NOT NULL,
    active               TINYINT(1)   NOT NULL DEFAULT 1,
    must_change_password TINYINT(1)   NOT NULL DEFAULT 0,
    failed_logins        INT          NOT NULL DEFAULT 0,
    locked_until         DATETIME(6),
    last_login_at        DATETIME(6),
    password_changed_at  DATETIME(6),
    created_at           DATETIME(6)  NOT NULL,
    updated_at           DATETIME(6)  NOT NULL,
    UNIQUE KEY users_username (username),
    CONSTRAINT users_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_roles (
    user_id BIGINT      NOT NULL,
    role    VARCHAR(32) NOT NULL,
    PRIMARY KEY (user_id, role),
    CONSTRAINT user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_sections (
    user_id    BIGINT NOT NULL,
    section_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, section_id),
    CONSTRAINT user_sections_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT user_sections_section FOREIGN KEY (section_id) REFERENCES sections (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sessions (
    id           VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id      BIGINT      NOT NULL,
    csrf_token   VARCHAR(64) NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    last_seen_at DATETIME(6) NOT NULL,
    expires_at   DATETIME(6) NOT NULL,
    KEY sessions_user (user_id),
    CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE applicants (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id           BIGINT       NOT NULL,
    kind                VARCHAR(16)  NOT NULL,
    name                VARCHAR(200) NOT NULL,
    id_type             VARCHAR(32)  NOT NULL DEFAULT '',
    id_number_enc       BLOB,
    id_number_masked    VARCHAR(64)  NOT NULL DEFAULT '',
    credit_code         VARCHAR(32)  NOT NULL DEFAULT '',
    legal_rep           VARCHAR(100) NOT NULL DEFAULT '',
    contact_person      VARCHAR(100) NOT NULL DEFAULT '',
    phone_enc           BLOB,
    phone_masked        VARCHAR(32)  NOT NULL DEFAULT '',
    email_enc           BLOB,
    address_enc         BLOB,
    post_code_enc       BLOB,
    agent_name          VARCHAR(100) NOT NULL DEFAULT '',
    agent_id_type       VARCHAR(32)  NOT NULL DEFAULT '',
    agent_id_number_enc BLOB,
    agent_phone_enc     BLOB,
    match_hash          VARCHAR(80)  NOT NULL DEFAULT '',
    created_at          DATETIME(6)  NOT NULL,
    KEY applicants_match (agency_id, match_hash),
    CONSTRAINT applicants_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE applications (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id        BIGINT       NOT NULL,
    number           VARCHAR(40)  NOT NULL,
    year             INT          NOT NULL,
    seq              INT          NOT NULL,
    applicant_id     BIGINT       NOT NULL,
    channel          VARCHAR(16)  NOT NULL,
    source           VARCHAR(64)  NOT NULL DEFAULT '',
    status           VARCHAR(16)  NOT NULL,
    submitted_at     DATETIME(6)  NOT NULL,
    received_on      DATE,
    title            VARCHAR(500) NOT NULL,
    description      TEXT         NOT NULL,
    purpose          TEXT         NOT NULL,
    form_wanted      VARCHAR(16)  NOT NULL DEFAULT '',
    delivery         VARCHAR(16)  NOT NULL DEFAULT '',
    query_code_hash  VARCHAR(80)  NOT NULL,
    query_code_enc   BLOB,
    idempotency_key  VARCHAR(64),
    due_on           DATE,
    internal_due_on  DATE,
    clock_state      VARCHAR(16)  NOT NULL DEFAULT 'not_started',
    calendar_warning TINYINT(1)   NOT NULL DEFAULT 0,
    section_id       BIGINT,
    outcome          VARCHAR(40)  NOT NULL DEFAULT '',
    closed_on        DATE,
    version          INT          NOT NULL DEFAULT 1,
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    UNIQUE KEY applications_number (number),
    UNIQUE KEY applications_seq (agency_id, year, seq),
    UNIQUE KEY applications_idempotency (idempotency_key),
    KEY applications_status (agency_id, status, due_on),
    KEY applications_received (agency_id, received_on),
    KEY applications_closed (agency_id, closed_on),
    KEY applications_section (section_id, status),
    KEY applications_applicant (applicant_id),
    CONSTRAINT applications_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT applications_applicant FOREIGN KEY (applicant_id) REFERENCES applicants (id),
    CONSTRAINT applications_section FOREIGN KEY (section_id) REFERENCES sections (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE application_events (
    id             BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    application_id BIGINT      NOT NULL,
    agency_id      BIGINT      NOT NULL,
    seq            INT         NOT NULL,
    kind           VARCHAR(40) NOT NULL,
    occurred_on    DATE        NOT NULL,
    recorded_at    DATETIME(6) NOT NULL,
    actor_kind     VARCHAR(16) NOT NULL,
    actor_id       BIGINT      NOT NULL DEFAULT 0,
    data           TEXT        NOT NULL,
    UNIQUE KEY application_events_seq (application_id, seq),
    KEY application_events_kind (agency_id, kind, occurred_on),
    CONSTRAINT application_events_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT application_events_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE attachments (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id      BIGINT       NOT NULL,
    application_id BIGINT,
    kind           VARCHAR(32)  NOT NULL,
    filename       VARCHAR(255) NOT NULL,
    content_type   VARCHAR(100) NOT NULL,
    size           BIGINT       NOT NULL,
    sha256         CHAR(64)     NOT NULL,
    content        LONGBLOB     NOT NULL,
    uploader_kind  VARCHAR(16)  NOT NULL,
    uploader_id    BIGINT       NOT NULL DEFAULT 0,
    created_at     DATETIME(6)  NOT NULL,
    KEY attachments_application (application_id, kind),
    CONSTRAINT attachments_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT attachments_application FOREIGN KEY (application_id) REFERENCES applications (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE calendar_years (
    year         INT          NOT NULL PRIMARY KEY,
    status       VARCHAR(16)  NOT NULL,
    source       VARCHAR(100) NOT NULL DEFAULT '',
    notice_ref   VARCHAR(200) NOT NULL DEFAULT '',
    confirmed_by BIGINT,
    confirmed_at DATETIME(6),
    updated_at   DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE calendar_days (
    day  DATE        NOT NULL PRIMARY KEY,
    year INT         NOT NULL,
    kind VARCHAR(16) NOT NULL,
    name VARCHAR(50) NOT NULL DEFAULT '',
    KEY calendar_days_year (year),
    CONSTRAINT calendar_days_year FOREIGN KEY (year) REFERENCES calendar_years (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE notices (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id       BIGINT       NOT NULL,
    application_id  BIGINT       NOT NULL,
    kind            VARCHAR(40)  NOT NULL,
    series          VARCHAR(40)  NOT NULL,
    year            INT          NOT NULL,
    seq             INT          NOT NULL,
    number          VARCHAR(100) NOT NULL,
    title           VARCHAR(200) NOT NULL,
    issued_on       DATE         NOT NULL,
    body            MEDIUMTEXT   NOT NULL,
    attachment_id   BIGINT,
    delivery_method VARCHAR(16)  NOT NULL DEFAULT '',
    delivered_on    DATE,
    created_by      BIGINT       NOT NULL DEFAULT 0,
    created_at      DATETIME(6)  NOT NULL,
    UNIQUE KEY notices_number (agency_id, series, year, seq),
    KEY notices_application (application_id),
    CONSTRAINT notices_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT notices_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT notices_attachment FOREIGN KEY (attachment_id) REFERENCES attachments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sequences (
    agency_id  BIGINT      NOT NULL,
    name       VARCHAR(40) NOT NULL,
    year       INT         NOT NULL,
    last_value INT         NOT NULL,
    PRIMARY KEY (agency_id, name, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id   BIGINT       NOT NULL DEFAULT 0,
    occurred_at DATETIME(6)  NOT NULL,
    actor_id    BIGINT       NOT NULL DEFAULT 0,
    actor_name  VARCHAR(100) NOT NULL DEFAULT '',
    client_ip   VARCHAR(64)  NOT NULL DEFAULT '',
    action      VARCHAR(64)  NOT NULL,
    object_type VARCHAR(40)  NOT NULL DEFAULT '',
    object_id   VARCHAR(64)  NOT NULL DEFAULT '',
    before_data MEDIUMTEXT   NOT NULL,
    after_data  MEDIUMTEXT   NOT NULL,
    prev_mac    VARCHAR(64)  NOT NULL,
    mac         VARCHAR(64)  NOT NULL,
    KEY audit_log_actor (actor_id, occurred_at),
    KEY audit_log_object (object_type, object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_head (
    id      INT         NOT NULL PRIMARY KEY,
    last_id BIGINT      NOT NULL,
    mac     VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO audit_head (id, last_id, mac) VALUES (1, 0, '');

CREATE TABLE rate_limits (
    bucket       VARCHAR(100) NOT NULL PRIMARY KEY,
    window_start DATETIME(6)  NOT NULL,
    hits         INT          NOT NULL,
    locked_until DATETIME(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
