"""Search: free text, tags, licenses and more, over only what the viewer may see.

    from photos import search
    result = search.search(search.parse(request.GET), viewer=request.user)

Apps built on photos answer the `album` filter by registering a provider in their
AppConfig.ready(): `search.register_album_photos(lambda album_id, viewer: photo_ids_qs)`.
"""

from photos.search.params import SearchError, SearchParams, parse
from photos.search.selector import (
    Result,
    album_photo_ids,
    facet_counts,
    matching,
    popular,
    register_album_photos,
    search,
)

__all__ = [
    "Result",
    "SearchError",
    "SearchParams",
    "album_photo_ids",
    "facet_counts",
    "matching",
    "parse",
    "popular",
    "register_album_photos",
    "search",
]
