"""manage.py restore_media DIR: put the files of a backup_media folder back into the stores.

Restore the database too, then check with ``manage.py reconcile_storage`` (see
docs/operations.md). Running it twice is harmless.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from photos import backups, storage


class Command(BaseCommand):
    help = "Copy every file of a backup_media folder back to local disk or S3, under its key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by backup_media")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            backups.restore_media(folder=folder, report=self.stdout.write)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except storage.StorageUnavailable as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Media restored from {folder}."))
