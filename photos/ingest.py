"""Check an incoming file and learn what it is, before anything is stored.

Every refusal is a ``PhotoRejected`` carrying a machine code, an HTTP status and a sentence;
pages, the API and the import command all show that sentence as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from photos import imaging

_STATUS = {"unsupported_type": 415, "file_too_large": 413}
_CHUNK = 1024 * 1024


class PhotoRejected(Exception):
    """An upload Brouette will not keep, with the reason in words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        return _STATUS.get(self.code, 400)


@dataclass(frozen=True)
class CheckedFile:
    """What we learned of a file that passed every check."""

    sha256: str
    size: int
    info: imaging.ImageInfo


def check_upload(fp: IO[bytes]) -> CheckedFile:
    """Refuse a file that is too big, not an image we accept, too large or broken."""
    size = check_size(fp)
    return check_image(fp, sha256=sha256_of(fp), size=size)


def check_size(fp: IO[bytes], *, size: int | None = None) -> int:
    """Return the file's size, refusing files over the upload limit."""
    size = _measure(fp) if size is None else size
    limit = settings.BROUETTE_MAX_UPLOAD_BYTES
    if size > limit:
        raise PhotoRejected(
            "file_too_large",
            f"This file is {filesizeformat(size)}; the limit is {filesizeformat(limit)}.",
        )
    return size


def check_image(fp: IO[bytes], *, sha256: str, size: int) -> CheckedFile:
    """Sniff the real format and decode the whole image, refusing what fails."""
    try:
        info = imaging.inspect(fp, max_pixels=settings.BROUETTE_MAX_PIXELS)
    except imaging.ImageRejected as exc:
        raise PhotoRejected(exc.code, exc.message) from exc
    finally:
        fp.seek(0)
    return CheckedFile(sha256=sha256, size=size, info=info)


def sha256_of(fp: IO[bytes]) -> str:
    """Return the hex SHA-256 of a file, reading it in chunks."""
    fp.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: fp.read(_CHUNK), b""):
        digest.update(chunk)
    fp.seek(0)
    return digest.hexdigest()


def _measure(fp: IO[bytes]) -> int:
    """Return a file's size in bytes without reading it into memory."""
    fp.seek(0, 2)
    size = fp.tell()
    fp.seek(0)
    return size
