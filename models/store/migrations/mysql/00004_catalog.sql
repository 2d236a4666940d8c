-- The 政府信息公开目录: same tables and columns as sqlite/00004_catalog.sql,
-- see the comments there. Dates are DATE, instants DATETIME(6).

CREATE TABLE catalog_entries (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id     BIGINT        NOT NULL,
    index_no      VARCHAR(64),
    index_year    INT,
    index_seq     INT,
    title         VARCHAR(300)  NOT NULL,
    summary       TEXT          NOT NULL,
    generated_on  DATE          NOT NULL,
    publisher     VARCHAR(200)  NOT NULL,
    category      VARCHAR(32)   NOT NULL,
    doc_number    VARCHAR(200)  NOT NULL DEFAULT '',
    effective_on  DATE,
    amended_on    DATE,
    repealed_on   DATE,
    url           VARCHAR(1000) NOT NULL DEFAULT '',
    interprets_id BIGINT,
    status        VARCHAR(16)   NOT NULL,
    published_at  DATETIME(6),
    retired_at    DATETIME(6),
    retire_reason VARCHAR(500)  NOT NULL DEFAULT '',
    version       INT           NOT NULL DEFAULT 1,
    created_by    BIGINT        NOT NULL DEFAULT 0,
    updated_by    BIGINT        NOT NULL DEFAULT 0,
    created_at    DATETIME(6)   NOT NULL,
    updated_at    DATETIME(6)   NOT NULL,
    UNIQUE KEY catalog_entries_index_no (agency_id, index_no),
    KEY catalog_entries_list (agency_id, status, generated_on),
    KEY catalog_entries_category (agency_id, category, generated_on),
    KEY catalog_entries_interprets (interprets_id),
    CONSTRAINT catalog_entries_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT catalog_entries_interprets FOREIGN KEY (interprets_id) REFERENCES catalog_entries (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE catalog_files (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id    BIGINT       NOT NULL,
    entry_id     BIGINT       NOT NULL,
    filename     VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size         BIGINT       NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    text_layer   VARCHAR(8)   NOT NULL,
    text_content LONGTEXT     NOT NULL,
    content      LONGBLOB     NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    KEY catalog_files_entry (entry_id),
    CONSTRAINT catalog_files_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT catalog_files_entry FOREIGN KEY (entry_id) REFERENCES catalog_entries (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE catalog_categories (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id  BIGINT       NOT NULL,
    code       VARCHAR(32)  NOT NULL,
    label      VARCHAR(100) NOT NULL,
    item       INT          NOT NULL DEFAULT 0,
    doc_kind   VARCHAR(16)  NOT NULL DEFAULT '',
    sort_order INT          NOT NULL DEFAULT 0,
    created_at DATETIME(6)  NOT NULL,
    updated_at DATETIME(6)  NOT NULL,
    UNIQUE KEY catalog_categories_code (agency_id, code),
    UNIQUE KEY catalog_categories_label (agency_id, label),
    CONSTRAINT catalog_categories_agency FOREIGN KEY (agency_id) REFERENCES agencies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE catalog_clearances (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agency_id    BIGINT       NOT NULL,
    entry_id     BIGINT       NOT NULL,
    fingerprint  CHAR(32)     NOT NULL,
    kind         VARCHAR(32)  NOT NULL,
    excerpt      VARCHAR(600) NOT NULL DEFAULT '',
    note         TEXT         NOT NULL,
    cleared_by   BIGINT       NOT NULL DEFAULT 0,
    cleared_name VARCHAR(200) NOT NULL DEFAULT '',
    cleared_at   DATETIME(6)  NOT NULL,
    UNIQUE KEY catalog_clearances_fp (entry_id, fingerprint),
    CONSTRAINT catalog_clearances_agency FOREIGN KEY (agency_id) REFERENCES agencies (id),
    CONSTRAINT catalog_clearances_entry FOREIGN KEY (entry_id) REFERENCES catalog_entries (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
