-- The JSON API: see sqlite/00006_api.sql.
CREATE TABLE api_clients (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id       BIGINT       NOT NULL,
    name            VARCHAR(100) NOT NULL,
    key_hash        CHAR(64)     NOT NULL,
    key_prefix      VARCHAR(16)  NOT NULL,
    rate_per_minute INT          NOT NULL,
    created_by      BIGINT       NOT NULL DEFAULT 0,
    created_at      DATETIME(6)  NOT NULL,
    revoked_at      DATETIME(6),
    UNIQUE KEY api_clients_key (key_hash),
    KEY api_clients_agency (agency_id),
    CONSTRAINT api_clients_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_tokens (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id      BIGINT       NOT NULL,
    name         VARCHAR(100) NOT NULL,
    key_hash     CHAR(64)     NOT NULL,
    key_prefix   VARCHAR(16)  NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6),
    last_used_at DATETIME(6),
    revoked_at   DATETIME(6),
    UNIQUE KEY api_tokens_key (key_hash),
    KEY api_tokens_user (user_id),
    CONSTRAINT api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
