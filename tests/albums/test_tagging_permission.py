"""The tagging choice "members of the albums the photo is in" asks the albums app."""

import pytest
from django.core.exceptions import PermissionDenied

from albums import contributions, services
from photos import tags
from tests.factories import upload

pytestmark = pytest.mark.django_db


def test_members_of_an_album_holding_the_photo_may_tag_it_and_others_may_not(alice, bob, carol):
    album = services.album_create(
        owner=alice, title="Harbours", kind="community", join_policy="open"
    )
    photo = upload(alice, tags="harbour")
    photo.tagging, photo.tag_review = "album-members", False
    photo.save()
    contributions.album_add_photo(album=album, actor=alice, photo=photo)
    services.album_join(album=album, user=bob)
    tags.photo_tag(photo=photo, user=bob, names=["quay"])
    assert "quay" in photo.tags.names()
    with pytest.raises(PermissionDenied, match="Only members of the albums"):
        tags.photo_tag(photo=photo, user=carol, names=["nope"])
