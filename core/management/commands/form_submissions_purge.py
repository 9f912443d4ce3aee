"""Delete form-token claims older than a day: run daily (cron or the platform's scheduler)."""

from django.core.management.base import BaseCommand

from core.form_tokens import form_submissions_purge


class Command(BaseCommand):
    help = "Delete form submissions older than a form token lives (a day)."

    def handle(self, *args, **options):
        deleted = form_submissions_purge()
        self.stdout.write(f"{deleted} form submission(s) deleted.")
