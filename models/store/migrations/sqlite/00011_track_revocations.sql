-- Applicants' tracking sessions that were signed out before they expired
-- (see models/store/track_sessions.go). The gk_track cookie is signed and
-- carries a random session id; this table holds the SHA-256 of the ids of
-- sessions ended on the server, so a copy of the cookie taken before the
-- applicant signed out is refused by every portal process. expires_at is
-- the session's absolute end: after it the cookie is refused anyway, and
-- the daily job deletes the row.
CREATE TABLE track_revocations (
    session_hash TEXT     PRIMARY KEY,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX track_revocations_expiry ON track_revocations (expires_at);
