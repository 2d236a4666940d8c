-- See sqlite/00010_application_kind.sql.
ALTER TABLE applications ADD COLUMN applicant_kind VARCHAR(16) NOT NULL DEFAULT '';
UPDATE applications a JOIN applicants p ON p.id = a.applicant_id SET a.applicant_kind = p.kind;
ALTER TABLE applications DROP INDEX applications_report,
    ADD INDEX applications_report_kind (agency_id, closed_on, received_on, outcome, applicant_kind);
ALTER TABLE applicants DROP INDEX applicants_kind;
