-- The applicant's kind (the annual report's column) on the application row
-- itself: an application's applicant never changes, and the report then
-- counts from one covering index without joining the applicants. Filled
-- for existing rows; written by every insert from now on.
ALTER TABLE applications ADD COLUMN applicant_kind TEXT NOT NULL DEFAULT '';
UPDATE applications SET applicant_kind = (SELECT kind FROM applicants WHERE applicants.id = applications.applicant_id);
DROP INDEX applications_report;
DROP INDEX applicants_kind;
CREATE INDEX applications_report_kind ON applications (agency_id, closed_on, received_on, outcome, applicant_kind);
