"""Search pages: /search/ with filters and facets, its Atom feed, and /explore/."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from licensing import catalogue
from photos import search
from photos.feeds import PhotoFeed
from photos.models import without_bidi_controls

PAGE_SIZE = 24
EXPLORE_DAYS = 30
SORT_LABELS = [
    ("relevance", "Best match"),
    ("newest", "Newest"),
    ("oldest", "Oldest"),
    ("taken", "Date taken"),
    ("popular", "Popular"),
]
LISTS = ("license", "license_type", "tags", "machine_tags")  # several boxes -> one list


def params_of(get: QueryDict) -> dict[str, str]:
    """Return the request's parameters, joining repeated list ones with commas (form boxes)."""
    data = {key: get.get(key, "") for key in get}
    for key in LISTS:
        values = [v for v in get.getlist(key) if v.strip()]
        if values:
            data[key] = ",".join(values)
    return data


def search_page(request):
    """Show the results of a search with its filters, facets, sort menu and pages."""
    data = params_of(request.GET)
    try:
        params = search.parse(data, page_size=PAGE_SIZE)
        result = search.search(params, viewer=request.user)
    except search.SearchError as exc:
        context = {"error": exc, "data": data, "licenses": _license_choices({}, data)}
        context["shown_q"] = without_bidi_controls(data.get("q", ""))
        return render(request, "search/search.html", context, status=400)
    context = {
        "result": result,
        "data": data,
        "shown_q": without_bidi_controls(data.get("q", "")),  # echoed in title and heading
        "types": set(data.get("license_type", "").split(",")),
        "licenses": _license_choices(result.facets.get("license", {}), data),
        "sorts": SORT_LABELS,
        "next_url": _page_url(request, result.page + 1, result.next_cursor)
        if result.has_next
        else "",
        "previous_url": _page_url(request, result.page - 1, "") if result.has_previous else "",
        "feed_url": f"{reverse('search-feed')}?{_without(request.GET, 'page', 'cursor')}",
    }
    return render(request, "search/search.html", context)


def _license_choices(counts: dict[str, int], data: dict) -> list[dict]:
    """Return the exact licenses to offer: the ones for new uploads, then any others found."""
    chosen = {item.strip().casefold() for item in data.get("license", "").split(",")}
    shown = [lic for lic in catalogue.all_licenses() if lic.selectable or lic.id in counts]
    return [
        {"license": lic, "count": counts.get(lic.id, 0), "checked": lic.id.casefold() in chosen}
        for lic in shown
    ]


def _without(get: QueryDict, *names: str) -> str:
    query = get.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _page_url(request, page: int, cursor: str) -> str:
    """Return this search's URL at another page, so any page can be shared."""
    query = request.GET.copy()
    query.pop("cursor", None)
    query.pop("page", None)
    if page > 1:
        query["page"] = str(page)
    if cursor:
        query["cursor"] = cursor
    return f"?{query.urlencode()}"


def explore(request):
    """Show recent interesting public photos: the most popular of the last weeks."""
    since = (timezone.now() - dt.timedelta(days=EXPLORE_DAYS)).date().isoformat()
    data = {"sort": "popular", "min_uploaded": since, "page": request.GET.get("page", "")}
    try:
        params = search.parse(data, page_size=PAGE_SIZE)
    except search.SearchError:
        params = search.parse({"sort": "popular", "min_uploaded": since}, page_size=PAGE_SIZE)
    result = search.search(params, viewer=None, facets=False)  # public only, for everyone
    context = {
        "result": result,
        "days": EXPLORE_DAYS,
        "next_url": f"?page={result.page + 1}" if result.has_next else "",
        "previous_url": f"?page={result.page - 1}" if result.has_previous else "",
    }
    return render(request, "search/explore.html", context)


class SearchFeed(PhotoFeed):
    """The same search as /search/, as an Atom feed of public photos."""

    def __call__(self, request, *args, **kwargs):
        try:
            search.parse(params_of(request.GET))
        except search.SearchError as exc:
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return search.parse(params_of(request.GET), page_size=self.limit)

    def title(self, params) -> str:
        return f"Search: {params.q.text}" if params.q else "Search results"

    def link(self, params) -> str:
        return f"{reverse('search')}?{_without(self.request.GET, 'page', 'cursor')}"

    def subtitle(self, params) -> str:
        return "Public photos matching this search, each with its license and credit."

    def photos(self, params):
        return search.matching(params, viewer=None)[1]  # anonymous: public only
