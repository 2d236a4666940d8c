-- See sqlite/00011_track_revocations.sql.
CREATE TABLE track_revocations (
    session_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at   DATETIME(6) NOT NULL,
    INDEX track_revocations_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
