"""Download an album as a ZIP streamed chunk by chunk: memory stays flat however big it is.

Each file is one rendition as stored (already stamped with its license XMP), read through
photos.storage so it works on local disk and S3 alike. The archive ends with CREDITS.txt and
credits.html; photos whose license or owner forbids sharing them are left out and listed there.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from albums import credits
from albums.models import Album
from albums.selectors import items_visible_to
from licensing import catalogue
from photos import storage
from photos.downloads import FULL_SIZE
from photos.renditions import LADDER_NAMES

logger = logging.getLogger(__name__)

SIZES = LADDER_NAMES  # square, small, medium, large, xlarge: never the original
DEFAULT_SIZE = "large"
CHUNK = 64 * 1024


class _Pipe:
    """A write-only stream: zipfile writes into it, the generator drains what it holds."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


@dataclass(frozen=True)
class Planned:
    """One photo of the export: the rendition to copy, or why it is left out."""

    photo: object
    key: str = ""
    filename: str = ""
    left_out: str = ""


def _left_out_reason(photo, size: str) -> str:
    """Return why a photo may not go into a shared archive, or ''."""
    lic = catalogue.get(photo.license)
    if not lic.allows_redistribution:
        return "all rights are reserved: its owner has not allowed others to share copies."
    if size in FULL_SIZE and not photo.allow_original_download:
        return "its owner does not offer full-size files; choose large or smaller."
    return ""


def _rendition(photo, size: str):
    """Return the JPEG rendition of the chosen size, else the largest smaller one, or None."""
    wanted = LADDER_NAMES.index(size)
    rows = {r.name: r for r in photo.renditions.all() if r.format == "jpg"}
    names = [size] + [n for n in reversed(LADDER_NAMES[1:wanted]) if n != size]
    return next((rows[name] for name in names if name in rows), None)


def plan(album: Album, viewer, size: str = DEFAULT_SIZE) -> list[Planned]:
    """Decide, photo by photo, what goes into the archive (the photos the viewer may see)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}.")
    planned = []
    for index, item in enumerate(items_visible_to(album, viewer), start=1):
        photo = item.photo
        reason = _left_out_reason(photo, size)
        row = None if reason else _rendition(photo, size)
        if not reason and row is None:
            reason = "its sizes are still being made; try again in a moment."
        if reason:
            planned.append(Planned(photo=photo, left_out=reason))
            continue
        stem = slugify(photo.title)[:50] or "photo"
        name = f"{index:03d}-{stem}-{photo.pk}.{row.format}"
        planned.append(Planned(photo=photo, key=row.key, filename=name))
    return planned


def archive_name(album: Album, size: str) -> str:
    """Return the download's file name."""
    return f"{slugify(album.title)[:60] or 'album'}-{size}.zip"


def stream(album: Album, planned: list[Planned], *, request=None) -> Iterator[bytes]:
    """Yield the ZIP archive in chunks: each file is copied piece by piece, never held whole."""
    pipe, entries = _Pipe(), []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:
        for part in planned:
            if part.left_out:
                entries.append(
                    credits.entry_for(part.photo, request=request, left_out=part.left_out)
                )
                continue
            copied = yield from _copy(archive, pipe, part)
            entries.append(
                credits.entry_for(
                    part.photo,
                    request=request,
                    filename=part.filename if copied else "",
                    left_out="" if copied else "the photo store could not be read; try again.",
                )
            )
        archive.writestr("CREDITS.txt", credits.as_text(album.title, entries), zipfile.ZIP_DEFLATED)
        archive.writestr(
            "credits.html", credits.as_html(album.title, entries), zipfile.ZIP_DEFLATED
        )
        yield pipe.drain()
    yield pipe.drain()


def _copy(archive: zipfile.ZipFile, pipe: _Pipe, part: Planned):
    """Copy one rendition into the archive chunk by chunk; return False if it cannot be read."""
    try:
        source = storage.open_rendition(part.key, public=part.photo.is_public)
    except storage.StorageUnavailable:
        logger.warning("export: cannot open %s", part.key)
        return False
    with source, archive.open(part.filename, "w") as target:
        while chunk := source.read(CHUNK):
            target.write(chunk)
            yield pipe.drain()
    yield pipe.drain()
    return True


def response(album: Album, request, size: str) -> StreamingHttpResponse:
    """Answer with the streamed archive of the photos the requester may see."""
    planned = plan(album, request.user, size)
    answer = StreamingHttpResponse(
        stream(album, planned, request=request), content_type="application/zip"
    )
    answer["Content-Disposition"] = f'attachment; filename="{archive_name(album, size)}"'
    answer["Cache-Control"] = "private, no-store"
    return answer
