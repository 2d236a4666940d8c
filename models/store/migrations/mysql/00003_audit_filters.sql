-- Same as sqlite/00003_audit_filters.sql.
CREATE INDEX audit_log_agency ON audit_log (agency_id, action, occurred_at);
