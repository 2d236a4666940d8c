-- Staged uploads of unsubmitted application forms; see
-- sqlite/00002_staged_uploads.sql.
CREATE TABLE staged_uploads (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id    BIGINT       NOT NULL,
    token_hash   CHAR(64)     NOT NULL,
    kind         VARCHAR(32)  NOT NULL,
    filename     VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size         BIGINT       NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    content      LONGBLOB     NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6)  NOT NULL,
    UNIQUE KEY staged_uploads_file (token_hash, kind, sha256),
    KEY staged_uploads_expiry (expires_at),
    CONSTRAINT staged_uploads_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE INDEX rate_limits_window ON rate_limits (window_start);
