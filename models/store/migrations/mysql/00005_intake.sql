-- Same tables and columns as sqlite/00005_intake.sql; see the comments there.

ALTER TABLE notices ADD COLUMN event_seq INT NOT NULL DEFAULT 0, ADD COLUMN delivery_ref VARCHAR(40) NOT NULL DEFAULT '';

CREATE TABLE application_sections (
    application_id  BIGINT      NOT NULL,
    agency_id       BIGINT      NOT NULL,
    section_id      BIGINT      NOT NULL,
    role            VARCHAR(16) NOT NULL,
    assigned_on     DATE        NOT NULL,
    internal_due_on DATE,
    PRIMARY KEY (application_id, section_id),
    KEY application_sections_section (section_id, internal_due_on),
    CONSTRAINT application_sections_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT application_sections_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT application_sections_section FOREIGN KEY (section_id) REFERENCES sections (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE job_leases (
    name         VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder       VARCHAR(200) NOT NULL DEFAULT '',
    leased_until DATETIME(6),
    done_on      DATE,
    updated_at   DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE job_runs (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    day         DATE         NOT NULL,
    holder      VARCHAR(200) NOT NULL,
    started_at  DATETIME(6)  NOT NULL,
    finished_at DATETIME(6),
    result      VARCHAR(16)  NOT NULL,
    summary     TEXT         NOT NULL,
    error       TEXT         NOT NULL,
    KEY job_runs_started (started_at),
    KEY job_runs_name (name, result)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
