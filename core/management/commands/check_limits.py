"""List stored records over today's limits (core/limits.py): run after an upgrade that
lowers a limit, so the records can be shortened before a user meets the message."""

from django.core.management.base import BaseCommand, CommandError

from core.limits_check import records_over_limits


class Command(BaseCommand):
    help = (
        "List stored records whose text or list is longer than the current limits "
        "(model, id, field, size, limit, page). Exits with status 1 when there are any "
        "(with --fail), so a deployment script can stop on them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fail", action="store_true", help="Exit with status 1 when any record is over."
        )

    def handle(self, *args, fail: bool = False, **options):
        found = records_over_limits()
        for record in found:
            self.stdout.write(str(record))
        if not found:
            self.stdout.write("No stored record is over a limit.")
            return
        summary = f"{len(found)} stored value(s) over a limit."
        if fail:
            raise CommandError(summary)
        self.stdout.write(summary)
