"""The oEmbed provider, read the way a consumer reads it: discover on the page, then ask."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.test import Client
from micawber import Provider, ProviderRegistry
from micawber.exceptions import ProviderHTTPException
from micawber.parsers import parse_text

from licensing import catalogue
from tests.reach.conftest import PERSONAS, fetch_status, head_of

pytestmark = pytest.mark.django_db

REQUIRED = {"version", "type", "url", "width", "height"}  # oEmbed 1.0 §2.3.4 and type photo


class TestClientProvider(Provider):
    """A micawber provider whose HTTP goes through Django's test client instead of a socket."""

    __test__ = False

    def __init__(self, endpoint: str, client: Client) -> None:
        super().__init__(endpoint)
        self.client = client

    def fetch(self, url):
        parts = urlsplit(url)
        response = self.client.get(f"{parts.path}?{parts.query}")
        if response.status_code != 200:
            raise ProviderHTTPException(url, response.status_code)
        return response.content.decode()


def discover(client: Client, page: str, media_type: str = "application/json+oembed") -> str:
    """Return the oEmbed endpoint URL a page advertises (the spec's discovery)."""
    links = head_of(client.get(page)).alternate(media_type)
    assert len(links) == 1, links
    return links[0]


def consume(client: Client, page: str, **params) -> dict:
    """Discover the endpoint on the page, then request the embed through micawber."""
    endpoint = discover(client, page)
    base = endpoint.split("?")[0]
    registry = ProviderRegistry()
    registry.register(r"http://testserver/photos/\d+/", TestClientProvider(base, client))
    return registry.request(f"http://testserver{page}", **params)


def assert_valid_photo_embed(data: dict, photo) -> None:
    """Check a response against the oEmbed spec and Brouette's credit fields."""
    assert data.keys() >= REQUIRED
    assert data["version"] == "1.0"
    assert data["type"] == "photo"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert data["url"].startswith("http://testserver/")
    assert data["title"] == photo.title
    assert data["author_name"] == "Alice Liddell"
    assert data["author_url"] == "http://testserver/people/alice/"
    assert data["provider_name"] == "Brouette"
    assert data["provider_url"] == "http://testserver/"
    lic = catalogue.get(photo.license)
    assert (data["license"], data["license_url"], data["license_id"]) == (lic.name, lic.url, lic.id)
    assert f'href="{lic.url}" rel="license' in data["attribution"]
    assert 'property="cc:attributionName"' in data["attribution"]


def test_a_consumer_discovers_and_reads_a_public_photo(shots):
    photo = shots["public"]
    data = consume(Client(), photo.get_absolute_url())
    assert_valid_photo_embed(data, photo)
    assert (data["width"], data["height"]) == (800, 471)  # medium by default
    assert data["url"] == f"http://testserver/photos/{photo.pk}/r/medium.jpg"
    assert data["thumbnail_url"] == f"http://testserver/photos/{photo.pk}/r/small.jpg"


def test_the_embed_url_serves_the_image_it_names(shots):
    photo = shots["public"]
    data = consume(Client(), photo.get_absolute_url())
    assert fetch_status(data["url"]) == 200


def test_a_consumer_renders_the_photo_into_its_own_html(shots):
    photo = shots["public"]
    endpoint = discover(Client(), photo.get_absolute_url()).split("?")[0]
    registry = ProviderRegistry()
    registry.register(r"http://testserver/photos/\d+/", TestClientProvider(endpoint, Client()))
    post = f"Morning walk:\nhttp://testserver{photo.get_absolute_url()}\nLovely."
    html = parse_text(post, registry)
    assert (
        f'<img alt="Harbour at dawn" src="http://testserver/photos/{photo.pk}/r/medium.jpg"' in html
    )


@pytest.mark.parametrize(
    ("params", "size"),
    [
        ({"maxwidth": "400"}, (320, 188)),
        ({"maxwidth": "1000"}, (800, 471)),
        ({"maxwidth": "5000", "maxheight": "5000"}, (1600, 941)),
        ({"maxheight": "500"}, (800, 471)),
        ({"maxwidth": "1600", "maxheight": "300"}, (320, 188)),
    ],
)
def test_maxwidth_and_maxheight_choose_the_largest_rendition_that_fits(shots, params, size):
    photo = shots["public"]
    response = Client().get("/oembed/", {"url": f"http://testserver/photos/{photo.pk}/", **params})
    data = response.json()
    assert (data["width"], data["height"]) == size
    assert data["url"].endswith({320: "small", 800: "medium", 1600: "large"}[size[0]] + ".jpg")


