"""Photos in albums: who may add what, moderation, opt-out, ordering and license flags."""

import pytest
from django.test import TestCase

from albums import contributions as c
from albums import services
from albums.errors import AlbumError, Conflict, NotAllowed, PolicyRefused
from albums.models import ActivityLog, AlbumItem, Notification
from photos import services as photo_services
from tests.albums.conftest import add_member, make_album, photo_of

pytestmark = pytest.mark.django_db


def statuses(album):
    return {item.photo_id: item.status for item in AlbumItem.objects.filter(album=album)}


# --- Who may add what ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("owner", True), ("curator", True), ("contributor", True), ("viewer", False), (None, False)],
)
def test_members_from_contributor_up_add_their_own_photos(alice, bob, role, allowed):
    album = make_album(alice)
    if role == "owner":
        actor = alice
    else:
        actor = bob
        if role:
            add_member(album, bob, role=role)
    photo = photo_of(actor)
    if allowed:
        assert c.album_add_photo(album=album, actor=actor, photo=photo).status == "approved"
    else:
        with pytest.raises(NotAllowed, match="Only contributors"):
            c.album_add_photo(album=album, actor=actor, photo=photo)


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("curator", True), ("contributor", False)]
)
def test_only_curators_add_other_peoples_public_photos(alice, bob, carol, role, allowed):
    album = make_album(alice)
    actor = alice if role == "owner" else bob
    if actor == bob:
        add_member(album, bob, role=role)
    photo = photo_of(carol, license="CC-BY-SA-4.0")
    if allowed:
        item = c.album_add_photo(album=album, actor=actor, photo=photo)
        assert item.added_by == actor and item.photo.owner == carol
    else:
        with pytest.raises(NotAllowed, match="Only curators can add other people"):
            c.album_add_photo(album=album, actor=actor, photo=photo)


def test_an_all_rights_reserved_photo_gets_in_only_when_its_owner_adds_it(alice, carol):
    album = make_album(alice)
    add_member(album, carol)
    reserved = photo_of(carol, license="all-rights-reserved")
    with pytest.raises(PolicyRefused, match="only the owner of this work may add it"):
        c.album_add_photo(album=album, actor=alice, photo=reserved)
    assert c.album_add_photo(album=album, actor=carol, photo=reserved).status == "approved"


def test_curators_cannot_add_someone_elses_unlisted_photo(alice, carol):
    album = make_album(alice)
    hidden = photo_of(carol, visibility="unlisted")
    with pytest.raises(NotAllowed, match="Only public photos"):
        c.album_add_photo(album=album, actor=alice, photo=hidden)


def test_a_private_photo_stays_out_of_community_albums_but_not_personal_ones(alice):
    private = photo_of(alice, visibility="private")
    with pytest.raises(AlbumError, match="This photo is private"):
        c.album_add_photo(album=make_album(alice), actor=alice, photo=private)
    personal = make_album(alice, kind="personal")
    assert c.album_add_photo(album=personal, actor=alice, photo=private).status == "approved"


def test_a_personal_album_holds_only_its_owners_photos(alice, bob):
    personal = make_album(alice, kind="personal")
    with pytest.raises(NotAllowed, match="only its owner's own photos"):
        c.album_add_photo(album=personal, actor=alice, photo=photo_of(bob))


def test_adding_a_photo_twice_is_a_conflict(alice):
    album = make_album(alice)
    photo = photo_of(alice)
    c.album_add_photo(album=album, actor=alice, photo=photo)
    with pytest.raises(Conflict, match="already in this album"):
        c.album_add_photo(album=album, actor=alice, photo=photo)


# --- License policies ----------------------------------------------------------------


def test_a_photo_outside_the_policy_is_refused_with_the_reason(alice, bob):
    album = make_album(alice, license_types=["commercial"])
    add_member(album, bob)
    photo = photo_of(bob, license="CC-BY-NC-4.0")
    with pytest.raises(PolicyRefused) as refused:
        c.album_add_photo(album=album, actor=bob, photo=photo)
    assert refused.value.message.startswith(
        "This album accepts only licenses that allow commercial use; CC BY-NC 4.0 does not."
    )
    assert not AlbumItem.objects.exists()


def test_a_free_culture_album_names_the_licenses_it_accepts(alice):
    album = make_album(alice, licenses=["cc0", "pdm", "by", "by-sa"])
    with pytest.raises(PolicyRefused, match=r"CC BY-ND 4\.0 is not one of them"):
        c.album_add_photo(album=album, actor=alice, photo=photo_of(alice, license="CC-BY-ND-4.0"))
    ok = photo_of(alice, license="CC-BY-SA-2.0")
    assert c.album_add_photo(album=album, actor=alice, photo=ok).status == "approved"


def test_even_the_owner_of_a_photo_meets_the_policy(alice):
    album = make_album(alice, licenses=["cc0"])
    with pytest.raises(PolicyRefused, match="All rights reserved is not one of them"):
        c.album_add_photo(
            album=album, actor=alice, photo=photo_of(alice, license="all-rights-reserved")
        )


