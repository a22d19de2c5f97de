"""Builders for test data: images made in memory, uploads through the real service."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image


def jpeg_bytes(size=(640, 480), color=(200, 60, 40), **save) -> bytes:
    """Return a JPEG of one colour."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=90, **save)
    return buf.getvalue()


def png_bytes(size=(64, 64), color=(10, 120, 200, 255)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, color).save(buf, "PNG")
    return buf.getvalue()


def uploaded(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def upload(owner, data: bytes | None = None, name: str = "photo.jpg", **fields):
    """Upload through photo_upload and run what it queues after commit (renditions)."""
    from photos import services

    data = data if data is not None else jpeg_bytes()
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = services.photo_upload(
            owner=owner, file=uploaded(data, name), original_name=name, **fields
        )
    photo.refresh_from_db()
    return photo
