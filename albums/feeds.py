"""Atom feed of the photos newly added to an album: public photos only, with their licenses."""

from __future__ import annotations

from albums import selectors
from albums.models import ItemStatus
from photos.feeds import PhotoFeed
from photos.selectors import photo_list_visible_to


class AlbumFeed(PhotoFeed):
    """The newest public photos of a public or unlisted album, as anyone may see them."""

    def get_object(self, request, album_id: int):
        return selectors.album_get_for_viewer(album_id, viewer=None)

    def title(self, album) -> str:
        return f"{album.title}: new photos"

    def link(self, album) -> str:
        return album.get_absolute_url()

    def subtitle(self, album) -> str:
        return album.description

    def photos(self, album):
        return (
            photo_list_visible_to(None)
            .filter(album_items__album=album, album_items__status=ItemStatus.APPROVED)
            .order_by("-album_items__added_at")
        )
