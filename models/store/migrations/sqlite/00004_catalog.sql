-- The 政府信息公开目录 (条例第十二条): entries, their files, the agency's own
-- categories and the publisher's clearances of pre-publication findings.
-- See models/catalog.go for the rules and models/store/catalog.go.

-- Catalog entries. index_no (索引号) is NULL for a draft that was never
-- published and unique per agency once given. category is a code: a
-- built-in 条例第二十条 category (a20-…) or one of catalog_categories.
-- The validity dates (effective_on, amended_on, repealed_on) are kept so
-- that the table 二 counts of any past year can be reproduced.
-- interprets_id makes the entry the 解读 of another entry (the policy).
CREATE TABLE catalog_entries (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    index_no      TEXT,
    index_year    INTEGER,
    index_seq     INTEGER,
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL,
    generated_on  TEXT    NOT NULL,
    publisher     TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    doc_number    TEXT    NOT NULL DEFAULT '',
    effective_on  TEXT,
    amended_on    TEXT,
    repealed_on   TEXT,
    url           TEXT    NOT NULL DEFAULT '',
    interprets_id INTEGER REFERENCES catalog_entries(id),
    status        TEXT    NOT NULL,
    published_at  DATETIME,
    retired_at    DATETIME,
    retire_reason TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    INTEGER NOT NULL DEFAULT 0,
    updated_by    INTEGER NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    UNIQUE (agency_id, index_no)
);
CREATE INDEX catalog_entries_list       ON catalog_entries (agency_id, status, generated_on);
CREATE INDEX catalog_entries_category   ON catalog_entries (agency_id, category, generated_on);
CREATE INDEX catalog_entries_interprets ON catalog_entries (interprets_id);

-- Files of catalog entries. They are public once the entry is published,
-- so content is stored in clear (unlike attachments). text_content is the text
-- layer the pre-publication checks read (text_layer 'text'), or empty when
-- it cannot be read here (text_layer 'none': the publisher attests).
CREATE TABLE catalog_files (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    entry_id     INTEGER NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    text_layer   TEXT    NOT NULL,
    text_content TEXT    NOT NULL DEFAULT '',
    content      BLOB    NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX catalog_files_entry ON catalog_files (entry_id);

-- Categories an agency adds to the built-in ones. item is the 条例第二十条
-- item (1-15) the category falls under, 0 for none; doc_kind flags the
-- categories table 二 counts ('rule' 规章, 'normative' 行政规范性文件, '').
CREATE TABLE catalog_categories (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    code       TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    item       INTEGER NOT NULL DEFAULT 0,
    doc_kind   TEXT    NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    UNIQUE (agency_id, code),
    UNIQUE (agency_id, label)
);

-- The publisher's reasons for publishing despite a finding of the
-- pre-publication checks, bound to the finding's fingerprint (a hash: the
-- flagged text itself is not stored, only a masked excerpt).
CREATE TABLE catalog_clearances (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    entry_id     INTEGER NOT NULL REFERENCES catalog_entries(id) ON DELETE CASCADE,
    fingerprint  TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    excerpt      TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL,
    cleared_by   INTEGER NOT NULL DEFAULT 0,
    cleared_name TEXT    NOT NULL DEFAULT '',
    cleared_at   DATETIME NOT NULL,
    UNIQUE (entry_id, fingerprint)
);
