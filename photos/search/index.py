"""Keep the search index in step with the photos: called inside the services' transactions.

Each function rewrites documents from the tables themselves, so calling one twice, or after
a change that did not touch the words, is harmless; a rollback takes the index change back
with the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from photos.models import Photo
from photos.search import backends, keys

BATCH = 5000


def photo_indexed(photo: Photo) -> None:
    """(Re)write one photo's document: after upload, edit, tagging or relicensing."""
    backends.current().write("p.id = %s", [photo.pk])


def photo_removed(photo_id: int) -> None:
    """Drop a photo's document (deletion; the database also does it on cascades)."""
    backends.current().remove([photo_id])


def owner_renamed(owner) -> None:
    """Rewrite the documents of a person's photos after their public name changed."""
    backends.current().write("p.owner_id = %s", [owner.pk])


def rebuild(progress: Callable[[int], None] | None = None, batch: int = BATCH) -> int:
    """Rebuild the whole index in batches; call progress(n) after each; return the count."""
    backend = backends.current()
    total = 0
    with transaction.atomic():
        sync_license_ranks()
        recount()
        backend.clear()
        for where, params, done in backend.batches(batch):
            backend.write(where, params)
            total += done
            if progress:
                progress(done)
    backend.optimize()
    return total


def photos_indexed(photo_ids: list[int]) -> None:
    """(Re)write the documents of several photos (a tag removed across the site)."""
    backend = backends.current()
    for start in range(0, len(photo_ids), 500):
        chunk = photo_ids[start : start + 500]
        backend.write(f"p.id IN ({', '.join(['%s'] * len(chunk))})", chunk)


def sync_license_ranks() -> None:
    """Give every catalogue license a search rank (new ones appended; none ever renumbered)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT license, rank FROM {keys.LICENSE_TABLE}")  # noqa: S608
        missing = keys.missing_ranks(dict(cursor.fetchall()))
        if missing:
            cursor.executemany(
                f"INSERT INTO {keys.LICENSE_TABLE} (license, rank) VALUES (%s, %s)",  # noqa: S608
                missing,
            )


def recount() -> None:
    """Recompute the photo count of every facet code from the photos themselves."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {keys.COUNT_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {keys.COUNT_TABLE} (code, n) "  # noqa: S608
            f"SELECT {keys.code_sql('p')}, COUNT(*) FROM photos_photo p GROUP BY 1"
        )
