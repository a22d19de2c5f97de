"""The search selector: checked parameters in, one page of photos, the count and facets out.

Everything starts from photo_list_visible_to(viewer), the one rule of visibility, so a
private or unlisted photo never appears, and no facet ever counts one, whatever the query.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Ln

from licensing import catalogue
from photos import tag_queries
from photos.models import Comment, Favorite, Photo
from photos.search import backends, fast, keys
from photos.search.params import KEYSET_SORTS, SIZES, Cursor, SearchError, SearchParams
from photos.selectors import photo_list_visible_to

# Popularity: ln(1 + favourites + comments), decayed so that a photo one half-life older
# needs twice the attention to rank level (Reddit's "hot" score, with a one-week half-life).
HALF_LIFE_SECONDS = 7 * 24 * 3600

# Album membership is provided by the albums app (photos never imports it):
# provider(album_id, viewer) -> queryset of the ids of photos in that album the viewer sees.
_album_providers: list[Callable] = []


def register_album_photos(provider: Callable) -> None:
    """Let an app answer the `album` filter: provider(album_id, viewer) -> photo ids."""
    if provider not in _album_providers:
        _album_providers.append(provider)


def album_photo_ids(album_id: int, viewer):
    """Return the ids of the photos in the album that the viewer may see, or raise SearchError."""
    if not _album_providers:
        raise SearchError("album", "Searching within an album is not available on this site.")
    return _album_providers[0](album_id, viewer)


@dataclass
class Result:
    """One page of a search."""

    photos: list[Photo]
    params: SearchParams
    count: int | None = None
    facets: dict = field(default_factory=dict)
    has_next: bool = False
    next_cursor: str = ""

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def page(self) -> int:
        return self.params.cursor.page if self.params.cursor else self.params.page

    @property
    def pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, math.ceil(self.count / self.params.page_size))


def search(params: SearchParams, *, viewer, facets: bool = True) -> Result:
    """Return the page of photos the viewer may see that match, with count and facets."""
    scope = fast.scope_for(params, viewer)
    if scope is not None:
        return _indexed(scope, params, viewer=viewer, facets=facets)
    filtered, ordered = matching(params, viewer=viewer)
    photos, has_next = _page(ordered, params)
    result = _result(photos, has_next, params)
    if facets:
        result.facets = facet_counts(filtered)
        result.count = sum(result.facets["license"].values())
    return result


def _indexed(scope, params: SearchParams, *, viewer, facets: bool) -> Result:
    """Answer a search from the index: ids and counts first, then the page's photos."""
    size = params.page_size
    ids, counts = fast.answer(scope, params, viewer=viewer, limit=size + 1, facets=facets)
    photos = fast.photos_in_order(ids[:size], viewer)
    result = _result(photos, len(ids) > size, params)
    if facets:
        result.facets = _facets_of_codes(counts)
        result.count = sum(result.facets["license"].values())
    return result


def _result(photos: list[Photo], has_next: bool, params: SearchParams) -> Result:
    result = Result(photos, params, has_next=has_next)
    if has_next and photos and params.sort in KEYSET_SORTS:
        result.next_cursor = Cursor(params.sort, result.page + 1, photos[-1].pk).encode()
    return result


def matching(params: SearchParams, *, viewer) -> tuple[QuerySet[Photo], QuerySet[Photo]]:
    """Return the matches unordered (for counting) and in the order asked (for paging)."""
    backend = backends.current()
    filtered = _filtered(photo_list_visible_to(viewer), params, viewer)
    include, exclude = params.q.include, params.q.exclude
    if exclude:
        sql, sql_params = backend.match_sql(exclude, any_=True)
        filtered = filtered.exclude(id__in=RawSQL(sql, sql_params))  # noqa: S611 (parameters)
    if params.sort == "relevance":
        ordered = backend.ranked(filtered, include).order_by("-relevance", "-uploaded_at", "-id")
    if include:
        sql, sql_params = backend.match_sql(include)
        filtered = filtered.filter(id__in=RawSQL(sql, sql_params))  # noqa: S611 (parameters)
    if params.sort != "relevance":
        ordered = _ordered(filtered, params.sort, backend)
    return filtered, ordered


