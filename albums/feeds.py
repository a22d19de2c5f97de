"""Atom feed of the photos newly added to an album."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from albums import selectors
from licensing import attribution
from photos.attribution import work_of


class AlbumFeed(Feed):
    """The newest photos of one album, as the viewer may see them."""

    feed_type = Atom1Feed

    def get_object(self, request, album_id: int):
        self.request = request
        return selectors.album_get_for_viewer(album_id, viewer=request.user)

    def title(self, album) -> str:
        return f"{album.title}: new photos"

    def link(self, album) -> str:
        return album.get_absolute_url()

    def subtitle(self, album) -> str:
        return album.description

    def items(self, album):
        return selectors.items_visible_to(album, self.request.user, order="added")[:50]

    def item_title(self, item) -> str:
        return item.photo.display_title

    def item_description(self, item) -> str:
        return attribution.as_html(work_of(item.photo, request=self.request))

    def item_link(self, item) -> str:
        return item.photo.get_absolute_url()

    def item_pubdate(self, item):
        return item.added_at

    def item_author_name(self, item) -> str:
        return work_of(item.photo, with_sources=False).creator_name
