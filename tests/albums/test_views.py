"""Album pages from each persona's side: what they show, and what each button does."""

import json

import pytest

from albums import contributions as c
from albums.models import Album, AlbumItem, Membership
from tests.albums.conftest import add_member, make_album, photo_of

pytestmark = pytest.mark.django_db


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def curated(alice, bob, carol):
    """A moderated, open community album: bob contributes, one approved photo of alice's."""
    album = make_album(alice, title="Harbours", moderated=True, license_types=["commercial"])
    add_member(album, bob)
    c.album_add_photo(album=album, actor=alice, photo=photo_of(alice, title="Lighthouse"))
    return album


def test_creating_an_album_from_the_page(client, alice):
    client.force_login(alice)
    assert "Create album" in page(client, "/albums/new/")
    response = client.post(
        "/albums/new/",
        {
            "title": "Free harbours",
            "description": "",
            "kind": "community",
            "visibility": "public",
            "join_policy": "open",
            "licenses": ["cc0", "by"],
            "license_types": ["commercial"],
        },
    )
    album = Album.objects.get(title="Free harbours")
    assert response.url == f"/albums/{album.pk}/"
    assert (album.licenses, album.license_types) == (["by", "cc0"], ["commercial"])


def test_a_blank_title_shows_the_form_again_with_the_error(client, alice):
    client.force_login(alice)
    response = client.post("/albums/new/", {"title": "", "kind": "community"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in_to_create(client):
    assert client.get("/albums/new/").url.startswith("/accounts/login/")


def test_the_album_page_shows_photos_counts_summary_and_members(client, curated):
    html = page(client, f"/albums/{curated.pk}/")
    assert "Lighthouse" in html
    assert "1 photo: 1 CC BY 4.0; all allow commercial use" in html
    assert "Members (2)" in html and "Bob Builder · contributor" in html
    assert "Accepts: any license; must be: commercial." in html
    assert "Move up" not in html and "data-reorder-url" not in html  # not a curator
    assert 'href="/feeds/album/' in html


def test_curators_get_reorder_controls_only_in_album_order(client, curated, alice):
    client.force_login(alice)
    html = page(client, f"/albums/{curated.pk}/")
    assert "data-reorder-url" in html and "Move up" in html and "Moderation" in html
    assert "data-reorder-url" not in page(client, f"/albums/{curated.pk}/?order=taken")


def test_join_buttons_follow_the_join_policy(client, alice, carol):
    client.force_login(carol)
    for policy, label in (("open", ">Join<"), ("request", ">Ask to join<")):
        album = make_album(alice, title=policy, join_policy=policy)
        assert label in page(client, f"/albums/{album.pk}/")
    invite = make_album(alice, title="invite", join_policy="invite")
    assert "Join" not in page(client, f"/albums/{invite.pk}/").split("album-tools")[1][:400]


def test_joining_from_the_page(client, curated, carol):
    client.force_login(carol)
    response = client.post(f"/albums/{curated.pk}/join/")
    assert "You are a member of “Harbours”." in messages_of(response)
    assert Membership.objects.get(album=curated, user=carol).status == "active"


def test_a_private_album_is_a_404_page_for_strangers(client, alice, carol):
    album = make_album(alice, visibility="private")
    client.force_login(carol)
    page(client, f"/albums/{album.pk}/", status=404)
    page(client, f"/albums/{album.pk}/credits/", status=404)


@pytest.mark.parametrize(
    ("persona", "moderation", "activity", "edit"),
    [("alice", 200, 200, 200), ("bob", 403, 200, 403), ("carol", 403, 403, 403)],
)
def test_curator_pages_answer_403_to_those_below(
    client, curated, request, persona, moderation, activity, edit
):
    client.force_login(request.getfixturevalue(persona))
    page(client, f"/albums/{curated.pk}/moderation/", status=moderation)
    page(client, f"/albums/{curated.pk}/activity/", status=activity)
    page(client, f"/albums/{curated.pk}/edit/", status=edit)


def test_the_403_page_says_why(client, curated, bob):
    client.force_login(bob)
    html = page(client, f"/albums/{curated.pk}/moderation/", status=403)
    assert "Only curators can approve or reject photos in this album." in html


def test_a_contribution_waits_and_the_curator_rejects_it_with_a_reason(client, curated, alice, bob):
    photo = photo_of(bob, title="Quay")
    client.force_login(bob)
    response = client.post("/albums/add-photo/", {"album": curated.pk, "photo": photo.pk})
    assert any("Waiting for a curator" in m for m in messages_of(response))
    assert "Waiting for a curator." in page(client, f"/albums/{curated.pk}/")
    client.force_login(alice)
    assert "Quay" in page(client, f"/albums/{curated.pk}/moderation/")
    client.post(
        f"/albums/{curated.pk}/photos/{photo.pk}/", {"action": "reject", "reason": "Too dark"}
    )
    assert AlbumItem.objects.get(photo=photo).reason == "Too dark"
    client.force_login(bob)
    assert "Not accepted: Too dark" in page(client, f"/albums/{curated.pk}/")
    html = page(client, "/notifications/")
    assert "was not accepted in “Harbours”: Too dark" in html
    assert 'aria-label="1 unread"' in html
    client.post("/notifications/")
    assert 'unread"' not in page(client, "/notifications/").split("</header>")[0]


def test_a_policy_refusal_is_shown_on_the_photo_page(client, curated, bob):
    photo = photo_of(bob, license="CC-BY-NC-4.0")
    client.force_login(bob)
    response = client.post("/albums/add-photo/", {"album": curated.pk, "photo": photo.pk})
    assert response.url == f"/photos/{photo.pk}/"
    assert messages_of(response) == [
        "This album accepts only licenses that allow commercial use; CC BY-NC 4.0 does not. "
        f"(“{photo.display_title}”)"
    ]


def test_the_photo_page_lists_its_albums_and_offers_the_members_albums(client, curated, bob):
    lighthouse = AlbumItem.objects.get(album=curated).photo
    html = page(client, f"/photos/{lighthouse.pk}/")
    assert f'href="/albums/{curated.pk}/">Harbours</a>' in html
    assert "Add to album" not in html
    own = photo_of(bob)
    client.force_login(bob)
    html = page(client, f"/photos/{own.pk}/")
    assert "Not in any album you can see." in html
    assert f'<option value="{curated.pk}">Harbours</option>' in html


def test_moving_with_the_buttons_is_the_keyboard_alternative(client, alice):
    album = make_album(alice)
    photos = [photo_of(alice) for _ in range(3)]
    for photo in photos:
        c.album_add_photo(album=album, actor=alice, photo=photo)
    client.force_login(alice)
    client.post(f"/albums/{album.pk}/photos/{photos[2].pk}/", {"action": "up"})
    order = AlbumItem.objects.filter(album=album).order_by("position")
    assert [i.photo_id for i in order] == [photos[0].pk, photos[2].pk, photos[1].pk]


def test_drag_and_drop_posts_the_new_order(client, alice, bob):
    album = make_album(alice)
    add_member(album, bob)
    photos = [photo_of(alice) for _ in range(3)]
    for photo in photos:
        c.album_add_photo(album=album, actor=alice, photo=photo)
    new = [photos[2].pk, photos[0].pk, photos[1].pk]
    body = json.dumps({"photos": new, "offset": 0})
    client.force_login(bob)
    response = client.post(f"/albums/{album.pk}/reorder/", body, content_type="application/json")
    assert response.status_code == 403
    client.force_login(alice)
    response = client.post(f"/albums/{album.pk}/reorder/", body, content_type="application/json")
    assert response.json() == {"ok": True, "message": "The new order is saved."}
    order = AlbumItem.objects.filter(album=album).order_by("position")
    assert [i.photo_id for i in order] == new
    bad = client.post(f"/albums/{album.pk}/reorder/", "[1,", content_type="application/json")
    assert bad.status_code == 400


def test_members_page_lets_curators_approve_and_change_roles(client, alice, bob, carol):
    album = make_album(alice, join_policy="request")
    add_member(album, bob, status="requested")
    add_member(album, carol)
    client.force_login(carol)
    assert "Approve" not in page(client, f"/albums/{album.pk}/members/")
    client.force_login(alice)
    assert "Approve" in page(client, f"/albums/{album.pk}/members/")
    act = f"/albums/{album.pk}/members/act/"
    client.post(act, {"username": "bob", "action": "approve"})
    client.post(act, {"username": "carol", "action": "role", "role": "curator"})
    roles = dict(Membership.objects.filter(album=album).values_list("user__username", "role"))
    assert roles == {"alice": "owner", "bob": "contributor", "carol": "curator"}
    response = client.post(act, {"username": "nobody", "action": "remove"})
    assert messages_of(response)[-1] == "There is nobody by that username."


def test_the_credits_page_and_its_formats(client, curated):
    html = page(client, f"/albums/{curated.pk}/credits/")
    assert "Lighthouse" in html and "Copy Markdown" in html
    text = page(client, f"/albums/{curated.pk}/credits/?format=markdown")
    assert text.startswith("# Credits for “Harbours”")


def test_the_edit_page_hides_settings_from_curators(client, curated, alice, bob):
    Membership.objects.filter(album=curated, user=bob).update(role="curator")
    client.force_login(bob)
    html = page(client, f"/albums/{curated.pk}/edit/")
    assert 'name="title"' in html and 'name="visibility"' not in html
    client.force_login(alice)
    html = page(client, f"/albums/{curated.pk}/edit/")
    assert 'name="visibility"' in html and "Delete album" in html


def test_the_nav_shows_albums_and_unread_notifications(client, curated, alice, carol):
    assert 'href="/albums/">Albums</a>' in page(client, "/")
    client.force_login(carol)
    client.post(f"/albums/{curated.pk}/join/")
    client.post("/albums/add-photo/", {"album": curated.pk, "photo": photo_of(carol).pk})
    client.force_login(alice)
    header = page(client, "/").split("</header>")[0]
    assert 'href="/notifications/"' in header and 'aria-label="1 unread"' in header


def test_the_feed_lists_new_photos_with_their_credit(client, curated):
    response = client.get(f"/feeds/album/{curated.pk}/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Lighthouse</title>" in body and "CC BY 4.0" in body


def test_the_album_feed_is_public_only_with_media_and_license(client, alice, bob, curated):
    import feedparser

    from albums import contributions
    from albums.models import Album
    from tests.factories import jpeg_bytes, upload

    hidden = upload(alice, jpeg_bytes(color=(5, 6, 7)), title="Link only", visibility="unlisted")
    album = Album.objects.get(pk=curated.pk)
    contributions.album_add_photo(album=album, actor=alice, photo=hidden)
    client.force_login(alice)  # even the owner's feed request lists public photos only
    feed = feedparser.parse(client.get(f"/feeds/album/{curated.pk}/").content)
    titles = [entry.title for entry in feed.entries]
    assert "Lighthouse" in titles and "Link only" not in titles
    for entry in feed.entries:
        assert entry.media_content[0]["url"].endswith(".jpg")
        assert any(link.rel == "license" for link in entry.links)
