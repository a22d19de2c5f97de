"""What each persona sees: albums by visibility and membership, items by photo visibility."""

import contextlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from albums import contributions as c
from albums import selectors
from albums.errors import NotAllowed
from albums.models import AlbumItem
from photos import hooks
from tests.albums.conftest import add_member, make_album, photo_of

pytestmark = pytest.mark.django_db
ANON = AnonymousUser()


@pytest.fixture
def three(alice, bob):
    """A public, an unlisted and a private album of alice's; bob belongs to the private one."""
    public = make_album(alice, title="Public", visibility="public")
    unlisted = make_album(alice, title="Unlisted", visibility="unlisted")
    private = make_album(alice, title="Private", visibility="private")
    add_member(private, bob)
    return public, unlisted, private


def titles(viewer):
    return {a.title for a in selectors.album_list_visible_to(viewer)}


def test_lists_show_public_albums_and_the_viewers_own(three, alice, bob, carol):
    assert titles(alice) == {"Public", "Unlisted", "Private"}
    assert titles(bob) == {"Public", "Private"}
    assert titles(carol) == {"Public"}
    assert titles(ANON) == {"Public"}
    assert titles(None) == {"Public"}


@pytest.mark.parametrize(
    ("persona", "opens"),
    [("alice", {"Public", "Unlisted", "Private"}), ("bob", {"Public", "Unlisted", "Private"}),
     ("carol", {"Public", "Unlisted"}), ("anonymous", {"Public", "Unlisted"})],
)  # fmt: skip
def test_by_its_address_an_unlisted_album_opens_for_anyone_a_private_one_for_members(
    three, request, persona, opens
):
    viewer = ANON if persona == "anonymous" else request.getfixturevalue(persona)
    opened = set()
    for album in three:
        with contextlib.suppress(Http404):
            opened.add(selectors.album_get_for_viewer(album.pk, viewer=viewer).title)
    assert opened == opens


def test_an_invited_person_can_open_the_private_album_to_accept(alice, carol):
    album = make_album(alice, visibility="private")
    add_member(album, carol, status="invited")
    assert selectors.album_get_for_viewer(album.pk, viewer=carol) == album
    assert "Harbours" not in titles(carol)


def test_a_person_who_only_asked_cannot_open_a_private_album(alice, carol):
    album = make_album(alice, visibility="private")
    add_member(album, carol, status="requested")
    with pytest.raises(Http404):
        selectors.album_get_for_viewer(album.pk, viewer=carol)


def test_editor_fetch_answers_403_for_what_you_see_but_may_not_change(three, bob, carol):
    public, _, private = three
    with pytest.raises(NotAllowed):
        selectors.album_get_for_editor(public.pk, viewer=carol, action="edit")
    with pytest.raises(Http404):
        selectors.album_get_for_editor(private.pk, viewer=carol, action="edit")
    with pytest.raises(NotAllowed):
        selectors.album_get_for_editor(private.pk, viewer=bob, action="edit")


def test_a_private_photo_of_someone_else_never_shows_even_inside_an_album(alice, bob, carol):
    album = make_album(alice)
    add_member(album, bob)
    shown = photo_of(bob, visibility="public")
    later_private = photo_of(bob, visibility="public")
    for photo in (shown, later_private):
        c.album_add_photo(album=album, actor=bob, photo=photo)
    later_private.visibility = "private"
    later_private.save()
    for viewer in (alice, carol, ANON):
        assert [i.photo_id for i in selectors.items_visible_to(album, viewer)] == [shown.pk]
    assert {i.photo_id for i in selectors.items_visible_to(album, bob)} == {
        shown.pk,
        later_private.pk,
    }


def test_pending_items_show_to_curators_and_their_contributor_only(alice, bob, carol):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    add_member(album, carol)
    item = c.album_add_photo(album=album, actor=bob, photo=photo_of(bob))
    assert list(selectors.items_visible_to(album, alice)) == []
    assert list(selectors.items_waiting_for(album, alice)) == [item]
    assert list(selectors.items_waiting_for(album, bob)) == [item]
    assert list(selectors.items_waiting_for(album, carol)) == []
    assert list(selectors.items_waiting_for(album, ANON)) == []


def test_orderings_follow_manual_taken_and_added(alice):
    import datetime as dt

    album = make_album(alice)
    old, new = photo_of(alice), photo_of(alice)
    old.taken_at = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
    new.taken_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    old.save()
    new.save()
    c.album_add_photo(album=album, actor=alice, photo=old)
    c.album_add_photo(album=album, actor=alice, photo=new)
    AlbumItem.objects.filter(photo=old).update(position=5)

    def order(key):
        return [i.photo_id for i in selectors.items_visible_to(album, alice, order=key)]

    assert order("manual") == [new.pk, old.pk]
    assert order("taken") == [new.pk, old.pk]
    assert order("added") == [new.pk, old.pk]
    AlbumItem.objects.filter(photo=old).update(position=0)
    assert order("manual") == [old.pk, new.pk]


def test_the_photo_api_hooks_list_albums_and_membership(alice, bob, carol):
    public = make_album(alice, title="Public")
    private = make_album(alice, title="Private", visibility="private")
    add_member(private, bob)
    photo = photo_of(alice)
    c.album_add_photo(album=public, actor=alice, photo=photo)
    c.album_add_photo(album=private, actor=alice, photo=photo)
    assert hooks.album_ids(photo, bob) == sorted([public.pk, private.pk])
    assert hooks.album_ids(photo, carol) == [public.pk]
    assert hooks.album_ids(photo, ANON) == [public.pk]
    assert hooks.shares_album(photo, bob)
    assert not hooks.shares_album(photo, carol)
    assert not hooks.shares_album(photo, ANON)


def test_search_within_an_album_finds_its_photos_the_viewer_may_see(alice, bob, api):
    from albums import contributions, services
    from tests.factories import jpeg_bytes, upload

    album = services.album_create(owner=alice, title="Quays", join_policy="open")
    inside = upload(alice, jpeg_bytes(color=(9, 99, 9)), title="Quay")
    upload(alice, jpeg_bytes(color=(99, 9, 9)), title="Elsewhere")
    contributions.album_add_photo(album=album, actor=alice, photo=inside)
    body = api.get("/api/v1/photos/", {"album": album.pk}).json()
    assert [p["id"] for p in body["results"]] == [inside.pk]
