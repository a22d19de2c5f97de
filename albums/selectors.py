"""Read paths for albums: one place decides which albums and items a viewer may see.

- Lists show public albums, plus every album the viewer is an active member of.
- An album by its address opens for anyone when public or unlisted; a private album opens
  for its members (and for people invited to it, so they can accept).
- Items shown are approved ones whose photo the viewer may open (photos.selectors.can_view):
  a private photo of someone else never shows, even inside an album. Pending and rejected
  items show to curators, and to the person who contributed them.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from albums import policies
from albums.errors import NotAllowed
from albums.models import (
    ActivityLog,
    Album,
    AlbumItem,
    AlbumVisibility,
    ItemStatus,
    Membership,
    MemberStatus,
    Notification,
)
from photos import selectors as photo_selectors
from photos.models import Visibility

ORDERINGS = {
    "manual": ("position", "id"),
    "taken": (F("photo__taken_at").desc(nulls_last=True), "-photo__uploaded_at", "id"),
    "added": ("-added_at", "-id"),
}


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def album_list_visible_to(viewer) -> QuerySet[Album]:
    """Return the albums a viewer may find in lists: public ones, and those they belong to."""
    rule = Q(visibility=AlbumVisibility.PUBLIC)
    if _signed_in(viewer):
        rule |= Q(memberships__user=viewer, memberships__status=MemberStatus.ACTIVE)
    ids = Album.objects.filter(rule).values("pk")
    return (
        Album.objects.filter(pk__in=ids)
        .select_related("owner", "owner__profile", "cover")
        .prefetch_related("cover__renditions")
        .annotate(
            photo_count=Count(  # only photos this viewer may open: no count reveals a private one
                "items",
                filter=Q(items__status=ItemStatus.APPROVED) & _photo_visible(viewer, "items__"),
                distinct=True,
            ),
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=MemberStatus.ACTIVE),
                distinct=True,
            ),
        )
        .order_by("-created", "-id")  # Meta.ordering is ignored once the query groups
    )


def membership_of(album: Album, user) -> Membership | None:
    """Return the person's membership row (any status), or None."""
    if not _signed_in(user):
        return None
    cache = album.__dict__.setdefault("_memberships", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(album=album, user=user).first()
    return cache[user.pk]


def role_of(album: Album, user) -> str | None:
    """Return the person's active role in the album, or None."""
    membership = membership_of(album, user)
    return membership.role if membership and membership.is_active else None


def can_open(album: Album, viewer) -> bool:
    """Say whether a viewer may open this album by its address."""
    if album.visibility != AlbumVisibility.PRIVATE:
        return True
    membership = membership_of(album, viewer)
    return membership is not None and membership.status != MemberStatus.REQUESTED


def album_get_for_viewer(album_id: int, *, viewer) -> Album:
    """Return an album the viewer may open, else 404."""
    album = Album.objects.select_related("owner", "owner__profile", "cover").filter(pk=album_id)
    album = album.first()
    if album is None or not can_open(album, viewer):
        raise Http404("No such album, or it is not visible to you.")
    return album


def cover_for(album: Album, viewer):
    """Return the album's cover photo if the viewer may open it, else None."""
    cover = album.cover
    return cover if cover is not None and photo_selectors.can_view(cover, viewer) else None


def album_get_for_editor(album_id: int, *, viewer, action: str) -> Album:
    """Return an album the viewer may act on: 404 if unseen, 403 if their role does not allow."""
    album = album_get_for_viewer(album_id, viewer=viewer)
    check(album, viewer, action)
    return album


def check(album: Album, user, action: str) -> str | None:
    """Refuse (403) unless the person's role allows the action; return the role."""
    role = role_of(album, user)
    if not policies.allows(role, action):
        raise NotAllowed(policies.refusal(action))
    return role


def _photo_visible(viewer, via: str = "") -> Q:
    """Match items (through `via` from another model) whose photo the viewer may open."""
    rule = Q(**{f"{via}photo__visibility__in": [Visibility.PUBLIC, Visibility.UNLISTED]})
    if _signed_in(viewer):
        rule |= Q(**{f"{via}photo__owner": viewer})
    return rule


def _with_photos(qs: QuerySet[AlbumItem]) -> QuerySet[AlbumItem]:
    return qs.select_related("photo", "photo__owner", "photo__owner__profile", "added_by")


def items_visible_to(album: Album, viewer, *, order: str = "manual") -> QuerySet[AlbumItem]:
    """Return the album's approved items whose photo the viewer may see, in the chosen order."""
    qs = AlbumItem.objects.filter(album=album, status=ItemStatus.APPROVED)
    qs = _with_photos(qs.filter(_photo_visible(viewer))).prefetch_related(
        "photo__renditions", "photo__source_links__source__owner__profile"
    )
    return qs.order_by(*ORDERINGS.get(order, ORDERINGS["manual"]))


def items_waiting_for(album: Album, viewer) -> QuerySet[AlbumItem]:
    """Return pending and rejected items the viewer may see: all for curators, else their own."""
    qs = AlbumItem.objects.filter(
        album=album, status__in=[ItemStatus.PENDING, ItemStatus.REJECTED]
    ).filter(_photo_visible(viewer))
    if not _signed_in(viewer):
        return qs.none()
    if not policies.allows(role_of(album, viewer), policies.MODERATE):
        qs = qs.filter(Q(added_by=viewer) | Q(photo__owner=viewer))
    return _with_photos(qs).prefetch_related("photo__renditions").order_by("added_at", "id")


def pending_items(album: Album, viewer) -> QuerySet[AlbumItem]:
    """Return the moderation queue, oldest first (the caller checks the viewer moderates)."""
    qs = AlbumItem.objects.filter(album=album, status=ItemStatus.PENDING)
    qs = qs.filter(_photo_visible(viewer))
    return _with_photos(qs).prefetch_related("photo__renditions").order_by("added_at", "id")


def flagged_items(album: Album, viewer) -> QuerySet[AlbumItem]:
    """Return items that no longer fit the license policy, for curators to decide on."""
    qs = AlbumItem.objects.filter(album=album).exclude(flagged_reason="")
    qs = qs.filter(_photo_visible(viewer))
    return _with_photos(qs).prefetch_related("photo__renditions").order_by("position", "id")


def members_of(album: Album, viewer) -> QuerySet[Membership]:
    """Return active members; curators also see requests and invitations."""
    qs = Membership.objects.filter(album=album).select_related("user", "user__profile")
    if not policies.allows(role_of(album, viewer), policies.MANAGE_MEMBERS):
        qs = qs.filter(status=MemberStatus.ACTIVE)
    return qs.order_by("status", "created", "id")


def activity_of(album: Album, viewer=None) -> QuerySet[ActivityLog]:
    """Return the album's activity, newest first, leaving out lines that name one of its
    photos the viewer may not open (one made private after it was added keeps its title)."""
    hidden = AlbumItem.objects.filter(album=album).exclude(_photo_visible(viewer))
    return (
        ActivityLog.objects.filter(album=album)
        .exclude(target__in=hidden.values("photo__title"))
        .select_related("actor")
    )


def albums_accepting_from(user) -> QuerySet[Album]:
    """Return the albums a person may add photos to (contributor or above)."""
    roles = [role for role in policies.ROLES if policies.allows(role, policies.ADD_OWN)]
    return Album.objects.filter(
        memberships__user=user,
        memberships__status=MemberStatus.ACTIVE,
        memberships__role__in=roles,
    ).order_by("title", "id")


def albums_holding(photo, viewer) -> QuerySet[Album]:
    """Return the albums listing this photo (approved) that the viewer may find in lists."""
    return album_list_visible_to(viewer).filter(
        items__photo=photo, items__status=ItemStatus.APPROVED
    )


def album_ids_holding(photo, viewer) -> list[int]:
    """Return ids of visible albums holding the photo (the photos.hooks provider)."""
    return list(albums_holding(photo, viewer).values_list("pk", flat=True))


def shares_album(photo, user) -> bool:
    """Say whether a person is an active member of an album holding the photo."""
    if not _signed_in(user):
        return False
    return AlbumItem.objects.filter(
        photo=photo,
        status=ItemStatus.APPROVED,
        album__memberships__user=user,
        album__memberships__status=MemberStatus.ACTIVE,
    ).exists()


def notifications_for(user) -> QuerySet[Notification]:
    """Return a person's notifications, newest first."""
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    """Return how many notifications a person has not read."""
    if not _signed_in(user):
        return 0
    return Notification.objects.filter(user=user, read=False).count()


def album_photo_ids(album_id: int, viewer) -> list[int]:
    """Answer the search's `album` filter: photos of the album the viewer may see."""
    try:
        album = album_get_for_viewer(album_id, viewer=viewer)
    except Http404:
        return []
    return list(items_visible_to(album, viewer).values_list("photo_id", flat=True))
