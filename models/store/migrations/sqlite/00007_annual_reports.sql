-- The 政府信息公开工作年度报告 (issue 10): what the office enters for a
-- year, the first year's opening balance, cases from before go-live, and
-- the published, locked versions. See models/annualreport.go for the
-- counting rules and models/store/annualreport.go for how they are fed.

-- What the office enters per agency and year: the table 二 figures that
-- come from other systems (条例第二十条第（五）、（六）、（八）项; charges in
-- 分, printed in 万元) and the narrative sections 一、五、六. figures_set and
-- narrative_set say whether the office has saved them; until then the
-- figures are empty and the narrative is generated (models.DraftNarrative).
CREATE TABLE annual_report_inputs (
    agency_id          INTEGER NOT NULL REFERENCES agencies(id),
    year               INTEGER NOT NULL,
    figures_set        INTEGER NOT NULL DEFAULT 0,
    licensing          INTEGER NOT NULL DEFAULT 0,
    penalties          INTEGER NOT NULL DEFAULT 0,
    enforcement        INTEGER NOT NULL DEFAULT 0,
    charges_fen        INTEGER NOT NULL DEFAULT 0,
    narrative_set      INTEGER NOT NULL DEFAULT 0,
    narrative_overview TEXT    NOT NULL DEFAULT '',
    narrative_problems TEXT    NOT NULL DEFAULT '',
    narrative_other    TEXT    NOT NULL DEFAULT '',
    updated_by         INTEGER NOT NULL DEFAULT 0,
    updated_at         DATETIME NOT NULL,
    PRIMARY KEY (agency_id, year)
);

-- The carry-over into the first year of use, per applicant column, from
-- the last report made before the portal (models.OpeningBalance). One per
-- agency.
CREATE TABLE annual_report_openings (
    agency_id  INTEGER PRIMARY KEY REFERENCES agencies(id),
    year       INTEGER NOT NULL,
    person     INTEGER NOT NULL,
    commercial INTEGER NOT NULL,
    research   INTEGER NOT NULL,
    nonprofit  INTEGER NOT NULL,
    legal      INTEGER NOT NULL,
    other_org  INTEGER NOT NULL,
    updated_by INTEGER NOT NULL DEFAULT 0,
    updated_at DATETIME NOT NULL
);

-- Applications handled before the portal went live, imported from a
-- spreadsheet and counted exactly like applications (models.ReportCase).
-- closed_on is NULL and outcome '' while the case is open.
CREATE TABLE legacy_cases (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    ref            TEXT    NOT NULL,
    applicant_kind TEXT    NOT NULL,
    received_on    TEXT    NOT NULL,
    closed_on      TEXT,
    outcome        TEXT    NOT NULL DEFAULT '',
    imported_by    INTEGER NOT NULL DEFAULT 0,
    imported_at    DATETIME NOT NULL,
    UNIQUE (agency_id, ref)
);

-- Published reports: one row per version, never updated. snapshot is the
-- JSON of models.AnnualReport as published (the figures are never
-- recomputed), pdf and xlsx the files as rendered then; the hashes are
-- also written to the audit trail, whose MAC chain makes a later edit of
-- a row detectable. Version 1 is the first publication; version n+1
-- supersedes n with its reason (更正).
CREATE TABLE annual_reports (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    year              INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    agency_name       TEXT    NOT NULL,
    format            TEXT    NOT NULL,
    snapshot          TEXT    NOT NULL,
    snapshot_sha256   TEXT    NOT NULL,
    pdf               BLOB    NOT NULL,
    pdf_sha256        TEXT    NOT NULL,
    xlsx              BLOB    NOT NULL,
    xlsx_sha256       TEXT    NOT NULL,
    reason            TEXT    NOT NULL DEFAULT '',
    published_by      INTEGER NOT NULL,
    published_by_name TEXT    NOT NULL,
    published_at      DATETIME NOT NULL,
    UNIQUE (agency_id, year, version)
);

-- The annual report reads, for every application that touches the year,
-- its closing date, receipt date, outcome and applicant's kind. These two
-- indexes hold all of them (closing date first: the cases of a year are
-- those closed in it or later, and those still open), so the count never
-- reads the wide application and applicant rows.
CREATE INDEX applications_report ON applications (agency_id, closed_on, received_on, outcome, applicant_id);
CREATE INDEX applicants_kind ON applicants (id, kind);
