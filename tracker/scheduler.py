"""Daily jobs: name -> dotted path of an idempotent `job(*, today) -> dict of counts`."""

DAILY_JOBS = {
    "self_report_reminders": "tracker.services.reminders.self_report_reminders_job",
    "clinic_due_digest": "tracker.services.reminders.clinic_digest_job",
}
