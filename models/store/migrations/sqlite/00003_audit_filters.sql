-- The audit page lists an agency's entries newest first, filtered by
-- action and time (models/store/audit.go); this index serves it without a
-- scan of the whole trail.
CREATE INDEX audit_log_agency ON audit_log (agency_id, action, occurred_at);
