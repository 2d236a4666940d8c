-- Same tables and columns as sqlite/00008_answers.sql; see the comments there.

CREATE TABLE answer_drafts (
    application_id BIGINT      NOT NULL,
    agency_id      BIGINT      NOT NULL,
    draft_seq      INT         NOT NULL,
    body_enc       MEDIUMBLOB  NOT NULL,
    updated_by     BIGINT      NOT NULL DEFAULT 0,
    updated_at     DATETIME(6) NOT NULL,
    PRIMARY KEY (application_id, draft_seq),
    CONSTRAINT answer_drafts_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT answer_drafts_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE answer_reviews (
    application_id BIGINT      NOT NULL,
    agency_id      BIGINT      NOT NULL,
    draft_seq      INT         NOT NULL,
    body           MEDIUMTEXT  NOT NULL,
    updated_at     DATETIME(6) NOT NULL,
    PRIMARY KEY (application_id, draft_seq),
    CONSTRAINT answer_reviews_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT answer_reviews_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE answer_releases (
    application_id BIGINT NOT NULL,
    attachment_id  BIGINT NOT NULL,
    position       INT    NOT NULL,
    PRIMARY KEY (application_id, attachment_id),
    CONSTRAINT answer_releases_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT answer_releases_attachment FOREIGN KEY (attachment_id) REFERENCES attachments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_files (
    id             BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    application_id BIGINT      NOT NULL,
    agency_id      BIGINT      NOT NULL,
    attachment_id  BIGINT      NOT NULL,
    event_seq      INT         NOT NULL,
    created_by     BIGINT      NOT NULL DEFAULT 0,
    created_at     DATETIME(6) NOT NULL,
    UNIQUE KEY case_files_application (application_id),
    CONSTRAINT case_files_application FOREIGN KEY (application_id) REFERENCES applications (id),
    CONSTRAINT case_files_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT case_files_attachment FOREIGN KEY (attachment_id) REFERENCES attachments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
