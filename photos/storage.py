"""The only module that knows where bytes live (local disk or S3) and how to reach them.

Keys are content-addressed: ``ab/abcdef….jpg`` for an original, ``ab/abcdef…/medium.webp``
for a rendition, so identical uploads share their blobs. Vendor errors become one domain
error, ``StorageUnavailable``, with a sentence a person understands.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import IO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)

ORIGINALS = "originals"
PUBLIC_RENDITIONS = "renditions"
PRIVATE_RENDITIONS = "private_renditions"


class StorageUnavailable(Exception):
    """The file store could not be reached or refused the operation."""

    message = "The photo store is not reachable right now; nothing was saved. Please try again."


def _storage_errors() -> tuple[type[BaseException], ...]:
    """Return the exception types that mean 'the store failed', not 'a bug'."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is a hard dependency
        pass
    return tuple(errors)


def is_s3() -> bool:
    """Say whether originals live in S3 (so URLs can be signed and posts presigned)."""
    return _backend(ORIGINALS).endswith("S3Storage")


def _backend(alias: str) -> str:
    return settings.STORAGES[alias]["BACKEND"]


def _store(alias: str) -> Storage:
    return storages[alias]


def rendition_alias(*, public: bool) -> str:
    """Return the alias that holds renditions of a public or a non-public photo."""
    return PUBLIC_RENDITIONS if public else PRIVATE_RENDITIONS


def _guarded(action: str, func, *args, **kwargs):
    """Run a storage call, turning vendor failures into StorageUnavailable."""
    try:
        return func(*args, **kwargs)
    except _storage_errors() as exc:
        logger.warning("storage %s failed: %s", action, exc)
        raise StorageUnavailable(str(exc)) from exc


# --- Originals ---------------------------------------------------------------


def original_exists(key: str) -> bool:
    """Say whether the original blob is present."""
    return _guarded("exists", _store(ORIGINALS).exists, key)


def save_original(key: str, content: IO[bytes]) -> None:
    """Store an original byte for byte, unless identical bytes are already there."""
    if original_exists(key):
        return
    content.seek(0)
    _guarded("save", _store(ORIGINALS).save, key, File(content, name=key))


def save_blob(key: str, data: bytes) -> None:
    """Store bytes in the private store under a key (overwriting)."""
    _guarded("save", _store(ORIGINALS).save, key, ContentFile(data, name=key))


def open_original(key: str) -> IO[bytes]:
    """Open an original for reading."""
    return _guarded("open", _store(ORIGINALS).open, key, "rb")


def delete_original(key: str) -> None:
    """Remove an original blob (callers check no row still points at it)."""
    _guarded("delete", _store(ORIGINALS).delete, key)


def original_download_url(key: str, *, filename: str) -> str | None:
    """Return a short-lived signed URL for an original in S3; None on local disk."""
    if not is_s3():
        return None
    disposition = f'attachment; filename="{_safe_filename(filename)}"'
    store = _store(ORIGINALS)
    return _guarded("sign", store.url, key, parameters={"ResponseContentDisposition": disposition})


def _safe_filename(name: str) -> str:
    """Return a filename safe inside a quoted Content-Disposition header."""
    cleaned = "".join(ch for ch in name if ch.isalnum() or ch in "._- ")
    return cleaned.strip()[:120] or "photo"


# --- Renditions --------------------------------------------------------------


def save_rendition(key: str, data: bytes, *, public: bool) -> None:
    """Store one rendition in the public or the private rendition store."""
    store = _store(rendition_alias(public=public))
    _guarded("save", store.save, key, ContentFile(data, name=key))


def open_rendition(key: str, *, public: bool) -> IO[bytes]:
    """Open a rendition for reading."""
    return _guarded("open", _store(rendition_alias(public=public)).open, key, "rb")


def rendition_exists(key: str, *, public: bool) -> bool:
    """Say whether a rendition blob is present."""
    return _guarded("exists", _store(rendition_alias(public=public)).exists, key)


