"""manage.py backup_media DIR: copy every stored file (originals and sizes) into a folder.

Take the database dump first, then run this (see docs/operations.md): files are written
before the rows that point at them, so every row in the dump finds its files here.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from photos import backups, storage


class Command(BaseCommand):
    help = "Copy every original and rendition, from local disk or S3, into DIR (incremental)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="backup folder (created if missing)")

    def handle(self, *args, folder: Path, **options) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            backups.backup_media(folder=folder, report=self.stdout.write)
        except storage.StorageUnavailable as exc:
            raise CommandError(exc.message) from None
        except backups.UnsafeKey as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Media backed up to {folder}."))
