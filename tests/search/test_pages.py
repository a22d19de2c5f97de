"""The search page, its Atom feed, Explore, and "more like this" on the photo page."""

import pytest
from django.test import Client

from photos.models import Favorite
from tests.search.conftest import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(alice, bob):
    return {
        "kite": make(alice, title="Red kite", tags="bird, sky", license="CC-BY-4.0"),
        "squirrel": make(alice, title="Red squirrel", tags="mammal", license="CC-BY-NC-4.0"),
        "wren": make(bob, title="Wren", tags="bird", license="CC0-1.0"),
        "secret": make(bob, title="Red secret", tags="bird", visibility="private"),
    }


def test_search_page_shows_results_badges_facets_and_a_shareable_sort(client, photos):
    page = client.get("/search/", {"q": "red", "license_type": "commercial"}).content.decode()
    assert "Red kite" in page and "Red squirrel" not in page and "Red secret" not in page
    assert 'data-license="CC-BY-4.0"' in page and "license-badge" in page
    assert 'value="commercial" checked' in page
    assert '<option value="relevance" selected>' in page


def test_ticked_boxes_combine_into_one_list_parameter(client, photos):
    page = client.get("/search/?license=CC0-1.0&license=CC-BY-4.0&q=").content.decode()
    assert "Red kite" in page and "Wren" in page and "Red squirrel" not in page


def test_a_bad_parameter_is_a_400_page_saying_which(client, photos):
    response = client.get("/search/", {"min_taken": "soon"})
    assert response.status_code == 400
    assert "min_taken must be an ISO date" in response.content.decode()


def test_pagination_links_keep_the_query(client, photos):
    page = client.get("/search/", {"q": "red", "page_size": "1"}).content.decode()
    assert 'rel="next"' in page and "q=red" in page.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_feed_is_atom_of_public_matches(client, photos):
    response = client.get("/search/feed/", {"q": "red"})
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Red kite" in body and "Red squirrel" in body and "Red secret" not in body
    assert client.get("/search/feed/", {"sort": "sideways"}).status_code == 400


def test_explore_shows_popular_recent_public_photos(client, photos, carol):
    Favorite.objects.create(user=carol, photo=photos["wren"])
    page = client.get("/explore/").content.decode()
    assert page.index("Wren") < page.index("Red kite")
    assert "Red secret" not in page


def test_more_like_this_shows_shared_tags_and_same_owner_never_private(photos, carol):
    browser = Client()
    browser.force_login(carol)
    page = browser.get(photos["kite"].get_absolute_url()).content.decode()
    section = page.split('id="more-like-this"')[1].split("</section>")[0]
    assert "Sharing tags" in section and "Wren" in section
    assert "By the same person" in section and "Red squirrel" in section
    assert "Red secret" not in section
