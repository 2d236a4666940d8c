-- The dashboard counts the assisting sections (协办) of the open work by
-- probing application_sections for each open application; with role and
-- section in the index the probe never reads the table row (SQLite keeps
-- rows apart from their primary-key index). At 1,000,000 applications it
-- took the office dashboard from 31 to 20 ms (BENCHMARKS.md).
CREATE INDEX application_sections_role ON application_sections (application_id, role, section_id);