def test_changing_the_policy_flags_what_no_longer_fits_and_removes_nothing(alice, bob):
    album = make_album(alice)
    add_member(album, bob, role="curator")
    free = photo_of(alice, license="CC0-1.0")
    nc = photo_of(alice, license="CC-BY-NC-4.0")
    for photo in (free, nc):
        c.album_add_photo(album=album, actor=alice, photo=photo)
    flagged = services.album_change_policy(
        album=album, actor=alice, licenses=[], license_types=["commercial"]
    )
    assert [item.photo_id for item in flagged] == [nc.pk]
    assert statuses(album) == {free.pk: "approved", nc.pk: "approved"}
    item = AlbumItem.objects.get(photo=nc)
    assert "allow commercial use" in item.flagged_reason
    assert Notification.objects.filter(user=bob, text__contains="no longer fit").exists()
    # Loosening the policy clears the flag.
    services.album_change_policy(album=album, actor=alice, licenses=[], license_types=[])
    item.refresh_from_db()
    assert item.flagged_reason == ""


def test_a_curator_keeps_a_flagged_photo_or_takes_it_out(alice):
    album = make_album(alice)
    keep, drop = photo_of(alice, license="CC-BY-NC-4.0"), photo_of(alice, license="CC-BY-ND-4.0")
    for photo in (keep, drop):
        c.album_add_photo(album=album, actor=alice, photo=photo)
    services.album_change_policy(album=album, actor=alice, licenses=["cc0"], license_types=[])
    c.album_keep_flagged(item=AlbumItem.objects.get(photo=keep), actor=alice)
    c.album_remove_photo(item=AlbumItem.objects.get(photo=drop), actor=alice)
    assert AlbumItem.objects.get(photo=keep).flagged_reason == ""
    assert statuses(album) == {keep.pk: "approved"}
    assert ActivityLog.objects.filter(verb="kept despite the license policy").exists()


def test_a_license_change_flags_the_photo_in_albums_it_no_longer_fits(alice, bob):
    album = make_album(alice, license_types=["commercial"])
    add_member(album, bob)
    photo = photo_of(bob, license="CC-BY-4.0")
    c.album_add_photo(album=album, actor=bob, photo=photo)
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo_services.photo_update(photo=photo, actor=bob, confirm=True, license="CC-BY-NC-4.0")
    item = AlbumItem.objects.get(photo=photo)
    assert item.status == "approved"
    assert "CC BY-NC 4.0 does not" in item.flagged_reason
    assert Notification.objects.filter(user=alice, text__contains="changed license").exists()


def test_a_photo_a_curator_collected_is_flagged_when_it_becomes_all_rights_reserved(alice, carol):
    album = make_album(alice)
    photo = photo_of(carol, license="CC-BY-4.0")
    c.album_add_photo(album=album, actor=alice, photo=photo)
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo_services.photo_update(
            photo=photo, actor=carol, confirm=True, license="all-rights-reserved"
        )
    assert "only the owner" in AlbumItem.objects.get(photo=photo).flagged_reason


# --- Moderation ----------------------------------------------------------------------


def test_in_a_moderated_album_a_contribution_waits_and_curators_are_told(alice, bob):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    photo = photo_of(bob)
    item = c.album_add_photo(album=album, actor=bob, photo=photo)
    assert item.status == "pending"
    assert Notification.objects.filter(user=alice, text__contains="submitted").exists()
    with pytest.raises(Conflict, match="already waiting"):
        c.album_add_photo(album=album, actor=bob, photo=photo)


def test_curators_skip_the_queue(alice, bob):
    album = make_album(alice, moderated=True)
    add_member(album, bob, role="curator")
    assert c.album_add_photo(album=album, actor=bob, photo=photo_of(bob)).status == "approved"


def test_approving_tells_the_contributor(alice, bob):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    item = c.album_add_photo(album=album, actor=bob, photo=photo_of(bob, title="Quay"))
    c.album_moderate(item=item, actor=alice, decision="approve")
    assert item.status == "approved"
    assert Notification.objects.get(user=bob).text == "“Quay” is now in “Harbours”."
    assert ActivityLog.objects.filter(verb="approved", target="Quay", actor=alice).exists()


def test_rejecting_needs_a_reason_which_the_contributor_reads(alice, bob):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    item = c.album_add_photo(album=album, actor=bob, photo=photo_of(bob, title="Quay"))
    with pytest.raises(AlbumError, match="Give a reason"):
        c.album_moderate(item=item, actor=alice, decision="reject", reason=" ")
    c.album_moderate(item=item, actor=alice, decision="reject", reason="Too blurry")
    assert (item.status, item.reason) == ("rejected", "Too blurry")
    assert "Too blurry" in Notification.objects.get(user=bob).text


def test_a_rejected_photo_can_be_resubmitted_by_its_contributor_only(alice, bob, carol):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    add_member(album, carol, role="curator")
    photo = photo_of(bob)
    item = c.album_add_photo(album=album, actor=bob, photo=photo)
    c.album_moderate(item=item, actor=alice, decision="reject", reason="Crop it")
    with pytest.raises(NotAllowed, match="Only the person who contributed"):
        c.album_resubmit(item=item, actor=carol)
    again = c.album_add_photo(album=album, actor=bob, photo=photo)  # adding again resubmits
    assert (again.status, again.reason) == ("pending", "")


