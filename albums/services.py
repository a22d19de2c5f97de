"""Album and membership actions: one function per thing a person does.

Photo contributions, moderation and ordering live in albums.contributions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from albums import policies
from albums.errors import AlbumError, Conflict, NotAllowed
from albums.models import (
    Album,
    AlbumItem,
    ItemStatus,
    JoinPolicy,
    Kind,
    Membership,
    MemberStatus,
    Notification,
)
from albums.records import log, name_of, notify, notify_curators
from albums.selectors import check, membership_of, role_of
from licensing import catalogue

EDIT_FIELDS = ("title", "description", "cover")
CONFIGURE_FIELDS = ("visibility", "join_policy", "moderated")


def clean_policy(licenses, license_types) -> tuple[list[str], list[str]]:
    """Return a license policy in its stored form, or refuse unknown names with a sentence."""
    licenses = sorted({str(x).strip() for x in licenses or () if str(x).strip()})
    license_types = sorted({str(x).strip().lower() for x in license_types or () if str(x).strip()})
    try:
        catalogue.resolve(licenses)
        catalogue.resolve_types(license_types)
    except catalogue.UnknownLicense as exc:
        raise AlbumError(str(exc)) from None
    return licenses, license_types


@transaction.atomic
def album_create(
    *,
    owner,
    title: str,
    description: str = "",
    kind: str = Kind.COMMUNITY,
    visibility: str = "public",
    join_policy: str = JoinPolicy.REQUEST,
    moderated: bool = False,
    licenses=(),
    license_types=(),
) -> Album:
    """Create an album owned by `owner`, who becomes its first member."""
    licenses, license_types = clean_policy(licenses, license_types)
    album = Album(
        owner=owner,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        visibility=visibility,
        join_policy=JoinPolicy.INVITE if kind == Kind.PERSONAL else join_policy,
        moderated=moderated,
        licenses=licenses,
        license_types=license_types,
    )
    album.full_clean()
    album.save()
    Membership.objects.create(album=album, user=owner, role=policies.OWNER)
    log(album, owner, "created the album", album.title)
    return album


def album_update(*, album: Album, actor, **fields) -> Album:
    """Change an album's words and cover (curators) or its settings and policy (owner)."""
    if any(name in fields for name in EDIT_FIELDS):
        check(album, actor, policies.EDIT)
    if any(name in fields for name in (*CONFIGURE_FIELDS, "licenses", "license_types")):
        check(album, actor, policies.CONFIGURE)
    cover = fields.get("cover")
    if (
        cover is not None
        and not album.items.filter(photo=cover, status=ItemStatus.APPROVED).exists()
    ):
        raise AlbumError("The cover must be one of the photos in this album.")
    policy = {k: fields.pop(k) for k in ("licenses", "license_types") if k in fields}
    if policy:
        wanted = clean_policy(
            policy.get("licenses", album.licenses), policy.get("license_types", album.license_types)
        )
        same = catalogue.resolve(wanted[0]) == catalogue.resolve(album.licenses)
        policy = (
            {}
            if same and wanted[1] == sorted(album.license_types)
            else dict(zip(("licenses", "license_types"), wanted, strict=True))
        )
    changed = [name for name, value in fields.items() if getattr(album, name) != value]
    for name, value in fields.items():
        setattr(album, name, value.strip() if isinstance(value, str) else value)
    if album.kind == Kind.PERSONAL:
        album.join_policy = JoinPolicy.INVITE
    try:
        album.full_clean()
    except ValidationError as exc:
        raise AlbumError(" ".join(exc.messages)) from None
    with transaction.atomic():
        album.save()
        if changed:
            log(album, actor, "changed", ", ".join(changed))
        if policy:
            album_change_policy(
                album=album,
                actor=actor,
                licenses=policy.get("licenses", album.licenses),
                license_types=policy.get("license_types", album.license_types),
            )
    return album


def album_change_policy(*, album: Album, actor, licenses, license_types) -> list[AlbumItem]:
    """Set the license policy; items that no longer fit are flagged for curators, never removed."""
    from albums.contributions import reassess

    check(album, actor, policies.CONFIGURE)
    licenses, license_types = clean_policy(licenses, license_types)
    with transaction.atomic():
        album.licenses, album.license_types = licenses, license_types
        album.save(update_fields=["licenses", "license_types"])
        wording = ", ".join([*licenses, *license_types]) or "any license"
        log(album, actor, "changed the license policy to", wording)
        flagged = reassess(album.items.select_related("photo", "photo__owner"))
        if flagged:
            notify_curators(
                album,
                f"{len(flagged)} photo(s) in “{album.title}” no longer fit its license policy.",
                f"/albums/{album.pk}/moderation/",
                skip=actor,
            )
    return flagged


def album_delete(*, album: Album, actor) -> None:
    """Delete an album (its photos stay their owners')."""
    check(album, actor, policies.DELETE)
    album.delete()


# --- Membership ---------------------------------------------------------------


def album_join(*, album: Album, user) -> Membership:
    """Join an open album, ask to join one by request, or accept an invitation."""
    if album.kind == Kind.PERSONAL:
        raise NotAllowed("A personal album has only its owner; it takes no members.")
    existing = membership_of(album, user)
    if existing and existing.status == MemberStatus.INVITED:
        return _activate(existing, actor=user, verb="accepted the invitation")
    if existing:
        waiting = existing.status == MemberStatus.REQUESTED
        raise Conflict(
            "You already asked to join; a curator will answer."
            if waiting
            else "You are already a member of this album."
        )
    if album.join_policy == JoinPolicy.INVITE:
        raise NotAllowed("This album is by invitation only; ask a curator to invite you.")
    status = MemberStatus.ACTIVE if album.join_policy == JoinPolicy.OPEN else MemberStatus.REQUESTED
    membership = _create(album, user, role=policies.CONTRIBUTOR, status=status)
    if status == MemberStatus.REQUESTED:
        log(album, user, "asked to join")
        notify_curators(
            album, f"{name_of(user)} asks to join “{album.title}”.", f"/albums/{album.pk}/members/"
        )
    else:
        log(album, user, "joined")
    return membership


