-- The office's overview (issue 8): dashboard, reminders, search and the
-- case register. Append-only.

-- A staff account's notification address for the daily digests, an
-- AES-GCM ciphertext like the applicants' e-mail (NULL: none).
ALTER TABLE users ADD COLUMN email_enc BLOB;

-- One row per digest sent: at most one per member of staff and day, however
-- many portal processes run the reminders or however often a failed run is
-- retried. A row is written before the mail goes out and removed again if
-- sending fails, so that a retry sends it.
CREATE TABLE reminder_digests (
    day       TEXT     NOT NULL,
    user_id   INTEGER  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    agency_id INTEGER  NOT NULL REFERENCES agencies(id),
    kind      TEXT     NOT NULL,
    items     INTEGER  NOT NULL DEFAULT 0,
    sent_at   DATETIME NOT NULL,
    PRIMARY KEY (day, user_id)
);

-- The dashboard's and the reminders' count of open work reads only this
-- index: one range per open status, grouped by clock state, due date and
-- lead section; the warning flag finds the few rows whose receipt date the
-- calendar warning needs (models/store/dashboard.go).
CREATE INDEX applications_dashboard ON applications (agency_id, status, clock_state, due_on, calendar_warning, section_id);

-- This year's closed cases (by status and outcome), the answer times per
-- lead section (closing and receipt days) and the search by closing date.
CREATE INDEX applications_closed_stats ON applications (agency_id, closed_on, status, outcome, section_id, received_on);

-- The search by applicant: the beginning of the name.
CREATE INDEX applicants_name ON applicants (agency_id, name);

-- A section's applications (search, section scope) and its assignments of
-- a period (the dashboard's intake per month) without reading the
-- assignment rows.
CREATE INDEX application_sections_lookup ON application_sections (section_id, assigned_on, application_id);
