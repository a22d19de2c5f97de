"""Import photos from files and folders: ``manage.py import_photos PATH... --owner USER``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from licensing import catalogue
from photos import services, storage, tagging
from photos.ingest import PhotoRejected
from photos.models import Visibility


def walk(paths: list[str]) -> list[Path]:
    """Return every regular, non-hidden file under the given paths, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CommandError(f"{raw} does not exist.")
        if path.is_file():
            found.append(path)
            continue
        found.extend(
            p
            for p in sorted(path.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return found


class Command(BaseCommand):
    help = "Import image files (folders are walked) for one owner, skipping exact duplicates."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument("--owner", required=True, help="username of the owner")
        parser.add_argument("--license", help="license id (default: the owner's default)")
        parser.add_argument(
            "--tags", default="", help="tags for every photo, e.g. 'paris \"my trip\"'"
        )
        parser.add_argument("--visibility", choices=Visibility.values, help="default: the owner's")

    def handle(self, *args, **options) -> None:
        owner = self._owner(options["owner"])
        license_id = self._license(options["license"])
        try:
            tagging.parse(options["tags"])
        except tagging.TagError as exc:
            raise CommandError(exc.message) from None
        files = walk(options["paths"])
        fields = {
            "tags": options["tags"],
            "license": license_id,
            "visibility": options["visibility"],
        }
        counts: Counter[str] = Counter()
        refused: list[str] = []
        stream = getattr(self.stderr, "_out", None)  # the raw stream: tqdm redraws with \r
        bar = tqdm(
            files, unit="file", desc="Importing", file=stream, disable=options["verbosity"] == 0
        )
        for path in bar:
            outcome, reason = self._import_one(owner, path, fields)
            counts[outcome] += 1
            if reason:
                refused.append(f"  {path}: {reason}")
            bar.set_postfix(imported=counts["imported"], duplicates=counts["duplicate"])
        self._summary(counts, refused)
        if counts["refused"] and not counts["imported"] and not counts["duplicate"]:
            raise CommandError("No file could be imported.")

    def _owner(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}.")
        return user

    def _license(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return catalogue.get(value).id
        except catalogue.UnknownLicense as exc:
            raise CommandError(str(exc)) from None

    def _import_one(self, owner, path: Path, fields: dict) -> tuple[str, str]:
        """Import one file and say how it went: imported, duplicate or refused (why)."""
        try:
            with path.open("rb") as fh:
                services.photo_upload(owner=owner, file=fh, original_name=path.name, **fields)
        except services.DuplicatePhoto:
            return "duplicate", ""
        except PhotoRejected as exc:
            return "refused", exc.message
        except storage.StorageUnavailable as exc:
            return "refused", exc.message
        except OSError as exc:
            return "refused", f"could not read the file ({exc.strerror or exc})."
        return "imported", ""

    def _summary(self, counts: Counter, refused: list[str]) -> None:
        self.stdout.write(
            f"Imported {counts['imported']}, duplicates skipped {counts['duplicate']}, "
            f"refused {counts['refused']}."
        )
        if refused:
            self.stdout.write("Refused:")
            self.stdout.write("\n".join(refused))
