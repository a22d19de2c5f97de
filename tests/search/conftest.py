"""Builders for search tests: small photos uploaded through the real service."""

from __future__ import annotations

import itertools

import pytest

from tests.factories import jpeg_bytes, upload

_colours = itertools.count(1)


def make(owner, size=(48, 32), **fields):
    """Upload a small photo with distinct bytes; fields go to photo_upload."""
    n = next(_colours)
    colour = (n * 37 % 256, n * 91 % 256, n * 53 % 256)
    return upload(owner, jpeg_bytes(size, color=colour), name=f"p{n}.jpg", **fields)


@pytest.fixture
def make_photo():
    return make


def ids(result) -> list[int]:
    return [photo.pk for photo in result.photos]
