from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from protocols.transfer import LIBRARY_FIXTURE, LibraryImportError, library_load


class Command(BaseCommand):
    help = (
        "Add the library items of a fixture file (default: fixtures/library.json) that the "
        "database does not have yet, matched by slug. Items already present are never "
        "changed, so the clinic manager's edits, retirements and reordering survive every "
        "run; running it twice adds nothing the second time. A shipped item that clashes "
        "with one of the manager's own (e.g. the same name under another slug) is skipped "
        "and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=LIBRARY_FIXTURE,
            help="Fixture file to load (default: %(default)s).",
        )

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = library_load(path)
        except LibraryImportError as error:
            raise CommandError(str(error)) from error
        for message in result.skipped:
            self.stderr.write(f"Skipped: {message}")
        self.stdout.write(
            f"Library {path.name}: {len(result.added)} added, "
            f"{len(result.unchanged)} already present and left as they are."
        )
