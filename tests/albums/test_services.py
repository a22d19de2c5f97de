"""Creating albums and managing who is in them: joining, inviting, roles, leaving."""

import pytest

from albums import services
from albums.errors import AlbumError, Conflict, NotAllowed
from albums.models import ActivityLog, Membership, Notification
from tests.albums.conftest import add_member, make_album

pytestmark = pytest.mark.django_db


def status_of(album, user):
    row = Membership.objects.filter(album=album, user=user).first()
    return (row.role, row.status) if row else None


def test_creating_an_album_makes_its_owner_the_first_member(alice):
    album = make_album(alice, licenses=["BY", "cc-by-sa-4.0"], license_types=["Commercial"])
    assert status_of(album, alice) == ("owner", "active")
    assert album.licenses == ["BY", "cc-by-sa-4.0"]
    assert album.license_types == ["commercial"]
    assert ActivityLog.objects.get(album=album).verb == "created the album"


def test_an_unknown_license_in_the_policy_is_refused_with_a_sentence(alice):
    with pytest.raises(AlbumError, match="Unknown license 'by-xx'"):
        make_album(alice, licenses=["by-xx"])
    with pytest.raises(AlbumError, match="Unknown license type 'cheap'"):
        make_album(alice, license_types=["cheap"])


def test_a_personal_album_takes_no_members(alice, bob):
    album = make_album(alice, kind="personal", join_policy="open")
    assert album.join_policy == "invite"
    with pytest.raises(NotAllowed, match="personal album"):
        services.album_join(album=album, user=bob)
    with pytest.raises(NotAllowed, match="personal album"):
        services.album_invite(album=album, actor=alice, user=bob)


def test_joining_an_open_album_makes_a_contributor_at_once(alice, bob):
    album = make_album(alice, join_policy="open")
    services.album_join(album=album, user=bob)
    assert status_of(album, bob) == ("contributor", "active")


def test_joining_twice_is_a_conflict(alice, bob):
    album = make_album(alice, join_policy="open")
    services.album_join(album=album, user=bob)
    with pytest.raises(Conflict, match="already a member"):
        services.album_join(album=album, user=bob)


def test_joining_by_request_waits_for_a_curator_who_is_told(alice, bob):
    album = make_album(alice, join_policy="request")
    services.album_join(album=album, user=bob)
    assert status_of(album, bob) == ("contributor", "requested")
    assert Notification.objects.filter(user=alice, text__contains="asks to join").exists()
    with pytest.raises(Conflict, match="already asked"):
        services.album_join(album=album, user=bob)
    services.album_approve_member(album=album, actor=alice, user=bob)
    assert status_of(album, bob) == ("contributor", "active")
    assert Notification.objects.filter(user=bob, text__contains="now a member").exists()


def test_a_curator_can_turn_a_request_down(alice, bob, carol):
    album = make_album(alice, join_policy="request")
    add_member(album, bob, role="curator")
    services.album_join(album=album, user=carol)
    services.album_refuse_member(album=album, actor=bob, user=carol)
    assert status_of(album, carol) is None
    assert Notification.objects.filter(user=carol, text__contains="turned down").exists()


def test_a_contributor_cannot_approve_requests(alice, bob, carol):
    album = make_album(alice, join_policy="request")
    add_member(album, bob)
    services.album_join(album=album, user=carol)
    with pytest.raises(NotAllowed, match="Only curators can manage"):
        services.album_approve_member(album=album, actor=bob, user=carol)


def test_an_invite_only_album_refuses_to_be_joined_but_accepts_an_invitation(alice, bob):
    album = make_album(alice, join_policy="invite")
    with pytest.raises(NotAllowed, match="by invitation only"):
        services.album_join(album=album, user=bob)
    services.album_invite(album=album, actor=alice, user=bob, role="curator")
    assert status_of(album, bob) == ("curator", "invited")
    assert Notification.objects.filter(user=bob, text__contains="invites you").exists()
    services.album_join(album=album, user=bob)
    assert status_of(album, bob) == ("curator", "active")


def test_inviting_someone_who_asked_to_join_lets_them_in(alice, bob):
    album = make_album(alice, join_policy="request")
    services.album_join(album=album, user=bob)
    services.album_invite(album=album, actor=alice, user=bob)
    assert status_of(album, bob) == ("contributor", "active")


def test_a_curator_cannot_invite_a_curator(alice, bob, carol):
    album = make_album(alice, join_policy="invite")
    add_member(album, bob, role="curator")
    with pytest.raises(NotAllowed, match="below yours"):
        services.album_invite(album=album, actor=bob, user=carol, role="curator")
    services.album_invite(album=album, actor=bob, user=carol, role="contributor")


def test_strangers_and_contributors_cannot_invite(alice, bob, carol):
    album = make_album(alice, join_policy="invite")
    add_member(album, bob)
    for actor in (bob, carol):
        with pytest.raises(NotAllowed):
            services.album_invite(album=album, actor=actor, user=carol if actor == bob else bob)


