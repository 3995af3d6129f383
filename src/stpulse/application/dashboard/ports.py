"""The dashboard has no storage of its own: it reads the report tables (application/reports/views)."""
