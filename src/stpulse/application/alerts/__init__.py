"""Alerts (issue 16): rules with thresholds, evaluated after each sync, the notification centre."""
