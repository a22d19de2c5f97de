"""The search parameters as OpenAPI documents them, and the next/previous links of a page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework.utils.urls import remove_query_param, replace_query_param

from photos.search.params import ORIENTATIONS, SIZES, SORTS

DESCRIPTION = (
    "Only photos you may see (public ones, and your own). `q` matches title, tags, "
    'description and the owner\'s name: words must all match, "quoted phrases" match in '
    "order, -word excludes, word* matches the start of words. The response adds `facets`: "
    "counts by license, license_type and orientation over every match. Following `next` "
    "pages through newest/oldest results by keyset (`cursor`), fast at any depth."
)
PARAMETERS = [
    OpenApiParameter("q", str, description='Words, "phrases", -excluded, prefix*.'),
    OpenApiParameter("tags", str, description="Comma-separated tags."),
    OpenApiParameter("tag_mode", str, enum=["all", "any"]),
    OpenApiParameter("machine_tags", str, description="ns:pred=value, ns:*, ns:pred=*"),
    OpenApiParameter(
        "license", str, description="Comma-separated ids (CC-BY-4.0) or family slugs (by-sa)."
    ),
    OpenApiParameter(
        "license_type",
        str,
        description="commercial, modification, all-cc; comma-separated: all must hold.",
    ),
    OpenApiParameter("owner", str, description="Username."),
    OpenApiParameter("album", int, description="Album id."),
    OpenApiParameter("orientation", str, enum=list(ORIENTATIONS)),
    OpenApiParameter(
        "size", str, enum=list(SIZES), description="small < 1 MP <= medium < 4 MP <= large."
    ),
    OpenApiParameter("min_taken", str, description="ISO date (or date-time), inclusive."),
    OpenApiParameter("max_taken", str, description="ISO date (or date-time), inclusive."),
    OpenApiParameter("min_uploaded", str, description="ISO date (or date-time), inclusive."),
    OpenApiParameter("max_uploaded", str, description="ISO date (or date-time), inclusive."),
    OpenApiParameter(
        "sort", str, enum=list(SORTS), description="Default: relevance with q, else newest."
    ),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="At most 100."),
    OpenApiParameter("cursor", str, description="Opaque; given in `next` links."),
]


def next_link(request, result) -> str | None:
    """Return the URL of the next page: keyset where the sort allows it."""
    if not result.has_next:
        return None
    url = replace_query_param(request.build_absolute_uri(), "page", result.page + 1)
    if result.next_cursor:
        return replace_query_param(url, "cursor", result.next_cursor)
    return remove_query_param(url, "cursor")


def previous_link(request, result) -> str | None:
    """Return the URL of the previous page (by number)."""
    if not result.has_previous:
        return None
    url = remove_query_param(request.build_absolute_uri(), "cursor")
    if result.page - 1 == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", result.page - 1)