def _filtered(qs: QuerySet[Photo], params: SearchParams, viewer) -> QuerySet[Photo]:
    """Apply every filter but the words."""
    if params.tags:
        qs = tag_queries.filter_tags(qs, list(params.tags), mode=params.tag_mode)
    for machine in params.machine_tags:
        qs = tag_queries.filter_machine(qs, machine)
    if params.licenses is not None:
        qs = qs.filter(license__in=sorted(params.licenses))
    if params.owner:
        qs = qs.filter(owner__username=params.owner)
    if params.album is not None:
        qs = qs.filter(id__in=album_photo_ids(params.album, viewer))
    if params.orientation:
        qs = qs.filter(fast.orientation_filter(params.orientation))
    if params.size:
        low, high = SIZES[params.size]
        qs = qs.alias(pixels=F("width") * F("height")).filter(pixels__gte=low)
        qs = qs.filter(pixels__lt=high) if high else qs
    bounds = {
        "taken_at__gte": params.min_taken,
        "taken_at__lte": params.max_taken,
        "uploaded_at__gte": params.min_uploaded,
        "uploaded_at__lte": params.max_uploaded,
    }
    return qs.filter(**{key: value for key, value in bounds.items() if value is not None})


def _ordered(qs: QuerySet[Photo], sort: str, backend) -> QuerySet[Photo]:
    if sort == "oldest":  # upload order: ids are given in the order photos arrive
        return qs.order_by("id")
    if sort == "taken":
        return qs.order_by(F("taken_at").desc(nulls_last=True), "-uploaded_at", "-id")
    if sort == "popular":
        return popular(qs, backend)
    return qs.order_by("-id")


def popular(qs: QuerySet[Photo], backend=None) -> QuerySet[Photo]:
    """Order by attention (favourites and comments) decayed with age, most popular first."""
    backend = backend or backends.current()
    attention = _count_of(Favorite) + _count_of(Comment)
    epoch = backend.epoch('"photos_photo"."uploaded_at"')  # a constant expression, no input
    age = RawSQL(epoch, [], output_field=FloatField())  # noqa: S611
    score = Ln(attention + 1.0) + age * (math.log(2) / HALF_LIFE_SECONDS)
    return qs.alias(popularity=score).order_by("-popularity", "-id")


def _count_of(model):
    counts = (
        model.objects.filter(photo=OuterRef("pk"))
        .order_by()
        .values("photo")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _page(ordered: QuerySet[Photo], params: SearchParams) -> tuple[list[Photo], bool]:
    """Return the page's photos and whether more follow: keyset after a cursor, else offset."""
    size, cursor = params.page_size, params.cursor
    if cursor is not None:
        after = Q(id__lt=cursor.id) if cursor.sort == "newest" else Q(id__gt=cursor.id)
        rows = list(ordered.filter(after)[: size + 1])
    else:
        start = (params.page - 1) * size
        rows = list(ordered[start : start + size + 1])
    return rows[:size], len(rows) > size


def facet_counts(filtered: QuerySet[Photo]) -> dict:
    """Count the matches by license, license type and orientation in one query."""
    if filtered.query.distinct:  # tag joins could repeat a photo: count each once
        filtered = Photo.objects.filter(pk__in=filtered.values("pk"))
    orientation = Case(
        When(width__gt=F("height"), then=Value("wide")),
        When(width__lt=F("height"), then=Value("tall")),
        default=Value("square"),
        output_field=CharField(),
    )
    rows = (
        filtered.order_by()
        .annotate(shape=orientation)
        .values_list("license", "shape")
        .annotate(n=Count("id"))
    )
    licenses: dict[str, int] = {}
    shapes = dict.fromkeys(keys.SHAPES, 0)
    for license_id, shape, n in rows:
        licenses[license_id] = licenses.get(license_id, 0) + n
        shapes[shape] += n
    return _facets(licenses, shapes)


def _facets_of_codes(counts: dict[int, int]) -> dict:
    """Return the facets of per-code counts (see photos.search.keys)."""
    ranks = fast.ranks()
    licenses: dict[str, int] = {}
    shapes = dict.fromkeys(keys.SHAPES, 0)
    for code, n in counts.items():
        if n > 0:
            facet = ranks.decode(code)
            licenses[facet.license] = licenses.get(facet.license, 0) + n
            shapes[facet.shape] += n
    return _facets(licenses, shapes)


def _facets(licenses: dict[str, int], shapes: dict[str, int]) -> dict:
    types = {
        name: sum(n for lic, n in licenses.items() if lic in ids)
        for name, ids in catalogue.groups().items()
    }
    ordered = dict(sorted(licenses.items(), key=lambda item: (-item[1], item[0])))
    shapes = {name: shapes[name] for name in ("tall", "wide", "square")}
    return {"license": ordered, "license_type": types, "orientation": shapes}