@pytest.mark.parametrize("role", ["contributor", "viewer", None])
def test_only_curators_moderate(alice, bob, carol, role):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    if role:
        add_member(album, carol, role=role)
    item = c.album_add_photo(album=album, actor=bob, photo=photo_of(bob))
    with pytest.raises(NotAllowed, match="Only curators can approve"):
        c.album_moderate(item=item, actor=carol, decision="approve")


def test_an_unknown_decision_is_refused(alice, bob):
    album = make_album(alice, moderated=True)
    add_member(album, bob)
    item = c.album_add_photo(album=album, actor=bob, photo=photo_of(bob))
    with pytest.raises(AlbumError, match='"approve" or "reject"'):
        c.album_moderate(item=item, actor=alice, decision="maybe")


# --- Removing and ordering ----------------------------------------------------------


def test_the_photos_owner_always_takes_it_out_of_someone_elses_album(alice, carol):
    album = make_album(alice)
    photo = photo_of(carol)
    c.album_add_photo(album=album, actor=alice, photo=photo)  # carol is not even a member
    services.album_update(album=album, actor=alice, cover=photo)
    c.album_remove_photo(item=AlbumItem.objects.get(photo=photo), actor=carol)
    album.refresh_from_db()
    assert statuses(album) == {} and album.cover is None
    assert ActivityLog.objects.filter(verb="took their photo out", actor=carol).exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("curator", True), ("contributor", False), ("viewer", False), (None, False)],
)
def test_who_may_take_out_someone_elses_photo(alice, bob, role, allowed):
    album = make_album(alice)
    if role:
        add_member(album, bob, role=role)
    item = c.album_add_photo(album=album, actor=alice, photo=photo_of(alice))
    if allowed:
        c.album_remove_photo(item=item, actor=bob)
        assert statuses(album) == {}
    else:
        with pytest.raises(NotAllowed, match="Only curators, or the photo's owner"):
            c.album_remove_photo(item=item, actor=bob)


def test_deleting_a_photo_removes_it_from_albums_which_keep_working(alice, bob):
    album = make_album(alice)
    add_member(album, bob)
    doomed, kept = photo_of(bob), photo_of(alice)
    c.album_add_photo(album=album, actor=bob, photo=doomed)
    c.album_add_photo(album=album, actor=alice, photo=kept)
    services.album_update(album=album, actor=alice, cover=doomed)
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo_services.photo_delete(photo=doomed)
    album.refresh_from_db()
    assert album.cover is None
    assert statuses(album) == {kept.pk: "approved"}
    c.album_move_photo(item=AlbumItem.objects.get(photo=kept), actor=alice, position=0)


def test_moving_a_photo_renumbers_the_manual_order(alice):
    album = make_album(alice)
    photos = [photo_of(alice) for _ in range(4)]
    for photo in photos:
        c.album_add_photo(album=album, actor=alice, photo=photo)
    last = AlbumItem.objects.get(photo=photos[3])
    c.album_move_photo(item=last, actor=alice, position=0)
    order = list(
        AlbumItem.objects.filter(album=album)
        .order_by("position")
        .values_list("photo_id", flat=True)
    )
    assert order == [photos[3].pk, photos[0].pk, photos[1].pk, photos[2].pk]


def test_reordering_sets_one_page_of_the_order(alice):
    album = make_album(alice)
    photos = [photo_of(alice) for _ in range(4)]
    for photo in photos:
        c.album_add_photo(album=album, actor=alice, photo=photo)
    c.album_reorder(album=album, actor=alice, photo_ids=[photos[2].pk, photos[1].pk], offset=1)
    order = list(
        AlbumItem.objects.filter(album=album)
        .order_by("position")
        .values_list("photo_id", flat=True)
    )
    assert order == [photos[0].pk, photos[2].pk, photos[1].pk, photos[3].pk]
    with pytest.raises(AlbumError, match="does not match"):
        c.album_reorder(album=album, actor=alice, photo_ids=[photos[0].pk, 999999])


@pytest.mark.parametrize("role", ["contributor", "viewer", None])
def test_only_curators_reorder(alice, bob, role):
    album = make_album(alice)
    if role:
        add_member(album, bob, role=role)
    item = c.album_add_photo(album=album, actor=alice, photo=photo_of(alice))
    with pytest.raises(NotAllowed, match="Only curators can change the order"):
        c.album_move_photo(item=item, actor=bob, position=0)
    with pytest.raises(NotAllowed):
        c.album_reorder(album=album, actor=bob, photo_ids=[item.photo_id])


def test_the_cover_must_be_a_photo_in_the_album(alice):
    album = make_album(alice)
    with pytest.raises(AlbumError, match="cover must be one of the photos"):
        services.album_update(album=album, actor=alice, cover=photo_of(alice))
