"""Photos in albums: contributing, moderating, removing, ordering and policy flags.

The licensing compatibility functions decide what fits; this module only asks them:
`can_collect` says whether someone else's work may be collected at all (all rights reserved
may not), and `satisfies_policy` checks the album's own license policy.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from albums import policies
from albums.errors import AlbumError, Conflict, NotAllowed, PolicyRefused
from albums.models import Album, AlbumItem, ItemStatus, Kind
from albums.records import log, name_of, notify, notify_curators
from albums.selectors import check
from licensing import catalogue, compatibility
from photos.models import Photo, Visibility

WAITING = "Waiting for a curator: this album reviews contributions before they appear."


def fits(album: Album, photo: Photo) -> compatibility.Verdict:
    """Tell whether a photo's license meets the album's license policy."""
    return compatibility.satisfies_policy(
        catalogue.get(photo.license),
        licenses=set(album.licenses),
        license_types=set(album.license_types),
    )


def _check_can_add(album: Album, actor, photo: Photo) -> str:
    """Refuse a photo this person may not put in this album; return their role."""
    role = check(album, actor, policies.ADD_OWN)
    own = photo.owner_id == actor.pk
    if not own:
        if album.kind == Kind.PERSONAL:
            raise NotAllowed("A personal album holds only its owner's own photos.")
        check(album, actor, policies.ADD_OTHERS)
        if photo.visibility != Visibility.PUBLIC:
            raise NotAllowed("Only public photos of other people can be added to an album.")
        collectable = compatibility.can_collect(catalogue.get(photo.license))
        if not collectable:
            raise PolicyRefused(f"{collectable.reason} Only its owner can add it to an album.")
    elif photo.visibility == Visibility.PRIVATE and album.kind == Kind.COMMUNITY:
        raise AlbumError(
            "This photo is private: make it public or unlisted before sharing it in a "
            "community album."
        )
    verdict = fits(album, photo)
    if not verdict:
        raise PolicyRefused(f"{verdict.reason} (“{photo.display_title}”)")
    return role


def _next_position(album: Album) -> int:
    top = album.items.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def album_add_photo(*, album: Album, actor, photo: Photo) -> AlbumItem:
    """Put a photo in an album; in a moderated album a contributor's photo waits for a curator."""
    existing = AlbumItem.objects.filter(album=album, photo=photo).first()
    if existing is not None and existing.status == ItemStatus.REJECTED:
        return album_resubmit(item=existing, actor=actor)
    role = _check_can_add(album, actor, photo)
    if existing is not None:
        raise Conflict(
            "This photo is already waiting for a curator in this album."
            if existing.status == ItemStatus.PENDING
            else "This photo is already in this album."
        )
    queued = album.moderated and not policies.allows(role, policies.SKIP_QUEUE)
    item = AlbumItem(
        album=album,
        photo=photo,
        added_by=actor,
        status=ItemStatus.PENDING if queued else ItemStatus.APPROVED,
        position=_next_position(album),
    )
    try:
        with transaction.atomic():
            item.save()
            _after_submit(item, actor, queued)
    except IntegrityError:
        raise Conflict("This photo is already in this album.") from None
    return item


def _after_submit(item: AlbumItem, actor, queued: bool) -> None:
    album, title = item.album, item.photo.display_title
    if queued:
        log(album, actor, "submitted", title)
        notify_curators(
            album,
            f"{name_of(actor)} submitted “{title}” to “{album.title}”.",
            f"/albums/{album.pk}/moderation/",
            skip=actor,
        )
    else:
        log(album, actor, "added", title)


@transaction.atomic
def album_resubmit(*, item: AlbumItem, actor) -> AlbumItem:
    """Send a rejected photo back to the album (to the queue in a moderated album)."""
    if item.status != ItemStatus.REJECTED:
        raise AlbumError("Only a photo that was not accepted can be resubmitted.")
    if actor.pk not in (item.added_by_id, item.photo.owner_id):
        raise NotAllowed("Only the person who contributed this photo can resubmit it.")
    role = _check_can_add(item.album, actor, item.photo)
    queued = item.album.moderated and not policies.allows(role, policies.SKIP_QUEUE)
    item.status = ItemStatus.PENDING if queued else ItemStatus.APPROVED
    item.reason, item.added_by = "", actor
    item.position = _next_position(item.album)
    item.save()
    _after_submit(item, actor, queued)
    return item


