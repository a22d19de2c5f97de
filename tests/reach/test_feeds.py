"""Atom feeds, read with feedparser: every entry's image, author, license and credit."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client

from licensing import catalogue
from photos import feeds, tag_queries
from photos.models import Tag
from tests.factories import jpeg_bytes, upload
from tests.reach.conftest import PERSONAS, direct_url, head_of

pytestmark = pytest.mark.django_db

FEEDS = ("/feeds/user/alice/", "/feeds/tag/harbour/")


def parse(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def titles(feed) -> set[str]:
    return {entry.title for entry in feed.entries}


@pytest.mark.parametrize("url", FEEDS)
def test_every_entry_carries_its_license_author_image_and_credit(shots, url):
    feed = parse(Client(), url)
    by_title = {"Harbour at dawn": shots["public"], "Nets": shots["public_arr"]}
    assert titles(feed) == set(by_title)
    for entry in feed.entries:
        photo = by_title[entry.title]
        lic = catalogue.get(photo.license)
        assert entry.author == "Alice Liddell"
        assert entry.author_detail.href == "http://testserver/people/alice/"
        assert entry.link == f"http://testserver/photos/{photo.pk}/"
        if lic.url:
            assert entry.license == lic.url  # <link rel="license">
            assert entry.media_license["href"] == lic.url
        else:  # no deed to link to: feedparser reads the media:license words instead
            assert entry.license == entry.media_license["content"] == "All rights reserved"
            assert not [link for link in entry.links if link.rel == "license"]
        assert entry.media_credit[0]["content"] == "Alice Liddell"
        assert entry.media_credit[0]["role"] == "photographer"
        medium = photo.renditions.get(name="medium", format="jpg")
        (content,) = entry.media_content
        assert content["medium"] == "image"
        assert (content["width"], content["height"]) == (str(medium.width), str(medium.height))
        assert content["url"] == direct_url(photo, "medium")
        (enclosure,) = entry.enclosures
        assert (enclosure.href, enclosure.type) == (content["url"], "image/jpeg")
        assert enclosure.length == str(medium.bytes)
        html = entry.content[0].value
        assert entry.content[0].type == "text/html"
        assert 'class="attribution"' in html
        assert f'src="{content["url"]}"' in html
        if lic.url:
            assert f'href="{lic.url}" rel="license' in html
        else:
            assert "all rights reserved" in html


def test_the_license_name_travels_with_media_license(shots):
    feed = parse(Client(), "/feeds/user/alice/")
    raw = Client().get("/feeds/user/alice/").content.decode()
    assert (
        '<media:license href="https://creativecommons.org/licenses/by-sa/4.0/" '
        'type="text/html">CC BY-SA 4.0</media:license>'
    ) in raw
    assert "<media:license>All rights reserved</media:license>" in raw
    # feedparser sanitises RDFa away; the feed itself carries the credit's CC REL markup.
    assert 'property="cc:attributionName"' in raw
    assert len(feed.entries) == 2


def test_the_description_is_escaped_into_the_content(alice):
    upload(alice, title="<b>Bold</b> & co", description="<script>x()</script>", tags="harbour")
    feed = parse(Client(), "/feeds/tag/harbour/")
    (entry,) = feed.entries
    assert entry.title == "<b>Bold</b> & co"
    assert "<script>" not in entry.content[0].value
    assert "&lt;script&gt;" in entry.content[0].value


def test_a_photo_credited_to_someone_else_names_them_as_author(alice):
    upload(
        alice,
        title="Found",
        creator_name="Ansel",
        creator_url="https://ansel.example/",
        tags="harbour",
    )
    (entry,) = parse(Client(), "/feeds/tag/harbour/").entries
    assert (entry.author, entry.author_detail.href) == ("Ansel", "https://ansel.example/")
    assert entry.media_credit[0]["content"] == "Ansel"


# --- Visibility: public only, whoever asks --------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", FEEDS)
def test_unlisted_and_private_photos_never_appear(shots, clients, persona, url):
    feed = parse(clients[persona], url)
    assert titles(feed) == {"Harbour at dawn", "Nets"}
    raw = clients[persona].get(url).content.decode()
    for hidden in ("unlisted", "private"):
        assert shots[hidden].title not in raw
        assert f"/photos/{shots[hidden].pk}/" not in raw


def test_a_photo_made_private_leaves_the_feeds(shots):
    photo = shots["public"]
    photo.visibility = "private"
    photo.save()
    for url in FEEDS:
        assert titles(parse(Client(), url)) == {"Nets"}


def test_a_person_with_only_private_photos_has_an_empty_feed(shots, carol):
    upload(carol, jpeg_bytes((320, 200), (1, 2, 3)), title="Carol's secret", visibility="private")
    feed = parse(Client(), "/feeds/user/carol/")
    assert feed.entries == []
    assert feed.feed.title == "Photos by Carol Danvers"


def test_unknown_people_and_tags_are_404(db):
    assert Client().get("/feeds/user/nobody/").status_code == 404
    assert Client().get("/feeds/tag/nothing/").status_code == 404


def test_feed_metadata_links_back_to_the_page(shots):
    feed = parse(Client(), "/feeds/tag/harbour/")
    assert feed.feed.link == "http://testserver/tags/harbour/"
    assert feed.feed.title == "Photos tagged “harbour”"
    assert any(
        link.rel == "self" and link.href == "http://testserver/feeds/tag/harbour/"
        for link in feed.feed.links
    )


# --- Discovery ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "feed_url"),
    [("/people/alice/", "/feeds/user/alice/"), ("/tags/harbour/", "/feeds/tag/harbour/")],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_advertise_their_feed(shots, clients, persona, page, feed_url):
    links = head_of(clients[persona].get(page)).alternate("application/atom+xml")
    assert links == [feed_url]
    assert parse(clients[persona], links[0]).entries


# --- The hook for other feeds (search) -----------------------------------------------


def test_a_subclass_only_says_which_photos(shots):
    class HarbourFeed(feeds.PhotoFeed):
        def get_object(self, request):
            return Tag.objects.get(slug="harbour")

        def title(self, tag):
            return "Harbour"

        def link(self, tag):
            return "/tags/harbour/"

        def photos(self, tag):
            return tag_queries.photos_tagged(tag, viewer=None)

    from django.test import RequestFactory

    response = HarbourFeed()(RequestFactory().get("/x/"))
    feed = feedparser.parse(response.content)
    assert titles(feed) == {"Harbour at dawn", "Nets"}
    assert all(entry.media_content for entry in feed.entries)


def test_the_base_drops_anything_not_public_even_if_a_subclass_lets_it_through(shots):
    from django.test import RequestFactory

    from photos.models import Photo

    class CarelessFeed(feeds.PhotoFeed):
        def get_object(self, request):
            return None

        def title(self, obj):
            return "All"

        def link(self, obj):
            return "/"

        def photos(self, obj):
            return Photo.objects.all()

    feed = feedparser.parse(CarelessFeed()(RequestFactory().get("/x/")).content)
    assert titles(feed) == {"Harbour at dawn", "Nets"}
