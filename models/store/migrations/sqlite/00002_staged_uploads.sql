-- Files uploaded with an application form that has not been submitted yet
-- (a failed submission keeps them, so the applicant need not choose them
-- again). Tied to the form's one-time token, stored as its SHA-256
-- (token_hash), never in clear. content is an AES-GCM ciphertext like
-- attachments.content. Rows expire (expires_at, 24 hours after upload) and
-- are deleted when the form is submitted or the next upload purges them.
CREATE TABLE staged_uploads (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    token_hash   TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
-- One copy of a file per form and field: a double click posts the same
-- files twice at once, and the second copy is refused by this key.
CREATE UNIQUE INDEX staged_uploads_file ON staged_uploads (token_hash, kind, sha256);
CREATE INDEX staged_uploads_expiry ON staged_uploads (expires_at);

-- Rate-limit rows are purged by age.
CREATE INDEX rate_limits_window ON rate_limits (window_start);
