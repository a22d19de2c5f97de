"""Read the search parameters of API.md from a query string, or say which one is wrong.

Every parameter is checked here, once, for the API, the search page and the feed alike; a
bad value raises SearchError naming the parameter, which the API answers as a 400.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from licensing import catalogue
from photos import tagging
from photos.search import query

SORTS = ("relevance", "newest", "oldest", "taken", "popular")
ORIENTATIONS = ("tall", "wide", "square")
# Megapixel bounds of the `size` filter: small under 1 MP, medium 1 to 4 MP, large 4 MP+.
SIZES = {"small": (0, 1_000_000), "medium": (1_000_000, 4_000_000), "large": (4_000_000, None)}
DATES = ("min_taken", "max_taken", "min_uploaded", "max_uploaded")
MAX_VALUE_LENGTH = 2000
MAX_TAGS = 20
MAX_PAGE = 100_000
KEYSET_SORTS = ("newest", "oldest")


class SearchError(ValueError):
    """A parameter that cannot be searched: its name and a sentence for a person."""

    def __init__(self, param: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended, for keyset paging of the newest/oldest sorts."""

    sort: str
    page: int
    id: int  # the last photo of the previous page (ids follow the upload order)

    def encode(self) -> str:
        raw = f"{self.sort}|{self.page}|{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@dataclass(frozen=True)
class SearchParams:
    """A checked search: what to match, how to sort, which page."""

    q: query.Query = query.EMPTY
    tags: tuple[str, ...] = ()
    tag_mode: str = "all"
    machine_tags: tuple[tagging.MachineQuery, ...] = ()
    licenses: frozenset[str] | None = None  # None: any license
    owner: str = ""
    album: int | None = None
    orientation: str = ""
    size: str = ""
    min_taken: dt.datetime | None = None
    max_taken: dt.datetime | None = None
    min_uploaded: dt.datetime | None = None
    max_uploaded: dt.datetime | None = None
    sort: str = "newest"
    page: int = 1
    page_size: int = 20
    cursor: Cursor | None = None


def parse(data: Mapping[str, str], *, page_size: int = 20, max_page_size: int = 100):
    """Return SearchParams from request parameters, or raise SearchError for the first bad one."""
    get = _getter(data)
    try:
        q = query.parse(get("q"))
    except query.QueryError as exc:
        raise SearchError("q", str(exc)) from None
    sort = _choice("sort", get("sort"), SORTS, default="relevance" if q.include else "newest")
    if sort == "relevance" and not q.include:
        sort = "newest"  # nothing to rank by: the newest first, as without a query
    fields = {
        "q": q,
        "tags": _tags(get("tags")),
        "tag_mode": _choice("tag_mode", get("tag_mode"), ("all", "any"), default="all"),
        "machine_tags": _machine_tags(get("machine_tags")),
        "licenses": _licenses(get("license"), get("license_type")),
        "owner": get("owner").strip(),
        "album": _positive("album", get("album"), default=None, maximum=2**62),
        "orientation": _choice("orientation", get("orientation"), ORIENTATIONS, default=""),
        "size": _choice("size", get("size"), tuple(SIZES), default=""),
        "sort": sort,
        "page": _positive("page", get("page"), default=1, maximum=MAX_PAGE),
        "page_size": _positive("page_size", get("page_size"), default=page_size),
    }
    fields["page_size"] = min(fields["page_size"], max_page_size)
    for name in DATES:
        fields[name] = _date(name, get(name), end=name.startswith("max"))
    fields["cursor"] = _cursor(get("cursor"), sort)
    return SearchParams(**fields)


def _getter(data: Mapping[str, str]):
    def get(name: str) -> str:
        value = data.get(name) or ""
        if not isinstance(value, str):
            value = str(value)
        if "\x00" in value:
            raise SearchError(name, f"{name} may not contain NUL characters.")
        if name != "q" and len(value) > MAX_VALUE_LENGTH:
            raise SearchError(name, f"{name} is longer than {MAX_VALUE_LENGTH} characters.")
        return value

    return get


def _choice(name: str, value: str, choices: tuple[str, ...], *, default: str) -> str:
    value = value.strip().lower()
    if not value:
        return default
    if value not in choices:
        raise SearchError(name, f"{name} must be one of {', '.join(choices)}.")
    return value


def _positive(name: str, value: str, *, default, maximum: int = 10**9):
    value = value.strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= maximum:
        raise SearchError(name, f"{name} must be a whole number from 1 to {maximum}.")
    return int(value)


def _tags(value: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if tagging.canonical(name))
    if len(names) > MAX_TAGS:
        raise SearchError("tags", f"Search for at most {MAX_TAGS} tags at once.")
    return names


def _machine_tags(value: str) -> tuple[tagging.MachineQuery, ...]:
    found = []
    for text in filter(str.strip, value.split(",")):
        try:
            found.append(tagging.machine_query(text))
        except tagging.TagError as exc:
            raise SearchError("machine_tags", exc.message, code=exc.code) from None
    if len(found) > MAX_TAGS:
        raise SearchError("machine_tags", f"Search for at most {MAX_TAGS} machine tags at once.")
    return tuple(found)


def _licenses(names: str, types: str) -> frozenset[str] | None:
    """Return the license ids allowed by `license` and `license_type` together, or None."""
    allowed = None
    try:
        if names.strip(", "):
            allowed = catalogue.resolve(names)
    except catalogue.UnknownLicense as exc:
        raise SearchError("license", str(exc)) from None
    try:
        if types.strip(", "):
            typed = catalogue.resolve_types(types)
            allowed = typed if allowed is None else allowed & typed
    except catalogue.UnknownLicense as exc:
        raise SearchError("license_type", str(exc)) from None
    return None if allowed is None else frozenset(allowed)


def _date(name: str, value: str, *, end: bool) -> dt.datetime | None:
    """Read an ISO date or date-time; a bare date covers the whole day (UTC)."""
    value = value.strip()
    if not value:
        return None
    try:
        if len(value) <= 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SearchError(
            name, f"{name} must be an ISO date such as 2024-05-31 (or a date and time)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cursor(value: str, sort: str) -> Cursor | None:
    value = value.strip()
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        cursor_sort, page, photo_id = raw.split("|")
        cursor = Cursor(cursor_sort, int(page), int(photo_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        cursor = None
    if cursor is None or cursor.sort != sort:
        raise SearchError("cursor", "cursor is not valid for this search; start from page 1.")
    if not 1 <= cursor.page <= MAX_PAGE or not 0 < cursor.id < 2**62:
        raise SearchError("cursor", "cursor is not valid for this search; start from page 1.")
    return cursor