def test_roles_change_only_below_the_actors_own(alice, bob, carol):
    album = make_album(alice)
    add_member(album, bob, role="curator")
    add_member(album, carol)
    services.album_change_role(album=album, actor=bob, user=carol, role="viewer")
    assert status_of(album, carol) == ("viewer", "active")
    with pytest.raises(NotAllowed):
        services.album_change_role(album=album, actor=bob, user=carol, role="curator")
    with pytest.raises(NotAllowed):
        services.album_change_role(album=album, actor=bob, user=alice, role="viewer")
    with pytest.raises(NotAllowed):
        services.album_change_role(album=album, actor=carol, user=bob, role="viewer")
    assert ActivityLog.objects.filter(album=album, verb="made viewer").exists()


def test_an_unknown_role_is_refused(alice, bob):
    album = make_album(alice)
    add_member(album, bob)
    with pytest.raises(AlbumError, match="role must be one of"):
        services.album_change_role(album=album, actor=alice, user=bob, role="emperor")


def test_the_owner_hands_ownership_over_and_stays_as_a_curator(alice, bob):
    album = make_album(alice)
    add_member(album, bob)
    services.album_change_role(album=album, actor=alice, user=bob, role="owner")
    album.refresh_from_db()
    assert album.owner == bob
    assert status_of(album, bob) == ("owner", "active")
    assert status_of(album, alice) == ("curator", "active")
    services.album_leave(album=album, user=alice)
    assert status_of(album, alice) is None


def test_a_curator_cannot_hand_ownership_over(alice, bob, carol):
    album = make_album(alice)
    add_member(album, bob, role="curator")
    add_member(album, carol)
    with pytest.raises(NotAllowed):
        services.album_change_role(album=album, actor=bob, user=carol, role="owner")


def test_ownership_goes_only_to_an_active_member(alice, bob):
    album = make_album(alice, join_policy="request")
    services.album_join(album=album, user=bob)
    with pytest.raises(AlbumError, match="active member"):
        services.album_change_role(album=album, actor=alice, user=bob, role="owner")


def test_removing_members_works_only_downwards(alice, bob, carol):
    album = make_album(alice)
    add_member(album, bob, role="curator")
    add_member(album, carol)
    with pytest.raises(NotAllowed, match="below your own role"):
        services.album_remove_member(album=album, actor=bob, user=alice)
    services.album_remove_member(album=album, actor=bob, user=carol)
    assert status_of(album, carol) is None
    assert ActivityLog.objects.filter(album=album, verb="removed", actor=bob).exists()


def test_the_owner_cannot_leave_without_handing_over(alice):
    album = make_album(alice)
    with pytest.raises(NotAllowed, match="hand ownership over"):
        services.album_leave(album=album, user=alice)


def test_leaving_when_not_a_member_says_so(alice, carol):
    album = make_album(alice)
    with pytest.raises(AlbumError, match="not a member"):
        services.album_leave(album=album, user=carol)


@pytest.mark.parametrize(
    ("role", "fields", "allowed"),
    [
        ("curator", {"title": "Ports"}, True),
        ("curator", {"description": "Boats."}, True),
        ("curator", {"visibility": "private"}, False),
        ("curator", {"moderated": True}, False),
        ("curator", {"licenses": ["cc0"]}, False),
        ("contributor", {"title": "Ports"}, False),
        ("viewer", {"description": "x"}, False),
        (None, {"title": "Ports"}, False),
    ],
)
def test_who_may_change_what(alice, bob, role, fields, allowed):
    album = make_album(alice)
    if role:
        add_member(album, bob, role=role)
    if allowed:
        services.album_update(album=album, actor=bob, **fields)
        album.refresh_from_db()
        assert all(getattr(album, k) == v for k, v in fields.items())
    else:
        with pytest.raises(NotAllowed):
            services.album_update(album=album, actor=bob, **fields)


def test_the_owner_changes_settings_and_the_log_says_what(alice):
    album = make_album(alice)
    services.album_update(album=album, actor=alice, visibility="private", join_policy="invite")
    album.refresh_from_db()
    assert (album.visibility, album.join_policy) == ("private", "invite")
    assert ActivityLog.objects.filter(album=album, target="visibility, join_policy").exists()


def test_a_blank_title_is_refused(alice):
    album = make_album(alice)
    with pytest.raises(AlbumError, match="blank"):
        services.album_update(album=album, actor=alice, title="  ")


def test_only_the_owner_deletes(alice, bob):
    album = make_album(alice)
    add_member(album, bob, role="curator")
    with pytest.raises(NotAllowed, match="Only the album's owner can delete"):
        services.album_delete(album=album, actor=bob)
    services.album_delete(album=album, actor=alice)
    assert not type(album).objects.filter(pk=album.pk).exists()


def test_notifications_are_marked_read(alice, bob):
    album = make_album(alice, join_policy="request")
    services.album_join(album=album, user=bob)
    assert services.notifications_mark_read(user=alice) == 1
    assert not Notification.objects.filter(user=alice, read=False).exists()


def test_saving_an_unchanged_policy_writes_no_policy_line(alice):
    album = make_album(alice, licenses=["by"])
    services.album_update(album=album, actor=alice, licenses=["BY"], license_types=[])
    assert not ActivityLog.objects.filter(verb="changed the license policy to").exists()
    services.album_update(album=album, actor=alice, licenses=["cc0"])
    assert ActivityLog.objects.get(verb="changed the license policy to").target == "cc0"
