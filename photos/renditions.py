"""Make, store, move and point at a photo's renditions."""

from __future__ import annotations

import contextlib
import logging

from django.db import transaction
from django.urls import reverse

from photos import duplicates, imaging, storage
from photos.attribution import rights_of
from photos.models import Photo, Rendition, Status
from photos.stamp import StampError, stamp

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LADDER_NAMES = ("square", "small", "medium", "large", "xlarge")
FORMATS = {"jpg": "JPEG", "webp": "WEBP"}


class RenderFailed(Exception):
    """The original cannot be rendered, and trying again will not help."""


def render(photo: Photo) -> Photo:
    """Make every rendition of a photo, stamp its rights in, store them, mark it ready.

    When only the rights changed (license, credit, tags) the current sizes are re-stamped:
    the pixels are copied byte for byte under the new rights, with no decoding or resizing.
    """
    restamped = _restamped(photo) if photo.status == Status.READY else None
    if restamped is not None:
        _replace_rows(photo, restamped, placeholder=photo.placeholder)
        photo.refresh_from_db()
        return photo
    with storage.open_original(photo.original_key) as fh:
        try:
            result = imaging.make_renditions(fh)
        except imaging.ImageRejected as exc:
            raise RenderFailed(exc.message) from exc
    rights = rights_of(photo)
    rows = []
    for rendition in result.renditions:
        for fmt, data in (("jpg", rendition.jpeg), ("webp", rendition.webp)):
            row = Rendition(
                photo=photo,
                name=rendition.name,
                format=fmt,
                width=rendition.width,
                height=rendition.height,
                key=Rendition.key_for(photo, rendition.name, fmt),
            )
            data = stamp(data, FORMATS[fmt], rights)
            row.bytes = len(data)
            storage.save_rendition(row.key, data, public=photo.is_public)
            rows.append(row)
    _replace_rows(photo, rows, placeholder=result.placeholder)
    if not photo.phash:
        small = next(r for r in result.renditions if r.name == "small")
        duplicates.record_hash(photo, small.jpeg)
    photo.refresh_from_db()
    return photo


def _restamped(photo: Photo) -> list[Rendition] | None:
    """Return the current sizes stamped with the photo's rights under its new keys, or None
    when they cannot be (none yet, already current, a file missing or unreadable)."""
    current = list(photo.renditions.all())
    if not current or any(r.key == Rendition.key_for(photo, r.name, r.format) for r in current):
        return None
    rights, public, rows = rights_of(photo), photo.is_public, []
    try:
        for old in current:
            with storage.open_rendition(old.key, public=public) as fh:
                data = stamp(fh.read(), FORMATS[old.format], rights)
            key = Rendition.key_for(photo, old.name, old.format)
            storage.save_rendition(key, data, public=public)
            rows.append(Rendition(photo=photo, name=old.name, format=old.format, width=old.width,
                                  height=old.height, key=key, bytes=len(data)))  # fmt: skip
    except (storage.StorageUnavailable, StampError) as exc:
        logger.info("photo %s: re-stamping failed (%s); rendering from the original", photo.pk, exc)
        with contextlib.suppress(storage.StorageUnavailable):
            storage.delete_renditions([row.key for row in rows], public=public)
        return None
    return rows


def _replace_rows(photo: Photo, rows: list[Rendition], *, placeholder: str) -> None:
    """Swap in the new rendition rows; drop blobs of the old set once that commits."""
    new_keys = {row.key for row in rows}
    public = photo.is_public
    with transaction.atomic():
        # Renders of one photo run at once when tags or credits change quickly: the row lock
        # makes them take turns, and a render overtaken by a newer rights version steps aside.
        locked = Photo.objects.select_for_update().filter(pk=photo.pk)
        if locked.values_list("rights_version", flat=True).first() != photo.rights_version:
            transaction.on_commit(lambda: storage.delete_renditions(new_keys, public=public))
            return
        old_keys = set(photo.renditions.values_list("key", flat=True)) - new_keys
        photo.renditions.all().delete()
        Rendition.objects.bulk_create(rows)
        Photo.objects.filter(pk=photo.pk).update(
            status=Status.READY, placeholder=placeholder, failure_reason=""
        )
        transaction.on_commit(lambda: storage.delete_renditions(old_keys, public=public))


def mark_failed(photo_id: int, reason: str) -> None:
    """Record that a photo's renditions could not be made, with the reason."""
    Photo.objects.filter(pk=photo_id).update(status=Status.FAILED, failure_reason=reason[:1000])


def move(photo: Photo, *, to_public: bool) -> None:
    """Copy renditions to the store matching the photo's visibility, then drop the old copies."""
    keys = [r.key for r in photo.renditions.all()]
    for key in keys:
        with storage.open_rendition(key, public=not to_public) as fh:
            storage.save_rendition(key, fh.read(), public=to_public)
    storage.delete_renditions(keys, public=not to_public)


def urls_for(photo: Photo, fmt: str = "jpg") -> dict[str, str]:
    """Return {size name: URL} for a ready photo's renditions in one format."""
    urls = {}
    for rendition in photo.renditions.all():
        if rendition.format != fmt:
            continue
        url = storage.rendition_url(rendition.key, public=photo.is_public)
        urls[rendition.name] = url or reverse(
            "rendition", args=[photo.pk, rendition.name, rendition.format]
        )
    return {name: urls[name] for name in LADDER_NAMES if name in urls}


def srcset(photo: Photo, fmt: str) -> str:
    """Return an HTML srcset of a photo's display sizes in one format."""
    urls = urls_for(photo, fmt)
    widths = {r.name: r.width for r in photo.renditions.all() if r.format == fmt}
    return ", ".join(
        f"{urls[name]} {widths[name]}w" for name in ("small", "medium", "large") if name in urls
    )