def test_a_box_smaller_than_every_rendition_gets_the_smallest_scaled_to_fit(shots):
    photo = shots["public"]
    url = f"http://testserver/photos/{photo.pk}/"
    data = Client().get("/oembed/", {"url": url, "maxwidth": "100"}).json()
    assert data["url"].endswith("/small.jpg")
    assert data["width"] <= 100 and data["height"] <= 100


def test_xml_format_follows_the_spec_and_is_discoverable(shots):
    photo = shots["public"]
    endpoint = discover(Client(), photo.get_absolute_url(), "text/xml+oembed")
    response = Client().get(endpoint.removeprefix("http://testserver"))
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "oembed"
    fields = {child.tag: child.text for child in root}
    assert fields.keys() >= REQUIRED
    assert (fields["version"], fields["type"], fields["license"]) == (
        "1.0",
        "photo",
        "CC BY-SA 4.0",
    )
    assert fields["attribution"].startswith('<p class="attribution"')


def test_all_rights_reserved_is_said_plainly(shots):
    photo = shots["public_arr"]
    data = consume(Client(), photo.get_absolute_url())
    assert (data["license"], data["license_url"]) == ("All rights reserved", "")
    assert "all rights reserved" in data["attribution"]


# --- Who gets an answer ---------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_photos_answer_everyone(shots, clients, persona):
    photo = shots["public"]
    data = consume(clients[persona], photo.get_absolute_url())
    assert_valid_photo_embed(data, photo)


@pytest.mark.parametrize("persona", PERSONAS)
def test_unlisted_photos_answer_whoever_holds_the_url(shots, clients, persona):
    photo = shots["unlisted"]
    data = consume(clients[persona], photo.get_absolute_url())
    assert data["title"] == "Unlisted quay"
    # Not a signed or storage URL: the photo's own route, which checks visibility itself.
    assert data["url"] == f"http://testserver/photos/{photo.pk}/r/medium.jpg"


@pytest.mark.parametrize("persona", PERSONAS)
def test_private_photos_are_404_for_everyone_even_the_owner(shots, clients, persona):
    photo = shots["private"]
    response = clients[persona].get("/oembed/", {"url": f"http://testserver/photos/{photo.pk}/"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "Private diary" not in response.content.decode()


def test_private_pages_carry_no_discovery_link(shots, clients):
    page = clients["alice"].get(shots["private"].get_absolute_url())
    assert page.status_code == 200
    assert head_of(page).alternate("application/json+oembed") == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_carry_both_discovery_links(shots, clients, persona):
    head = head_of(clients[persona].get(shots["public"].get_absolute_url()))
    assert len(head.alternate("application/json+oembed")) == 1
    assert len(head.alternate("text/xml+oembed")) == 1


# --- Bad input: a clear 4xx in the API's error shape, never a 500 -------------------------


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({}, 400, "url"),
        ({"url": "  "}, 400, "url"),
        ({"url": "{photo}", "format": "yaml"}, 400, "format"),
        ({"url": "{photo}", "maxwidth": "wide"}, 400, "maxwidth"),
        ({"url": "{photo}", "maxwidth": "-5"}, 400, "maxwidth"),
        ({"url": "{photo}", "maxheight": "0"}, 400, "maxheight"),
        ({"url": "{photo}", "maxheight": "1e3"}, 400, "maxheight"),
        ({"url": "https://elsewhere.example/photos/1/"}, 404, None),
        ({"url": "javascript:alert(1)"}, 404, None),
        ({"url": "http://[::1"}, 404, None),
        ({"url": "http://testserver/tags/harbour/"}, 404, None),
        ({"url": "http://testserver/photos/999999/"}, 404, None),
        ({"url": "http://testserver/photos/abc/"}, 404, None),
        ({"url": "/photos/1/"}, 404, None),
    ],
)
def test_bad_requests_get_a_clear_error(shots, params, status, field):
    photo_url = f"http://testserver/photos/{shots['public'].pk}/"
    params = {key: value.replace("{photo}", photo_url) for key, value in params.items()}
    response = Client().get("/oembed/", params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"].endswith(".")
    if field:
        assert error["code"] == "invalid"
        assert list(error["fields"]) == [field]
    else:
        assert error["code"] == "not_found"


def test_a_url_without_its_trailing_slash_still_resolves(shots):
    photo = shots["public"]
    response = Client().get("/oembed/", {"url": f"http://testserver/photos/{photo.pk}"})
    assert response.json()["title"] == "Harbour at dawn"


def test_the_configured_site_address_is_accepted_too(shots, settings):
    settings.SITE_URL = "https://photos.example.org"
    photo = shots["public"]
    url = f"https://photos.example.org/photos/{photo.pk}/"
    assert Client().get("/oembed/", {"url": url}).status_code == 200


def test_only_get_is_allowed(shots):
    assert Client().post("/oembed/", {"url": "x"}).status_code == 405
