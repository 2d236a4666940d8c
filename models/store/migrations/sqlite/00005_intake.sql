-- Intake and routing (issue 6). Append-only.

-- A notice's ledger event (its seq on the application), and the postal
-- item number of a notice served by post (国办公开办函〔2016〕235号).
ALTER TABLE notices ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN delivery_ref TEXT NOT NULL DEFAULT '';

-- The sections working on an application now (主办 and 协办), derived from
-- the ledger like the clock columns and rewritten in the same transaction
-- as every append, so that a section's list is one indexed query.
-- internal_due_on is the section's internal due date (models.Clock.SectionDueOn).
CREATE TABLE application_sections (
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    section_id      INTEGER NOT NULL REFERENCES sections(id),
    role            TEXT    NOT NULL,
    assigned_on     TEXT    NOT NULL,
    internal_due_on TEXT,
    PRIMARY KEY (application_id, section_id)
);
CREATE INDEX application_sections_section ON application_sections (section_id, internal_due_on);

-- Daily jobs. One lease row per job: the process holding an unexpired lease
-- runs it; done_on marks the day it completed, so that however many portal
-- processes share the database a job runs once a day.
CREATE TABLE job_leases (
    name         TEXT     PRIMARY KEY,
    holder       TEXT     NOT NULL DEFAULT '',
    leased_until DATETIME,
    done_on      TEXT,
    updated_at   DATETIME NOT NULL
);

-- Every run of a job: who ran it, when, and how it ended.
CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    name        TEXT     NOT NULL,
    day         TEXT     NOT NULL,
    holder      TEXT     NOT NULL,
    started_at  DATETIME NOT NULL,
    finished_at DATETIME,
    result      TEXT     NOT NULL,
    summary     TEXT     NOT NULL DEFAULT '',
    error       TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_started ON job_runs (started_at);
CREATE INDEX job_runs_name ON job_runs (name, result);
