"""Seed demo people and the credited photos in photos/demo/ through the real upload service."""

from __future__ import annotations

import csv
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from photos import services
from photos.ingest import PhotoRejected
from photos.storage import StorageUnavailable

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "brouette-demo"  # noqa: S105 - public on purpose: `make run` prints it

# username -> (display name, password); None means a random one nobody knows.
PEOPLE = {
    "demo": ("Demo Photographer", DEMO_PASSWORD),
    "ines": ("Inès Moreau", None),
    "tomas": ("Tomás Ruiz", None),
}


class Command(BaseCommand):
    help = "Create the demo users and upload the demo photos; safe to run again."

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        rows = read_rows(DEMO_DIR / "photos.csv")
        people = {username: demo_user(username) for username in PEOPLE}
        added = already = 0
        for row in rows:
            outcome = self.upload(row, owner=people[row["owner"]])
            added += outcome == "added"
            already += outcome == "already"
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {added} photos added, {already} already there.")
        )

    def upload(self, row: dict[str, str], *, owner) -> str:
        """Upload one CSV row; return 'added', 'already' or 'failed'."""
        try:
            with open(DEMO_DIR / row["file"], "rb") as fp:
                services.photo_upload(
                    owner=owner,
                    file=fp,
                    original_name=row["file"],
                    title=row["title"],
                    description=row["description"],
                    tags=row["tags"],
                    license=row["license"],
                    visibility="public",
                    creator_name=row["creator"],
                    creator_url=row["creator_url"],
                    source_url=row["source_url"],
                )
        except services.DuplicatePhoto:
            return "already"
        except (PhotoRejected, StorageUnavailable) as exc:
            self.stderr.write(f"{row['file']}: {exc.message}")
            return "failed"
        if self.verbosity > 1:
            self.stdout.write(f"added {row['file']} for {owner.get_username()}")
        return "added"


def read_rows(path: Path) -> list[dict[str, str]]:
    """Return the demo CSV rows, refusing a missing file or an unknown owner."""
    if not path.is_file():
        raise CommandError(f"Demo list not found: {path}")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    strangers = {row["owner"] for row in rows} - PEOPLE.keys()
    if strangers:
        raise CommandError(f"{path.name} names unknown owners: {', '.join(sorted(strangers))}")
    return rows


def demo_user(username: str):
    """Return the demo person, creating them with their profile if missing."""
    existing = get_user_model().objects.filter(username=username).first()
    if existing:
        return existing
    display_name, password = PEOPLE[username]
    user = services.user_signup(
        username=username,
        email=f"{username}@example.org",
        password=password or secrets.token_urlsafe(32),
    )
    services.profile_update(profile=user.profile, display_name=display_name)
    return user
