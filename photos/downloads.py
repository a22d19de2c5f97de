"""Files handed out for reuse: the original with its rights stamped in, or one rendition."""

from __future__ import annotations

from dataclasses import dataclass

from licensing import catalogue
from photos import renditions, storage
from photos.attribution import rights_of
from photos.models import Photo
from photos.selectors import can_edit
from photos.stamp import stamp

SIZES = ("original", "xlarge", "large", "medium", "small", "square")
FULL_SIZE = ("original", "xlarge")


class DownloadRefused(Exception):
    """The license or the owner does not allow this download; the message says why."""


@dataclass(frozen=True)
class Download:
    """Where to send the browser (a URL) or what to stream (an open file)."""

    url: str | None = None
    handle: object | None = None
    filename: str = ""


def check_allowed(photo: Photo, size: str, viewer) -> None:
    """Refuse full-size files the license or the owner keeps back (the owner is never refused)."""
    if can_edit(photo, viewer) or size not in FULL_SIZE:
        return
    if photo.license == catalogue.ALL_RIGHTS_RESERVED:
        raise DownloadRefused(
            "All rights are reserved for this photo: its full-size file is not offered for "
            "reuse. Ask the owner for permission."
        )
    if not photo.allow_original_download:
        raise DownloadRefused(
            "The owner does not offer full-size downloads of this photo; sizes up to large are "
            "available."
        )


def download(photo: Photo, size: str, viewer) -> Download:
    """Return the requested file, carrying the photo's current rights in its bytes."""
    check_allowed(photo, size, viewer)
    if size == "original":
        return _original(photo)
    urls = renditions.urls_for(photo)
    if size not in urls:
        raise LookupError(f"This photo has no {size} size (it is smaller, or still processing).")
    return Download(url=urls[size])


def download_key(photo: Photo) -> str:
    """Return the key of the stamped copy of the original for the current rights."""
    return f"downloads/{photo.pk}-v{photo.rights_version}.{photo.format.lower()}"


def _original(photo: Photo) -> Download:
    """Stamp the original once per rights version, then serve that copy."""
    key = download_key(photo)
    filename = f"brouette-{photo.pk}.{photo.format.lower()}"
    if not storage.original_exists(key):
        with storage.open_original(photo.original_key) as fh:
            data = stamp(fh.read(), photo.format, rights_of(photo))
        storage.save_blob(key, data)
        if photo.rights_version > 1:  # the copy stamped with the previous rights is stale
            stale = key.replace(f"-v{photo.rights_version}.", f"-v{photo.rights_version - 1}.")
            storage.delete_original(stale)
    url = storage.original_download_url(key, filename=filename)
    if url:
        return Download(url=url, filename=filename)
    return Download(handle=storage.open_original(key), filename=filename)
