"""Searches the index answers alone: counts by facet code, a page of ids, then the photos.

Words, tags, owner, licenses and orientation, sorted by relevance or upload order, are
answered without touching the photos table until the final page (photos.search.backends);
with no word, tag or owner to start from, counts come from the precomputed count table and
the page from the photos' primary key. Other filters (album, size, dates, machine tags) and
sorts (date taken, popular) go through the general selector instead.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q

from photos import tagging
from photos.models import Photo, Tag
from photos.search import backends, keys
from photos.search.backends import Scope
from photos.search.params import SearchParams
from photos.selectors import photo_list_visible_to

SORTS = ("relevance", "newest", "oldest")
NOTHING = Scope()  # matches no photo: a tag or person that does not exist


def scope_for(params: SearchParams, viewer) -> Scope | None:
    """Return the index scope answering these parameters, or None if the index cannot."""
    general = (
        params.album is not None
        or params.size
        or params.machine_tags
        or params.min_taken
        or params.max_taken
        or params.min_uploaded
        or params.max_uploaded
        or params.sort not in SORTS
        or (params.q.exclude and not (params.q.include or params.tags or params.owner))
    )
    if general:
        return None
    tag_ids = _tag_ids(params)
    owner_id = _owner_id(params.owner) if params.owner else None
    if tag_ids is None or owner_id == 0:
        return NOTHING
    table = ranks()
    signed_in = viewer is not None and viewer.is_authenticated
    allowed = {"licenses": params.licenses, "shape": params.orientation}
    public = table.codes(visibilities=["public"], **allowed)
    own = table.codes(visibilities=["unlisted", "private"], **allowed) if signed_in else []
    if params.licenses is not None or params.orientation:
        present = set(_stored_counts())  # fewer codes, fewer ranges to read
        public, own = [c for c in public if c in present], [c for c in own if c in present]
    return Scope(
        include=params.q.include,
        exclude=params.q.exclude,
        tags=tuple(tag_ids),
        any_tag=params.tag_mode == "any",
        owner_id=owner_id,
        public=tuple(public),
        own=tuple(own),
        viewer_id=viewer.pk if signed_in else None,
    )


def answer(
    scope: Scope, params: SearchParams, *, viewer, limit: int, facets: bool
) -> tuple[list[int], dict[int, int]]:
    """Return the page's ids (up to `limit`) and, if asked, the visible matches per code."""
    if not (scope.public or scope.own):
        return [], {}
    cursor = params.cursor
    page = {
        "sort": params.sort,
        "limit": limit,
        "offset": 0 if cursor else (params.page - 1) * params.page_size,
        "after": cursor.id if cursor else None,
    }
    if scope.matches:
        backend = backends.current()
        if facets:
            return backend.answer(scope, **page)
        return backend.page(scope, **page), {}
    return _listed_ids(params, viewer=viewer, **page), _listed_counts(scope) if facets else {}


def _listed_counts(scope: Scope) -> dict[int, int]:
    """Return the counts per code of everything listed: stored, plus the viewer's own."""
    public = set(scope.public)
    counts = {code: n for code, n in _stored_counts().items() if code in public}
    if scope.own:
        counts.update(_own_counts(scope.viewer_id, set(scope.own)))
    return counts


def _listed_ids(
    params: SearchParams, *, viewer, sort: str, limit: int, offset: int, after: int | None
) -> list[int]:
    """Return a page of ids with no word, tag or owner to search: the photos' primary key."""
    qs = photo_list_visible_to(viewer).select_related(None).prefetch_related(None)
    if params.licenses is not None:
        qs = qs.filter(license__in=sorted(params.licenses))
    if params.orientation:
        qs = qs.filter(orientation_filter(params.orientation))
    if after is not None:
        qs = qs.filter(id__gt=after) if sort == "oldest" else qs.filter(id__lt=after)
    order = "id" if sort == "oldest" else "-id"
    return list(qs.order_by(order).values_list("id", flat=True)[offset : offset + limit])


def photos_in_order(ids: list[int], viewer) -> list[Photo]:
    """Return the photos of the ids, in that order, checked again against what the viewer sees."""
    found = photo_list_visible_to(viewer).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def orientation_filter(orientation: str) -> Q:
    """Return the condition of a photo's shape: tall, wide or square."""
    return {
        "tall": Q(height__gt=F("width")),
        "wide": Q(width__gt=F("height")),
        "square": Q(width=F("height")),
    }[orientation]


def _tag_ids(params: SearchParams) -> list[int] | None:
    """Return the ids of the asked tags; None if `all` asks for a tag nobody uses."""
    canon = {tagging.canonical(name) for name in params.tags} - {""}
    if not canon:
        return []
    found = list(Tag.objects.filter(canonical__in=canon).values_list("id", flat=True))
    if params.tag_mode == "all" and len(found) < len(canon):
        return None
    if not found:
        return None
    return sorted(found)


def _owner_id(username: str) -> int:
    """Return the person's id, or 0 when nobody has that username."""
    found = get_user_model().objects.filter(username=username).values_list("id", flat=True)
    return found.first() or 0


def ranks() -> keys.Ranks:
    """Return the license ranks of the facet codes."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT license, rank FROM {keys.LICENSE_TABLE}")  # noqa: S608
        return keys.Ranks(cursor.fetchall())


def _stored_counts() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code, n FROM {keys.COUNT_TABLE} WHERE n > 0")  # noqa: S608
        return dict(cursor.fetchall())


def _own_counts(viewer_id: int, codes: set[int]) -> dict[int, int]:
    """Count the viewer's own unlisted and private photos per code (a person's, so few)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys.code_sql('p')}, COUNT(*) FROM photos_photo p "  # noqa: S608
            "WHERE p.owner_id = %s AND p.visibility <> 'public' GROUP BY 1",
            [viewer_id],
        )
        return {code: n for code, n in cursor.fetchall() if code in codes}