def _create(album: Album, user, *, role: str, status: str) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(album=album, user=user, role=role, status=status)
    except IntegrityError:
        raise Conflict(f"{name_of(user)} is already a member of this album.") from None
    album.__dict__.get("_memberships", {}).pop(user.pk, None)
    return membership


def _activate(membership: Membership, *, actor, verb: str) -> Membership:
    membership.status = MemberStatus.ACTIVE
    membership.save(update_fields=["status"])
    log(membership.album, actor, verb, name_of(membership.user))
    return membership


def album_invite(*, album: Album, actor, user, role: str = policies.CONTRIBUTOR) -> Membership:
    """Invite a person to an album with a role below the inviter's own."""
    actor_role = check(album, actor, policies.MANAGE_MEMBERS)
    if album.kind == Kind.PERSONAL:
        raise NotAllowed("A personal album has only its owner; it takes no members.")
    if role == policies.OWNER or not policies.can_assign(actor_role, None, role):
        raise NotAllowed(f"You can only invite people with a role below yours ({actor_role}).")
    existing = membership_of(album, user)
    if existing and existing.status == MemberStatus.REQUESTED:
        return album_approve_member(album=album, actor=actor, user=user)
    if existing:
        raise Conflict(f"{name_of(user)} is already a member of this album or invited to it.")
    membership = _create(album, user, role=role, status=MemberStatus.INVITED)
    log(album, actor, f"invited as {role}", name_of(user))
    notify(user, f"{name_of(actor)} invites you to “{album.title}”.", album.get_absolute_url())
    return membership


def _member(album: Album, user, *, status: str | None = None) -> Membership:
    membership = membership_of(album, user)
    if membership is None or (status and membership.status != status):
        raise AlbumError(f"{name_of(user)} is not {_STATUS_WORDS[status]} this album.")
    return membership


_STATUS_WORDS = {
    None: "a member of",
    MemberStatus.ACTIVE: "a member of",
    MemberStatus.REQUESTED: "asking to join",
    MemberStatus.INVITED: "invited to",
}


@transaction.atomic
def album_approve_member(*, album: Album, actor, user) -> Membership:
    """Let in a person who asked to join."""
    check(album, actor, policies.MANAGE_MEMBERS)
    membership = _activate(
        _member(album, user, status=MemberStatus.REQUESTED), actor=actor, verb="approved"
    )
    notify(user, f"You are now a member of “{album.title}”.", album.get_absolute_url())
    return membership


@transaction.atomic
def album_refuse_member(*, album: Album, actor, user) -> None:
    """Turn down a request to join."""
    check(album, actor, policies.MANAGE_MEMBERS)
    _member(album, user, status=MemberStatus.REQUESTED).delete()
    log(album, actor, "turned down the request of", name_of(user))
    notify(user, f"Your request to join “{album.title}” was turned down.")


@transaction.atomic
def album_change_role(*, album: Album, actor, user, role: str) -> Membership:
    """Give a member a role below the actor's own; the owner may also hand ownership over."""
    actor_role = role_of(album, actor)
    if role not in policies.ROLES:
        raise AlbumError(f"role must be one of {', '.join(policies.ROLES)}.")
    membership = _member(album, user)
    if not policies.can_assign(actor_role, membership.role, role):
        check(album, actor, policies.MANAGE_MEMBERS)
        raise NotAllowed(
            "You can only change the roles of members below you, to roles below yours."
        )
    if role == policies.OWNER:
        return _transfer(album, actor, membership)
    membership.role = role
    membership.save(update_fields=["role"])
    log(album, actor, f"made {role}", name_of(user))
    notify(user, f"You are now {role} of “{album.title}”.", album.get_absolute_url())
    return membership


def _transfer(album: Album, actor, membership: Membership) -> Membership:
    """Hand ownership over to an active member; the old owner stays as a curator."""
    if not membership.is_active:
        raise AlbumError("Ownership can only go to an active member.")
    Membership.objects.filter(album=album, user=actor).update(role=policies.CURATOR)
    membership.role = policies.OWNER
    membership.save(update_fields=["role"])
    album.owner = membership.user
    album.save(update_fields=["owner"])
    album.__dict__.pop("_memberships", None)
    log(album, actor, "handed ownership to", name_of(membership.user))
    notify(membership.user, f"You now own “{album.title}”.", album.get_absolute_url())
    return membership


@transaction.atomic
def album_remove_member(*, album: Album, actor, user) -> None:
    """Remove a member below the actor (or withdraw an invitation); their photos stay."""
    actor_role = check(album, actor, policies.MANAGE_MEMBERS)
    membership = _member(album, user)
    if not policies.outranks(actor_role, membership.role):
        raise NotAllowed("You can only remove members below your own role.")
    membership.delete()
    log(album, actor, "removed", name_of(user))


def album_leave(*, album: Album, user) -> None:
    """Leave an album (the owner hands it over first); photos already in it stay."""
    membership = _member(album, user)
    if membership.is_active and not policies.allows(membership.role, policies.LEAVE):
        raise NotAllowed(policies.refusal(policies.LEAVE))
    membership.delete()
    album.__dict__.pop("_memberships", None)
    log(album, user, "left" if membership.is_active else "declined or withdrew")


def notifications_mark_read(*, user) -> int:
    """Mark all of a person's notifications read; return how many were unread."""
    return Notification.objects.filter(user=user, read=False).update(read=True)
