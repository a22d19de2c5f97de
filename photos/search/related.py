""" "More like this": photos sharing tags, an album or the owner with a given photo."""

from __future__ import annotations

from django.db.models import Count

from photos import hooks
from photos.models import Photo
from photos.search.params import SearchError
from photos.search.selector import album_photo_ids
from photos.selectors import photo_list_visible_to


def more_like_this(photo: Photo, *, viewer, limit: int = 6) -> dict[str, list[Photo]]:
    """Return up to `limit` photos per reason (shared tags, same album, same owner)."""
    visible = photo_list_visible_to(viewer).exclude(pk=photo.pk)
    tag_ids = [item.tag_id for item in photo.tagged.all()]
    found: dict[str, list[Photo]] = {"tags": [], "album": [], "owner": []}
    if tag_ids:
        shared = visible.filter(tagged__tag__in=tag_ids).annotate(shared=Count("tagged"))
        found["tags"] = list(shared.order_by("-shared", "-uploaded_at", "-id")[:limit])
    album_ids = hooks.album_ids(photo, viewer)
    if album_ids:
        try:
            in_album = visible.filter(pk__in=album_photo_ids(album_ids[0], viewer))
            found["album"] = list(in_album.order_by("-uploaded_at", "-id")[:limit])
        except SearchError:  # no app answers album membership
            pass
    same_owner = visible.filter(owner_id=photo.owner_id).order_by("-uploaded_at", "-id")
    found["owner"] = list(same_owner[:limit])
    return found
