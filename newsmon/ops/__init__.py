"""Running unattended: one run at a time, cron, source health, progress, failure wording and log
lines."""
