"""A NUL in an address is refused before a view can hand it to the database.

On PostgreSQL each of these answered 500 ("text fields cannot contain NUL bytes"); the
schemathesis run found the first one (GET /api/v1/albums/?q=%00).
"""

import pytest

pytestmark = pytest.mark.django_db

QUERIES = [
    "/api/v1/albums/?q=%00",
    "/api/v1/albums/?member=a%00",
    "/api/v1/albums/?owner=a%00",
    "/api/v1/tags/?prefix=a%00",
    "/api/v1/photos/?q=%00",
    "/api/v1/licenses/?x%00=1",
]
PATHS = ["/api/v1/tags/a%00/", "/api/v1/albums/1/members/a%00/"]
PAGES = ["/tags/a%00/", "/people/a%00/", "/feeds/tag/a%00/", "/feeds/user/a%00/"]


@pytest.mark.parametrize("url", QUERIES)
def test_a_nul_in_an_api_query_is_invalid_input(api, alice, url):
    api.force_authenticate(alice)
    response = api.get(url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "NUL" in response.json()["error"]["message"]


@pytest.mark.parametrize("url", PATHS)
def test_a_nul_in_an_api_path_is_an_address_where_nothing_is(api, alice, url):
    api.force_authenticate(alice)
    response = api.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url", PAGES)
def test_a_nul_in_a_page_path_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_nul_in_a_page_query_is_a_bad_request(client):
    response = client.get("/search/?owner=a%00")
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_addresses_without_nul_still_reach_their_views(api, alice):
    api.force_authenticate(alice)
    assert api.get("/api/v1/albums/?q=harbour").status_code == 200
    assert api.get("/api/v1/tags/?prefix=ha").status_code == 200
