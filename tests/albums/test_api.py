"""The album endpoints keep the contract in API.md: paths, fields, statuses, error shape."""

import pytest

from albums import contributions as c
from albums.models import AlbumItem, Membership
from tests.albums.conftest import add_member, make_album, photo_of

pytestmark = pytest.mark.django_db


def as_(api, user):
    api.force_authenticate(user)
    return api


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"].endswith((".", ")"))
    return body["error"]["message"]


def test_creating_an_album_returns_201_and_the_album_in_the_contracts_shape(api, alice):
    response = as_(api, alice).post(
        "/api/v1/albums/",
        {
            "title": "Free harbours",
            "kind": "community",
            "visibility": "unlisted",
            "join_policy": "request",
            "moderated": True,
            "license_policy": {"licenses": ["cc0", "by"], "license_type": ["commercial"]},
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Free harbours"
    assert (body["kind"], body["visibility"], body["join_policy"]) == (
        "community",
        "unlisted",
        "request",
    )
    assert body["moderated"] is True
    assert body["license_policy"] == {"licenses": ["by", "cc0"], "license_type": ["commercial"]}
    assert body["owner"]["username"] == "alice"
    assert body["owner"]["display_name"] == "Alice Liddell"
    assert body["role"] == "owner" and body["membership"] == "active"
    assert (body["photo_count"], body["member_count"]) == (0, 1)
    assert body["url"].endswith(f"/albums/{body['id']}/")
    assert body["license_summary"] == "No photos yet."


def test_creating_needs_sign_in_and_valid_fields(api, alice):
    error(api.post("/api/v1/albums/", {"title": "x"}, format="json"), 401, "not_authenticated")
    as_(api, alice)
    response = api.post("/api/v1/albums/", {"title": "x", "kind": "shared"}, format="json")
    assert "kind" in response.json()["error"]["fields"]
    bad = {"title": "x", "license_policy": {"licenses": ["by-xx"]}}
    message = error(api.post("/api/v1/albums/", bad, format="json"), 400, "invalid")
    assert "Unknown license 'by-xx'" in message


def test_listing_filters_by_member_owner_and_words(api, alice, bob):
    harbours = make_album(alice, title="Harbours", description="boats")
    make_album(bob, title="Forests")
    add_member(harbours, bob)
    make_album(alice, title="Secret", visibility="private")

    def titles(query=""):
        return {a["title"] for a in api.get(f"/api/v1/albums/{query}").json()["results"]}

    assert titles() == {"Harbours", "Forests"}
    assert titles("?member=bob") == {"Harbours", "Forests"}
    assert titles("?owner=alice") == {"Harbours"}
    assert titles("?q=boats") == {"Harbours"}
    as_(api, alice)
    assert titles("?owner=alice") == {"Harbours", "Secret"}


def test_a_private_album_is_404_to_strangers_and_403_to_change_for_members(api, alice, bob, carol):
    album = make_album(alice, visibility="private")
    add_member(album, bob)
    error(as_(api, carol).get(f"/api/v1/albums/{album.pk}/"), 404, "not_found")
    as_(api, bob)
    assert api.get(f"/api/v1/albums/{album.pk}/").status_code == 200
    message = error(
        api.patch(f"/api/v1/albums/{album.pk}/", {"title": "Mine"}, format="json"),
        403,
        "permission_denied",
    )
    assert message == "Only curators can edit this album's title, description and cover."
    error(api.delete(f"/api/v1/albums/{album.pk}/"), 403, "permission_denied")


def test_patch_changes_words_cover_and_policy(api, alice):
    album = make_album(alice)
    photo = photo_of(alice, license="CC-BY-NC-4.0")
    c.album_add_photo(album=album, actor=alice, photo=photo)
    as_(api, alice)
    response = api.patch(
        f"/api/v1/albums/{album.pk}/",
        {
            "description": "Boats",
            "cover": photo.pk,
            "license_policy": {"license_type": ["commercial"]},
        },
        format="json",
    )
    body = response.json()
    assert (body["description"], body["cover"]) == ("Boats", photo.pk)
    assert body["license_policy"] == {"licenses": [], "license_type": ["commercial"]}
    assert "does not" in AlbumItem.objects.get(photo=photo).flagged_reason
    assert api.delete(f"/api/v1/albums/{album.pk}/").status_code == 204


def test_adding_photos_answers_201_202_or_400_with_the_policy(api, alice, bob):
    album = make_album(alice, moderated=True, license_types=["commercial"])
    add_member(album, bob)
    as_(api, bob)
    ok, nc = photo_of(bob), photo_of(bob, license="CC-BY-NC-4.0")
    response = api.post(f"/api/v1/albums/{album.pk}/photos/", {"photo": ok.pk}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["message"] == "Waiting for a curator."
    assert response.json()["photo"]["id"] == ok.pk
    message = error(
        api.post(f"/api/v1/albums/{album.pk}/photos/", {"photo": nc.pk}, format="json"),
        400,
        "license_policy",
    )
    assert message.startswith("This album accepts only licenses that allow commercial use")
    error(
        api.post(f"/api/v1/albums/{album.pk}/photos/", {"photo": ok.pk}, format="json"),
        409,
        "conflict",
    )
    as_(api, alice)
    response = api.post(
        f"/api/v1/albums/{album.pk}/photos/", {"photo": photo_of(alice).pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "approved"


def test_adding_a_photo_you_cannot_see_is_a_400(api, alice, bob):
    album = make_album(alice)
    hidden = photo_of(bob, visibility="private")
    as_(api, alice)
    message = error(
        api.post(f"/api/v1/albums/{album.pk}/photos/", {"photo": hidden.pk}, format="json"),
        400,
        "invalid",
    )
    assert "not visible to you" in message


def test_strangers_cannot_add_and_anonymous_visitors_must_sign_in(api, alice, carol):
    album = make_album(alice)
    photo = photo_of(carol)
    url = f"/api/v1/albums/{album.pk}/photos/"
    error(api.post(url, {"photo": photo.pk}, format="json"), 401, "not_authenticated")
    error(as_(api, carol).post(url, {"photo": photo.pk}, format="json"), 403, "permission_denied")


def test_photos_are_listed_moved_and_removed(api, alice, carol):
    album = make_album(alice)
    first, second = photo_of(alice), photo_of(carol)
    c.album_add_photo(album=album, actor=alice, photo=first)
    c.album_add_photo(album=album, actor=alice, photo=second)
    body = api.get(f"/api/v1/albums/{album.pk}/photos/").json()
    assert [i["photo"]["id"] for i in body["results"]] == [first.pk, second.pk]
    assert body["results"][0]["added_by"] == "alice"
    as_(api, alice)
    url = f"/api/v1/albums/{album.pk}/photos/{second.pk}/"
    assert api.patch(url, {"position": 0}, format="json").json()["position"] == 0
    body = api.get(f"/api/v1/albums/{album.pk}/photos/").json()
    assert [i["photo"]["id"] for i in body["results"]] == [second.pk, first.pk]
    error(api.patch(url, {"position": -1}, format="json"), 400, "invalid")
    # carol, not a member, takes her own photo out (owner opt-out)
    assert as_(api, carol).delete(url).status_code == 204
    error(api.delete(url), 404, "not_found")


def test_joining_requesting_and_inviting_through_members(api, alice, bob, carol):
    album = make_album(alice, join_policy="request")
    url = f"/api/v1/albums/{album.pk}/members/"
    response = as_(api, bob).post(url, {}, format="json")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["role"]) == ("requested", "contributor")
    assert response.json()["user"]["username"] == "bob"
    error(api.post(url, {}, format="json"), 409, "conflict")
    as_(api, alice)
    assert {m["user"]["username"] for m in api.get(url).json()} == {"alice", "bob"}
    approved = api.patch(f"{url}bob/", {"status": "active"}, format="json")
    assert approved.json()["status"] == "active"
    invited = api.post(url, {"username": "carol", "role": "viewer"}, format="json")
    assert invited.status_code == 202 and invited.json()["status"] == "invited"
    error(api.post(url, {"username": "nobody"}, format="json"), 404, "not_found")


def test_invite_only_albums_refuse_joining_with_403(api, alice, bob):
    album = make_album(alice, join_policy="invite")
    message = error(
        as_(api, bob).post(f"/api/v1/albums/{album.pk}/members/", {}, format="json"),
        403,
        "permission_denied",
    )
    assert "invitation only" in message


def test_roles_change_and_members_leave_or_are_removed(api, alice, bob, carol):
    album = make_album(alice)
    add_member(album, bob)
    add_member(album, carol)
    url = f"/api/v1/albums/{album.pk}/members/"
    as_(api, alice)
    assert api.patch(f"{url}bob/", {"role": "curator"}, format="json").json()["role"] == "curator"
    error(api.patch(f"{url}bob/", {"role": "king"}, format="json"), 400, "invalid")
    error(api.patch(f"{url}bob/", {}, format="json"), 400, "invalid")
    as_(api, bob)
    error(api.patch(f"{url}alice/", {"role": "viewer"}, format="json"), 403, "permission_denied")
    assert api.delete(f"{url}carol/").status_code == 204
    assert api.delete(f"{url}bob/").status_code == 204  # leaving
    message = error(as_(api, alice).delete(f"{url}alice/"), 403, "permission_denied")
    assert "hand ownership over" in message
    assert list(
        Membership.objects.filter(album=album).values_list("user__username", flat=True)
    ) == ["alice"]


def test_ownership_is_handed_over_with_patch_role_owner(api, alice, bob):
    album = make_album(alice)
    add_member(album, bob)
    response = as_(api, alice).patch(
        f"/api/v1/albums/{album.pk}/members/bob/", {"role": "owner"}, format="json"
    )
    assert response.json()["role"] == "owner"
    assert api.get(f"/api/v1/albums/{album.pk}/").json()["owner"]["username"] == "bob"


def test_the_pending_queue_and_decisions(api, alice, bob):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    photo = photo_of(bob)
    c.album_add_photo(album=album, actor=bob, photo=photo)
    error(as_(api, bob).get(f"/api/v1/albums/{album.pk}/pending/"), 403, "permission_denied")
    as_(api, alice)
    queue = api.get(f"/api/v1/albums/{album.pk}/pending/").json()
    assert [i["photo"]["id"] for i in queue] == [photo.pk]
    url = f"/api/v1/albums/{album.pk}/pending/{photo.pk}/"
    error(api.post(url, {"decision": "reject"}, format="json"), 400, "invalid")
    rejected = api.post(url, {"decision": "reject", "reason": "Blurry"}, format="json").json()
    assert (rejected["status"], rejected["reason"]) == ("rejected", "Blurry")
    error(api.post(url, {"decision": "approve"}, format="json"), 400, "invalid")
    assert api.get(f"/api/v1/albums/{album.pk}/pending/").json() == []


@pytest.mark.parametrize("fmt", ["text", "html", "markdown", "json"])
def test_credits_in_every_format(api, alice, fmt):
    album = make_album(alice, title="Harbours")
    photo = photo_of(alice, title="Quay", license="CC-BY-SA-4.0")
    c.album_add_photo(album=album, actor=alice, photo=photo)
    response = api.get(f"/api/v1/albums/{album.pk}/credits/?format={fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        assert body["album"] == "Harbours"
        assert body["photos"][0]["id"] == photo.pk
        entry = body["photos"][0]
        assert entry["license"] == {
            "id": "CC-BY-SA-4.0",
            "name": "CC BY-SA 4.0",
            "url": "https://creativecommons.org/licenses/by-sa/4.0/",
        }
        assert entry["creator"]["name"] == "Alice Liddell"
        assert entry["text"].startswith('"Quay"')
        assert body["left_out"] == []
        return
    text = response.content.decode()
    assert "Quay" in text and "Alice Liddell" in text and "CC BY-SA 4.0" in text
    if fmt == "html":
        assert '<a href="https://creativecommons.org/licenses/by-sa/4.0/"' in text
    if fmt == "markdown":
        assert "(https://creativecommons.org/licenses/by-sa/4.0/)" in text


def test_credits_refuse_an_unknown_format(api, alice):
    album = make_album(alice)
    error(api.get(f"/api/v1/albums/{album.pk}/credits/?format=pdf"), 400, "invalid")


def test_the_photo_api_lists_the_albums_you_may_see(api, alice, bob):
    public = make_album(alice, title="Open")
    secret = make_album(alice, title="Secret", visibility="private")
    photo = photo_of(alice)
    c.album_add_photo(album=public, actor=alice, photo=photo)
    c.album_add_photo(album=secret, actor=alice, photo=photo)
    assert api.get(f"/api/v1/photos/{photo.pk}/").json()["albums"] == [public.pk]
    assert as_(api, alice).get(f"/api/v1/photos/{photo.pk}/").json()["albums"] == [
        public.pk,
        secret.pk,
    ]


def test_a_non_numeric_album_id_is_a_json_404(api):
    response = api.get("/api/v1/albums/abc/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_cover_outside_the_album_is_a_400(api, alice):
    album = make_album(alice)
    outside = photo_of(alice)
    message = error(
        as_(api, alice).patch(f"/api/v1/albums/{album.pk}/", {"cover": outside.pk}, format="json"),
        400,
        "invalid",
    )
    assert message == "The cover must be one of the photos in this album."


def test_the_openapi_schema_documents_every_album_endpoint(client):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    expected = {
        "/api/v1/albums/",
        "/api/v1/albums/{album_id}/",
        "/api/v1/albums/{album_id}/photos/",
        "/api/v1/albums/{album_id}/photos/{photo_id}/",
        "/api/v1/albums/{album_id}/members/",
        "/api/v1/albums/{album_id}/members/{username}/",
        "/api/v1/albums/{album_id}/pending/",
        "/api/v1/albums/{album_id}/pending/{photo_id}/",
        "/api/v1/albums/{album_id}/credits/",
        "/api/v1/albums/{album_id}/export/",
    }
    assert expected <= set(paths)
