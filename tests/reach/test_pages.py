"""Photo pages: Open Graph and Twitter cards, and the embed box, from every persona."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from tests.reach.conftest import PERSONAS, direct_url, fetch_status, head_of

pytestmark = pytest.mark.django_db


class Textareas(HTMLParser):
    """Collect textarea values by id, as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.options: list[str] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "textarea":
            self._current = attrs["id"]
            self.values[self._current] = ""
        elif tag == "option" and attrs.get("value"):
            self.options.append(attrs["value"])
        elif tag == "button" and "data-embed-copy" in attrs:
            self.copy_target = attrs["data-copy"]

    def handle_data(self, data):
        if self._current:
            self.values[self._current] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._current = None


def textareas(response) -> Textareas:
    parser = Textareas()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_photo_pages_carry_a_social_card_with_the_large_image(shots, clients, persona):
    photo = shots["public"]
    meta = head_of(clients[persona].get(photo.get_absolute_url())).meta
    assert meta["og:title"] == "Harbour at dawn"
    assert meta["og:type"] == "article"
    assert meta["og:url"] == f"http://testserver/photos/{photo.pk}/"
    assert meta["og:image"] == direct_url(photo, "large")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1600", "941")
    assert meta["og:description"].startswith('"Harbour at dawn"')
    assert "CC BY-SA 4.0" in meta["og:description"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert fetch_status(meta["og:image"]) == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_unlisted_pages_point_cards_at_the_photos_own_route(shots, clients, persona):
    photo = shots["unlisted"]
    meta = head_of(clients[persona].get(photo.get_absolute_url())).meta
    assert meta["og:image"] == f"http://testserver/photos/{photo.pk}/r/medium.jpg"
    assert meta["twitter:card"] == "summary_large_image"


def test_private_pages_carry_no_card_and_no_embed_code(shots, clients):
    response = clients["alice"].get(shots["private"].get_absolute_url())
    meta = head_of(response).meta
    assert not [key for key in meta if key.startswith(("og:", "twitter:"))]
    assert "embed-code" not in response.content.decode()
    assert "Private photos cannot be embedded" in response.content.decode()


@pytest.mark.parametrize("persona", ("anonymous", "bob", "carol"))
def test_others_cannot_open_a_private_page_at_all(shots, clients, persona):
    assert clients[persona].get(shots["private"].get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_embed_box_offers_each_size_with_image_and_credit(shots, clients, persona):
    photo = shots["public"]
    found = textareas(clients[persona].get(photo.get_absolute_url()))
    assert found.options == ["small", "medium", "large"]
    assert found.copy_target == "embed-code-medium"
    assert found.values["embed-code"] == found.values["embed-code-medium"]
    for size in found.options:
        code = found.values[f"embed-code-{size}"]
        row = photo.renditions.get(name=size, format="jpg")
        assert f'<img src="http://testserver/photos/{photo.pk}/r/{size}.jpg"' in code
        assert f'width="{row.width}" height="{row.height}"' in code
        assert f'<a href="http://testserver/photos/{photo.pk}/">' in code
        assert '<p class="attribution"' in code
        assert 'rel="cc:attributionURL"' in code and 'property="cc:attributionName"' in code
        assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license' in code


def test_embed_code_escapes_a_hostile_title(alice):
    from tests.factories import upload

    photo = upload(alice, title='"><script>alert(1)</script>')
    code = textareas(Client().get(photo.get_absolute_url())).values["embed-code"]
    assert "<script>" not in code
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in code


def test_the_embed_script_is_served(shots):
    page = Client().get(shots["public"].get_absolute_url()).content.decode()
    assert '<script src="/static/js/embed.js" defer></script>' in page


def test_album_pages_can_carry_a_card_with_one_tag(shots, alice):
    """The tag albums can use: a public cover becomes the image, a private one never."""
    request = RequestFactory().get("/albums/1/")
    template = Template(
        "{% load reach_tags %}{% page_card title='Quays' url='/albums/1/' photo=cover %}"
    )
    public = template.render(Context({"request": request, "cover": shots["public"]}))
    assert f'property="og:image" content="{direct_url(shots["public"], "large")}"' in public
    assert 'content="summary_large_image"' in public
    private = template.render(Context({"request": request, "cover": shots["private"]}))
    assert "og:image" not in private
    assert 'property="og:url" content="http://testserver/albums/1/"' in private
    assert 'content="summary"' in private