def delete_renditions(keys: Iterable[str], *, public: bool) -> None:
    """Remove rendition blobs, ignoring those already gone."""
    store = _store(rendition_alias(public=public))
    for key in keys:
        _guarded("delete", store.delete, key)


def move_renditions(keys: Iterable[str], *, to_public: bool) -> None:
    """Move renditions between the public and private stores after a visibility change."""
    keys = list(keys)
    for key in keys:
        with open_rendition(key, public=not to_public) as fh:
            save_rendition(key, fh.read(), public=to_public)
    delete_renditions(keys, public=not to_public)


def rendition_url(key: str, *, public: bool) -> str | None:
    """Return a browser URL for a rendition: public, signed (S3), or None (local private)."""
    if public:
        return _store(PUBLIC_RENDITIONS).url(key)
    if _backend(PRIVATE_RENDITIONS).endswith("S3Storage"):
        return _store(PRIVATE_RENDITIONS).url(key)
    return None


def local_public_root() -> str | None:
    """Return the folder of public renditions on local disk, or None in S3 mode."""
    config = settings.STORAGES[PUBLIC_RENDITIONS]
    if not config["BACKEND"].endswith("FileSystemStorage"):
        return None
    return config["OPTIONS"]["location"]


def browser_origins() -> dict[str, list[str]]:
    """Return the other origins pages load images from and send uploads to (for the CSP)."""
    return _browser_origins(repr(settings.STORAGES))


@functools.lru_cache(maxsize=8)
def _browser_origins(_config: str) -> dict[str, list[str]]:
    """Work the origins out once per storage configuration (signing is local, no request)."""
    if not is_s3():
        return {"img-src": [], "connect-src": []}
    probe = "00/origin-probe.jpg"
    images = {_origin(rendition_url(probe, public=public)) for public in (True, False)}
    uploads = {_origin(presigned_upload(f"{UPLOAD_PREFIX}/probe", max_bytes=1)["url"])}
    return {"img-src": sorted(images - {""}), "connect-src": sorted(uploads - {""})}


def _origin(url: str | None) -> str:
    """Return scheme://host[:port] of an absolute URL, or '' for a path on this site."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# --- Inventory (for reconcile_storage) ----------------------------------------


def list_keys(alias: str, prefix: str = "") -> list[str]:
    """Return every key stored under an alias (recursively), for audits."""
    store = _store(alias)
    keys: list[str] = []
    pending = [prefix]
    while pending:
        folder = pending.pop()
        try:
            dirs, files = _guarded("list", store.listdir, folder)
        except StorageUnavailable as exc:
            if isinstance(exc.__cause__, FileNotFoundError):
                continue  # a local store that has never been written to
            raise
        keys += [f"{folder}/{name}" if folder else name for name in files]
        pending += [f"{folder}/{name}" if folder else name for name in dirs]
    return keys


def modified_at(key: str):
    """Return when a private blob was last written."""
    return _guarded("stat", _store(ORIGINALS).get_modified_time, key)


def delete_keys(alias: str, keys: Iterable[str]) -> None:
    """Remove keys from one store."""
    store = _store(alias)
    for key in keys:
        _guarded("delete", store.delete, key)


# --- Direct browser uploads (S3 only) ----------------------------------------

UPLOAD_PREFIX = "uploads"


def presigned_upload(key: str, *, max_bytes: int, expires: int = 900) -> dict:
    """Return a presigned POST letting a browser put one object at ``key``, size-capped."""
    store = _store(ORIGINALS)
    full_key = f"{store.location}/{key}" if store.location else key
    client = store.connection.meta.client
    return _guarded(
        "presign",
        client.generate_presigned_post,
        Bucket=store.bucket_name,
        Key=full_key,
        Conditions=[["content-length-range", 1, max_bytes], {"key": full_key}],
        ExpiresIn=expires,
    )


def staged_size(key: str) -> int | None:
    """Return the size of a directly uploaded object, or None if it is absent."""
    store = _store(ORIGINALS)
    if not _guarded("exists", store.exists, key):
        return None
    return _guarded("size", store.size, key)
