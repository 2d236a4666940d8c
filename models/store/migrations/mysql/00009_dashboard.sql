-- Same tables, columns and indexes as sqlite/00009_dashboard.sql; see the
-- comments there.

ALTER TABLE users ADD COLUMN email_enc BLOB;

CREATE TABLE reminder_digests (
    day       DATE        NOT NULL,
    user_id   BIGINT      NOT NULL,
    agency_id BIGINT      NOT NULL,
    kind      VARCHAR(16) NOT NULL,
    items     INT         NOT NULL DEFAULT 0,
    sent_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (day, user_id),
    CONSTRAINT reminder_digests_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT reminder_digests_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE INDEX applications_dashboard ON applications (agency_id, status, clock_state, due_on, calendar_warning, section_id);

CREATE INDEX applications_closed_stats ON applications (agency_id, closed_on, status, outcome, section_id, received_on);

CREATE INDEX applicants_name ON applicants (agency_id, name);

CREATE INDEX application_sections_lookup ON application_sections (section_id, assigned_on, application_id);
