"""Album fixtures: a community album owned by alice, with bob as a member."""

import pytest

from albums import services
from albums.models import Membership


def make_album(owner, **fields):
    defaults = {"title": "Harbours", "kind": "community", "join_policy": "open"}
    return services.album_create(owner=owner, **{**defaults, **fields})


def add_member(album, user, role="contributor", status="active"):
    return Membership.objects.create(album=album, user=user, role=role, status=status)


@pytest.fixture
def album(alice):
    return make_album(alice)


_colors = iter(range(1, 10_000))


def photo_of(owner, license="CC-BY-4.0", size=(96, 64), **fields):
    """Upload a small real photo (distinct bytes each time) under a license."""
    from tests.factories import jpeg_bytes, upload

    n = next(_colors)
    color = (n * 37 % 256, n * 91 % 256, n * 53 % 256)
    fields.setdefault("title", f"Photo {n}")
    return upload(owner, jpeg_bytes(size, color), f"p{n}.jpg", license=license, **fields)