@transaction.atomic
def album_moderate(*, item: AlbumItem, actor, decision: str, reason: str = "") -> AlbumItem:
    """Approve or reject a waiting photo; the contributor is told, with the reason."""
    album = item.album
    check(album, actor, policies.MODERATE)
    if item.status != ItemStatus.PENDING:
        raise AlbumError("This photo is not waiting for a decision.")
    reason = reason.strip()[:500]
    title = item.photo.display_title
    if decision == "approve":
        item.status, item.reason = ItemStatus.APPROVED, ""
        item.position = _next_position(album)
        text = f"“{title}” is now in “{album.title}”."
    elif decision == "reject":
        if not reason:
            raise AlbumError("Give a reason, so the contributor knows what to change.")
        item.status, item.reason = ItemStatus.REJECTED, reason
        text = f"“{title}” was not accepted in “{album.title}”: {reason}"
    else:
        raise AlbumError('decision must be "approve" or "reject".')
    item.save()
    log(album, actor, "approved" if decision == "approve" else "rejected", title)
    notify(item.added_by, text, album.get_absolute_url())
    return item


@transaction.atomic
def album_remove_photo(*, item: AlbumItem, actor) -> None:
    """Take a photo out: curators may; the photo's owner and its contributor always may."""
    album = item.album
    mine = actor.pk in (item.photo.owner_id, item.added_by_id)
    if not mine:
        check(album, actor, policies.REMOVE_ITEM)
    if album.cover_id == item.photo_id:
        album.cover = None
        album.save(update_fields=["cover"])
    item.delete()
    verb = "took their photo out" if actor.pk == item.photo.owner_id else "removed"
    log(album, actor, verb, item.photo.display_title)
    if not mine and item.added_by_id:
        notify(
            item.added_by,
            f"“{item.photo.display_title}” was removed from “{album.title}”.",
            album.get_absolute_url(),
        )


def _approved_in_order(album: Album) -> list[AlbumItem]:
    return list(album.items.filter(status=ItemStatus.APPROVED).order_by("position", "id"))


def _renumber(items: list[AlbumItem]) -> None:
    for index, item in enumerate(items):
        item.position = index
    AlbumItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def album_move_photo(*, item: AlbumItem, actor, position: int) -> AlbumItem:
    """Move one photo to a place in the manual order (0 is first)."""
    check(item.album, actor, policies.REORDER)
    if item.status != ItemStatus.APPROVED:
        raise AlbumError("Only photos in the album can be moved.")
    items = [i for i in _approved_in_order(item.album) if i.pk != item.pk]
    position = max(0, min(int(position), len(items)))
    items.insert(position, item)
    _renumber(items)
    log(item.album, actor, f"moved to place {position + 1}", item.photo.display_title)
    return item


@transaction.atomic
def album_reorder(*, album: Album, actor, photo_ids: list[int], offset: int = 0) -> None:
    """Set the manual order of a run of photos (one page of the album, from `offset`)."""
    check(album, actor, policies.REORDER)
    items = _approved_in_order(album)
    offset = max(0, int(offset))
    window = items[offset : offset + len(photo_ids)]
    if sorted(photo_ids) != sorted(item.photo_id for item in window):
        raise AlbumError(
            "The new order does not match the album's photos; reload the page and try again."
        )
    by_photo = {item.photo_id: item for item in window}
    items[offset : offset + len(photo_ids)] = [by_photo[pid] for pid in photo_ids]
    _renumber(items)
    log(album, actor, "reordered the photos")


@transaction.atomic
def album_keep_flagged(*, item: AlbumItem, actor) -> AlbumItem:
    """Keep a photo that no longer fits the license policy (a curator's decision)."""
    check(item.album, actor, policies.MODERATE)
    if not item.flagged_reason:
        raise AlbumError("This photo is not flagged.")
    log(item.album, actor, "kept despite the license policy", item.photo.display_title)
    item.flagged_reason = ""
    item.save(update_fields=["flagged_reason"])
    return item


def _flag_reason(item: AlbumItem) -> str:
    """Return why an item no longer fits, or '' when it fits."""
    photo = item.photo
    if photo.owner_id != item.added_by_id:
        collectable = compatibility.can_collect(catalogue.get(photo.license))
        if not collectable:
            return collectable.reason
    verdict = fits(item.album, photo)
    return "" if verdict else verdict.reason


def reassess(items) -> list[AlbumItem]:
    """Flag items that no longer fit (clearing flags that now fit); return the flagged ones."""
    flagged, changed = [], []
    for item in items:
        reason = _flag_reason(item)[:500]
        if reason:
            flagged.append(item)
        if reason != item.flagged_reason:
            item.flagged_reason = reason
            changed.append(item)
    AlbumItem.objects.bulk_update(changed, ["flagged_reason"])
    return flagged


def on_license_changed(sender, *, photo: Photo, old: str, **kwargs) -> None:
    """Flag the photo in every album it no longer fits (photos.hooks.photo_license_changed)."""
    items = AlbumItem.objects.filter(photo=photo).select_related("album", "photo", "photo__owner")
    with transaction.atomic():
        for item in reassess(items):
            notify_curators(
                item.album,
                f"“{photo.display_title}” changed license and no longer fits "
                f"“{item.album.title}”: {item.flagged_reason}",
                f"/albums/{item.album_id}/moderation/",
            )
