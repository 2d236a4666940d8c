-- Answering (issue 7, 条例第三十六条至第四十五条). Append-only.

-- Answer drafts. draft_seq is the Seq of the draft's answer_drafted event
-- (the draft as submitted, kept for the case file and the sign-off); 0 is
-- the lead section's working copy, with the assisting sections'
-- contributions, edited until it is submitted. body is the draft as JSON
-- (models.AnswerDraft), AES-GCM encrypted: a draft may quote what the
-- confidentiality review exists to catch.
CREATE TABLE answer_drafts (
    application_id INTEGER  NOT NULL REFERENCES applications(id),
    agency_id      INTEGER  NOT NULL REFERENCES agencies(id),
    draft_seq      INTEGER  NOT NULL,
    body_enc       BLOB     NOT NULL,
    updated_by     INTEGER  NOT NULL DEFAULT 0,
    updated_at     DATETIME NOT NULL,
    PRIMARY KEY (application_id, draft_seq)
);

-- The confidentiality review (保密审查) of each submitted draft, as JSON
-- (models.Review): sources, findings with their place and masked text, and
-- the reviewer's decisions. It holds no clear personal data.
CREATE TABLE answer_reviews (
    application_id INTEGER  NOT NULL REFERENCES applications(id),
    agency_id      INTEGER  NOT NULL REFERENCES agencies(id),
    draft_seq      INTEGER  NOT NULL,
    body           TEXT     NOT NULL,
    updated_at     DATETIME NOT NULL,
    PRIMARY KEY (application_id, draft_seq)
);

-- The files released with the issued answer, in the letter's order: the
-- originals the review let through and the redacted replacements. Only
-- these are offered on the applicant's tracking page.
CREATE TABLE answer_releases (
    application_id INTEGER NOT NULL REFERENCES applications(id),
    attachment_id  INTEGER NOT NULL REFERENCES attachments(id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (application_id, attachment_id)
);

-- The case file (案卷) stored when the application was archived
-- (条例第四十五条): the PDF is an attachment; event_seq is the archived event.
CREATE TABLE case_files (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER  NOT NULL UNIQUE REFERENCES applications(id),
    agency_id      INTEGER  NOT NULL REFERENCES agencies(id),
    attachment_id  INTEGER  NOT NULL REFERENCES attachments(id),
    event_seq      INTEGER  NOT NULL,
    created_by     INTEGER  NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL
);
