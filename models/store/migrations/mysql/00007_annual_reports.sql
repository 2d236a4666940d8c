-- The 政府信息公开工作年度报告: same tables and columns as
-- sqlite/00007_annual_reports.sql, see the comments there. Dates are DATE,
-- instants DATETIME(6).

CREATE TABLE annual_report_inputs (
    agency_id          BIGINT      NOT NULL,
    year               INT         NOT NULL,
    figures_set        TINYINT(1)  NOT NULL DEFAULT 0,
    licensing          INT         NOT NULL DEFAULT 0,
    penalties          INT         NOT NULL DEFAULT 0,
    enforcement        INT         NOT NULL DEFAULT 0,
    charges_fen        BIGINT      NOT NULL DEFAULT 0,
    narrative_set      TINYINT(1)  NOT NULL DEFAULT 0,
    narrative_overview MEDIUMTEXT  NOT NULL,
    narrative_problems MEDIUMTEXT  NOT NULL,
    narrative_other    MEDIUMTEXT  NOT NULL,
    updated_by         BIGINT      NOT NULL DEFAULT 0,
    updated_at         DATETIME(6) NOT NULL,
    PRIMARY KEY (agency_id, year),
    CONSTRAINT annual_report_inputs_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE annual_report_openings (
    agency_id  BIGINT      NOT NULL PRIMARY KEY,
    year       INT         NOT NULL,
    person     INT         NOT NULL,
    commercial INT         NOT NULL,
    research   INT         NOT NULL,
    nonprofit  INT         NOT NULL,
    legal      INT         NOT NULL,
    other_org  INT         NOT NULL,
    updated_by BIGINT      NOT NULL DEFAULT 0,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT annual_report_openings_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE legacy_cases (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id      BIGINT       NOT NULL,
    ref            VARCHAR(100) NOT NULL,
    applicant_kind VARCHAR(16)  NOT NULL,
    received_on    DATE         NOT NULL,
    closed_on      DATE,
    outcome        VARCHAR(40)  NOT NULL DEFAULT '',
    imported_by    BIGINT       NOT NULL DEFAULT 0,
    imported_at    DATETIME(6)  NOT NULL,
    UNIQUE KEY legacy_cases_ref (agency_id, ref),
    CONSTRAINT legacy_cases_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE annual_reports (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id         BIGINT       NOT NULL,
    year              INT          NOT NULL,
    version           INT          NOT NULL,
    agency_name       VARCHAR(200) NOT NULL,
    format            VARCHAR(100) NOT NULL,
    snapshot          LONGTEXT     NOT NULL,
    snapshot_sha256   CHAR(64)     NOT NULL,
    pdf               LONGBLOB     NOT NULL,
    pdf_sha256        CHAR(64)     NOT NULL,
    xlsx              LONGBLOB     NOT NULL,
    xlsx_sha256       CHAR(64)     NOT NULL,
    reason            VARCHAR(2000) NOT NULL DEFAULT '',
    published_by      BIGINT       NOT NULL,
    published_by_name VARCHAR(200) NOT NULL,
    published_at      DATETIME(6)  NOT NULL,
    UNIQUE KEY annual_reports_version (agency_id, year, version),
    CONSTRAINT annual_reports_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE INDEX applications_report ON applications (agency_id, closed_on, received_on, outcome, applicant_id);
CREATE INDEX applicants_kind ON applicants (id, kind);
