"""/sitemap.xml, parsed with xml.etree: public pages only, with image entries."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.test import Client

from albums import services as album_services
from albums.models import Album
from tests.factories import jpeg_bytes, upload
from tests.reach.conftest import PERSONAS, direct_url, fetch_status

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def sitemap(client: Client | None = None) -> dict[str, list[str]]:
    """Return {page URL: [image URLs]} as a crawler reads them."""
    response = (client or Client()).get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.find("sm:loc", NS).text
        assert loc not in entries
        entries[loc] = [img.text for img in url.findall("image:image/image:loc", NS)]
    return entries


def large_url(photo) -> str:
    return direct_url(photo, "large")


def test_public_photos_people_and_tags_are_listed_with_the_large_image(shots):
    entries = sitemap()
    public = shots["public"]
    assert entries[f"http://testserver/photos/{public.pk}/"] == [large_url(public)]
    # Smaller than the large size: its biggest rendition stands in.
    small = shots["public_arr"]
    assert entries[f"http://testserver/photos/{small.pk}/"] == [direct_url(small, "medium")]
    assert entries["http://testserver/people/alice/"] == []
    assert entries["http://testserver/tags/harbour/"] == []
    assert entries["http://testserver/tags/boats/"] == []


def test_the_image_entry_serves_the_image(shots):
    image = sitemap()[f"http://testserver/photos/{shots['public'].pk}/"][0]
    assert fetch_status(image) == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_unlisted_and_private_photos_never_appear(shots, clients, persona):
    entries = sitemap(clients[persona])
    listed = " ".join([*entries, *(img for imgs in entries.values() for img in imgs)])
    for hidden in ("unlisted", "private"):
        photo = shots[hidden]
        assert f"/photos/{photo.pk}/" not in listed
        for row in photo.renditions.all():
            assert row.key not in listed
    photos = [loc for loc in entries if "/photos/" in loc]
    assert len(photos) == 2


def test_tags_and_people_with_no_public_photo_are_left_out(alice, carol):
    upload(alice, jpeg_bytes((320, 200), (5, 5, 5)), title="a", tags="secret", visibility="private")
    upload(
        carol, jpeg_bytes((320, 200), (6, 6, 6)), title="b", tags="hidden", visibility="unlisted"
    )
    upload(carol, jpeg_bytes((320, 200), (7, 7, 7)), title="c", tags="open")
    entries = sitemap()
    assert "http://testserver/tags/open/" in entries
    assert "http://testserver/people/carol/" in entries
    assert "http://testserver/tags/secret/" not in entries
    assert "http://testserver/tags/hidden/" not in entries
    assert "http://testserver/people/alice/" not in entries


def test_public_albums_are_listed_with_a_public_cover_only(shots, alice):
    open_album = album_services.album_create(owner=alice, title="Quays", visibility="public")
    Album.objects.filter(pk=open_album.pk).update(cover=shots["public"])
    shy_cover = album_services.album_create(owner=alice, title="Shy", visibility="public")
    Album.objects.filter(pk=shy_cover.pk).update(cover=shots["private"])
    unlisted = album_services.album_create(owner=alice, title="Link", visibility="unlisted")
    private = album_services.album_create(owner=alice, title="Mine", visibility="private")
    entries = sitemap()
    assert entries[f"http://testserver/albums/{open_album.pk}/"] == [large_url(shots["public"])]
    assert entries[f"http://testserver/albums/{shy_cover.pk}/"] == []
    assert f"http://testserver/albums/{unlisted.pk}/" not in entries
    assert f"http://testserver/albums/{private.pk}/" not in entries


def test_an_empty_site_has_an_empty_sitemap(db):
    assert sitemap() == {}


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
