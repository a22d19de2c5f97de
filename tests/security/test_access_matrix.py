"""Nobody sees what they should not: every surface x every persona x everything hidden.

The world (tests/security/world.py) is built once for the module: the owner's photos in
every visibility (and one made private while it was an album's cover), albums in every
visibility, a pending and a rejected album item, a tag suggestion waiting for the owner and
one dropped when its author was blocked. Each surface below is requested once per
persona; the response must have the expected status, must contain the markers of what the
persona may see there (the positive control that makes the check able to fail), and must
contain no marker of what they may not. Counts and facets are checked in their own table.

Size (SQLite pass): 119 surfaces x 7 personas = 833 requests, each with its status checked;
5491 marker cells (surface x persona x thing with an expectation); 119 count and facet cells;
46 cells acting on hidden things or with a switched-off account's token; on the S3 pass also
the bucket checks. The terminal summary prints the figures of the run.

Unlisted means reachable by its address, never listed: lists, search, feeds, sitemaps and
counts leave it out. An owner may put their own unlisted photo in an album, which shows it
to the album's viewers (as an unlisted video shows in a playlist); nobody else can.
"""

from __future__ import annotations

import io
import re
import time
import urllib.error
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.conftest import S3_PASS
from tests.security import world as w

pytestmark = pytest.mark.django_db  # each test in a savepoint of the world's transaction

MEMBERS = {"owner", "curator", "contributor"}
SIGNED_OUT = {"anonymous", "deactivated"}  # a switched-off account is an anonymous visitor
OK, FOUND, GONE = {200}, {200, 302}, {404}
LOGIN = {302}  # login_required pages send signed-out visitors to the log-in page
API_SIGNED_OUT = {401, 403}


# --- Who may see what ----------------------------------------------------------------------


def reach(p: str, t: w.Thing) -> bool:
    """May open it by its address: anything but private, which only its owner opens."""
    return t.obj.visibility != "private" or p == "owner"


def listed(p: str, t: w.Thing) -> bool:
    """May find it in a list that knows who is looking: public ones, and the owner's own."""
    return t.obj.visibility == "public" or p == "owner"


def public(p: str, t: w.Thing) -> bool:
    """Appears where everyone gets the same answer (feeds, sitemaps, home, cloud)."""
    return t.obj.visibility == "public"


def opens(p: str, album: w.Thing) -> bool:
    return album.obj.visibility != "private" or p in MEMBERS


def album_listed(p: str, album: w.Thing) -> bool:
    return album.obj.visibility == "public" or p in MEMBERS


def default(p: str, t: w.Thing) -> bool | None:
    """Anywhere not said otherwise: nothing non-public shows to someone who may not list it."""
    if t.kind == "photo":
        return None if listed(p, t) else False
    if t.kind == "album":
        return None if album_listed(p, t) else False
    if t.kind == "suggestion":  # waits for the owner; a blocked person's suggestion is gone
        return None if p == "owner" and t.name == "sug" else False
    return None  # pending and rejected items are public photos: only album surfaces care


Rule = Callable[[str, w.Thing], bool | None]


@dataclass(frozen=True)
class Surface:
    """One URL, what each persona must get there, and which markers must or must not show."""

    name: str
    url: Callable[[w.World], str]
    rules: dict[str, Rule] = field(default_factory=dict)  # thing name -> rule; else default
    status: Callable[[str], set[int]] = lambda p: OK
    present: str = "title"  # which marker proves a visible thing is there
    decode: str = "text"  # "text", "zip" or "binary"


def _same(rule: Rule, names) -> dict[str, Rule]:
    return dict.fromkeys(names, rule)


PHOTOS = tuple(w.OWNER_PHOTOS)
ALBUMS = tuple(w.ALBUMS)
ITEMS = ("pend", "rej")
SUGGESTIONS = ("sug", "blk")


def _photo_surfaces(x: str) -> list[Surface]:
    """Every address of one photo: page, API, credit, files, oEmbed, its tag's pages."""

    def ok(p):
        return OK if reach(p, THINGS[x]) else GONE

    def found(p):
        return FOUND if reach(p, THINGS[x]) else GONE

    def shown(p, t):
        return reach(p, t)

    def only_if_hidden(p, t):  # files carry the title in their metadata; check only refusals
        return None if reach(p, t) else False

    pk = lambda world: world.things[x].pk  # noqa: E731
    tag = f"tag{x}x"
    albums = {a: (lambda p, t: album_listed(p, t)) for a in ALBUMS} if x == "pub" else {}
    waiting = {"sug": lambda p, t: p == "owner"} if x == "pub" else {}  # for the owner only
    return [
        Surface(
            f"photo page {x}", lambda W: f"/photos/{pk(W)}/", {x: shown, **albums, **waiting}, ok
        ),
        Surface(f"api photo {x}", lambda W: f"/api/v1/photos/{pk(W)}/", {x: shown}, ok),
        Surface(
            f"api attribution {x}",
            lambda W: f"/api/v1/photos/{pk(W)}/attribution/?format=text",
            {x: shown},
            ok,
        ),
        Surface(f"api licenses {x}", lambda W: f"/api/v1/photos/{pk(W)}/licenses/", {}, ok),
        Surface(
            f"api download small {x}",
            lambda W: f"/api/v1/photos/{pk(W)}/download/?size=small",
            {x: only_if_hidden},
            found,
            decode="binary",
        ),
        Surface(
            f"api download original {x}",
            lambda W: f"/api/v1/photos/{pk(W)}/download/?size=original",
            {x: only_if_hidden},
            found,
            decode="binary",
        ),
        Surface(
            f"rendition {x}",
            lambda W: f"/photos/{pk(W)}/r/small.jpg",
            {x: only_if_hidden},
            found,
            decode="binary",
        ),
        Surface(
            f"public media path {x}",
            lambda W: "/media/renditions/" + _key(W.photo(x), "small"),
            {x: lambda p, t: None if public(p, t) and not S3_PASS else False},
            lambda p: OK if THINGS[x].obj.visibility == "public" and not S3_PASS else GONE,
            decode="binary",
        ),
        Surface(
            f"oembed {x}",
            lambda W: f"/oembed/?url=http://testserver/photos/{pk(W)}/",
            {x: lambda p, t: t.obj.visibility != "private"},  # as an anonymous visitor
            lambda p: OK if THINGS[x].obj.visibility != "private" else GONE,
        ),
        Surface(
            f"api suggestions {x}",
            lambda W: f"/api/v1/photos/{pk(W)}/suggestions/",
            {x: lambda p, t: None, **waiting},
            lambda p: (
                OK
                if p == "owner"
                else API_SIGNED_OUT
                if p in SIGNED_OUT
                else {403}
                if reach(p, THINGS[x])
                else GONE
            ),
        ),
        Surface(
            f"tag page {x}",
            lambda W: f"/tags/{tag}/",
            {x: listed},
            lambda p: OK if listed(p, THINGS[x]) else GONE,
            present="tag",
        ),
        Surface(
            f"api tag {x}",
            lambda W: f"/api/v1/tags/{tag}/",
            {x: public},  # the tag resource counts public photos: the same for everyone
            lambda p: OK if public(p, THINGS[x]) else GONE,
            present="tag",
        ),
        Surface(
            f"tag feed {x}",
            lambda W: f"/feeds/tag/{tag}/",
            {x: public},
            lambda p: OK if public(p, THINGS[x]) else GONE,
        ),
    ]


def _album_surfaces(a: str) -> list[Surface]:
    """Every address of one album: page, API, photos, credits, exports, feed, members."""

    def ok(p):
        return OK if opens(p, THINGS[a]) else GONE

    def in_album(p, t):  # approved items, each only if its photo opens for the viewer
        return opens(p, THINGS[a]) and reach(p, t)

    items = {"pub": in_album}
    waiting = {}
    if a == "apub":
        items.update(unl=in_album, gone=in_album, priv=lambda p, t: None if p == "owner" else False)
        waiting = _same(lambda p, t: p in MEMBERS, ITEMS)
    approved_only = {**items, **_same(lambda p, t: False, ITEMS)}
    pk = lambda world: world.things[a].pk  # noqa: E731
    mine = {a: lambda p, t: opens(p, t)}  # its title shows wherever it opens
    approved_only[a] = lambda p, t: None if opens(p, t) else False

    def curators(p):
        if p in SIGNED_OUT:
            return API_SIGNED_OUT
        if not opens(p, THINGS[a]):
            return GONE
        return OK if p in ("owner", "curator") else {403}

    def members_page(p):
        if p in SIGNED_OUT:
            return LOGIN
        if not opens(p, THINGS[a]):
            return GONE
        return OK if p in MEMBERS else {403}

    def moderators_page(p):
        if members_page(p) == OK:
            return OK if p in ("owner", "curator") else {403}
        return members_page(p)

    feed_ok = lambda p: OK if THINGS[a].obj.visibility != "private" else GONE  # noqa: E731
    return [
        Surface(f"album page {a}", lambda W: f"/albums/{pk(W)}/", {**mine, **items, **waiting}, ok),
        Surface(f"api album {a}", lambda W: f"/api/v1/albums/{pk(W)}/", mine, ok),
        Surface(
            f"api album photos {a}", lambda W: f"/api/v1/albums/{pk(W)}/photos/", approved_only, ok
        ),
        Surface(f"api album members {a}", lambda W: f"/api/v1/albums/{pk(W)}/members/", {}, ok),
        Surface(
            f"api album pending {a}",
            lambda W: f"/api/v1/albums/{pk(W)}/pending/",
            {
                "pend": lambda p, t: p in ("owner", "curator") if a == "apub" else False,
                "rej": lambda p, t: False,
            },
            curators,
        ),
        Surface(
            f"album credits {a}",
            lambda W: f"/albums/{pk(W)}/credits/",
            {**mine, **approved_only},
            ok,
        ),
        Surface(
            f"api album credits {a}",
            lambda W: f"/api/v1/albums/{pk(W)}/credits/",
            approved_only,
            ok,
        ),
        Surface(
            f"album export {a}",
            lambda W: f"/albums/{pk(W)}/export/?size=small",
            approved_only,
            ok,
            decode="zip",
        ),
        Surface(
            f"api album export {a}",
            lambda W: f"/api/v1/albums/{pk(W)}/export/?size=small",
            approved_only,
            ok,
            decode="zip",
        ),
        Surface(
            f"album feed {a}",
            lambda W: f"/feeds/album/{pk(W)}/",
            {
                "pub": lambda p, t: THINGS[a].obj.visibility != "private",
                a: lambda p, t: t.obj.visibility != "private",
                **_same(lambda p, t: False, ("unl", "gone", "priv", *ITEMS)),
            },
            feed_ok,
        ),
        Surface(f"album members page {a}", lambda W: f"/albums/{pk(W)}/members/", mine, ok),
        Surface(
            f"album activity {a}",
            lambda W: f"/albums/{pk(W)}/activity/",
            {"unl": lambda p, t: None},  # members see it on the album page too
            members_page,
        ),
        Surface(
            f"album moderation {a}",
            lambda W: f"/albums/{pk(W)}/moderation/",
            {
                "pend": lambda p, t: p in ("owner", "curator") if a == "apub" else False,
                "rej": lambda p, t: False,
            },
            moderators_page,
        ),
    ]


def _in_album(album: str) -> Rule:
    return lambda p, t: listed(p, t) and opens(p, THINGS[album])


def _signed_in_page(p: str) -> set[int]:
    return LOGIN if p in SIGNED_OUT else OK


LIST_SURFACES = [
    Surface("home", lambda W: "/", _same(public, PHOTOS)),
    Surface("photostream", lambda W: "/people/alice/", _same(listed, PHOTOS)),
    Surface("person tags", lambda W: "/people/alice/tags/", _same(listed, PHOTOS), present="tag"),
    Surface("tag page shared", lambda W: f"/tags/{w.SHARED_TAG}/", _same(listed, PHOTOS)),
    Surface("tag feed shared", lambda W: f"/feeds/tag/{w.SHARED_TAG}/", _same(public, PHOTOS)),
    Surface("user feed", lambda W: "/feeds/user/alice/", _same(public, PHOTOS)),
    Surface("search page", lambda W: f"/search/?q={w.SHARED_WORD}", _same(listed, PHOTOS)),
    Surface("search page tags", lambda W: f"/search/?tags={w.SHARED_TAG}", _same(listed, PHOTOS)),
    Surface("search api", lambda W: f"/api/v1/photos/?q={w.SHARED_WORD}", _same(listed, PHOTOS)),
    Surface(
        "search api tags", lambda W: f"/api/v1/photos/?tags={w.SHARED_TAG}", _same(listed, PHOTOS)
    ),
    Surface("search api private tag", lambda W: "/api/v1/photos/?tags=tagprivx", {"priv": listed}),
    Surface("search api unlisted words", lambda W: "/api/v1/photos/?q=dscunlx", {"unl": listed}),
    Surface("search feed", lambda W: f"/search/feed/?q={w.SHARED_WORD}", _same(public, PHOTOS)),
    Surface(
        "search api album apub",
        lambda W: f"/api/v1/photos/?album={W.things['apub'].pk}",
        {
            **_same(_in_album("apub"), ("pub", "unl", "gone")),
            **_same(lambda p, t: False, ("priv", *ITEMS)),
        },
    ),
    Surface(
        "search api album aunl",
        lambda W: f"/api/v1/photos/?album={W.things['aunl'].pk}",
        {"pub": _in_album("aunl")},
    ),
    Surface(
        "search api album apriv",
        lambda W: f"/api/v1/photos/?album={W.things['apriv'].pk}",
        {"pub": _in_album("apriv")},
    ),
    Surface("explore", lambda W: "/explore/", _same(public, PHOTOS)),
    Surface(
        "sitemap",
        lambda W: "/sitemap.xml",
        {**_same(public, PHOTOS), **_same(lambda p, t: t.obj.visibility == "public", ALBUMS)},
        present="url",
    ),
    Surface("tag cloud", lambda W: "/tags/", _same(public, PHOTOS), present="tag"),
    Surface(
        "tag autocomplete",
        lambda W: "/api/v1/tags/?prefix=tag",
        _same(public, PHOTOS),
        present="tag",
    ),
    Surface(
        "api tag shared",
        lambda W: f"/api/v1/tags/{w.SHARED_TAG}/",
        _same(public, PHOTOS),
        present="tag",
    ),
    Surface("tag page of a waiting suggestion", lambda W: "/tags/tagsugx/", {}, lambda p: GONE),
    Surface(
        "tag feed of a waiting suggestion", lambda W: "/feeds/tag/tagsugx/", {}, lambda p: GONE
    ),
    Surface(
        "api tag of a dropped suggestion", lambda W: "/api/v1/tags/tagblkx/", {}, lambda p: GONE
    ),
    Surface("album list", lambda W: "/albums/", _same(album_listed, ALBUMS)),
    Surface("api album list", lambda W: "/api/v1/albums/", _same(album_listed, ALBUMS)),
    Surface(
        "api album list by owner",
        lambda W: "/api/v1/albums/?owner=alice",
        _same(album_listed, ALBUMS),
    ),
    Surface(
        "notifications",
        lambda W: "/notifications/",
        {"pend": lambda p, t: p in ("owner", "curator"), "rej": lambda p, t: p in MEMBERS},
        _signed_in_page,
    ),
]

THINGS: dict[str, w.Thing] = {}  # filled by the world fixture; the rules read it
SURFACES = [
    *LIST_SURFACES,
    *(s for x in PHOTOS for s in _photo_surfaces(x)),
    *(s for a in ALBUMS for s in _album_surfaces(a)),
]
THING_NAMES = (*PHOTOS, *ALBUMS, *ITEMS, *SUGGESTIONS)
_checked = Counter()


def _key(photo, name: str) -> str:
    return next(r.key for r in photo.renditions.all() if r.name == name and r.format == "jpg")


# --- The world, once per module ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _local_media():
    """Replace conftest's per-test media folder: the world's files live for the module."""
    yield


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the world in one transaction, rolled back when the module is done."""
    overrides = {}
    if not S3_PASS:
        from config.storages import storages_from_env

        root = tmp_path_factory.mktemp("acl-media")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("BROUETTE_MEDIA_ROOT", str(root))
            overrides["STORAGES"] = storages_from_env(Path(settings.VAR_DIR))
    with override_settings(**overrides), django_db_blocker.unblock(), transaction.atomic():
        built = w.build()
        clients = {}
        for persona in w.PERSONAS:
            clients[persona] = Client()
            if persona != "anonymous":
                clients[persona].force_login(built.users[persona])
        w.deactivate(built)
        THINGS.clear()
        THINGS.update(built.things)
        _register_summary(request.config)
        yield built, clients
        THINGS.clear()
        transaction.set_rollback(True)


def _register_summary(config) -> None:
    class Summary:
        def pytest_terminal_summary(self, terminalreporter):
            if _checked:
                terminalreporter.write_line(
                    f"access matrix: {_checked['requests']} requests, {_checked['cells']} cells "
                    f"(surface x persona x thing), {_checked['counts']} count and probe cells, "
                    f"{_checked['bucket urls']} bucket URLs fetched"
                )

    if not config.pluginmanager.has_plugin("access-matrix-summary"):
        config.pluginmanager.register(Summary(), "access-matrix-summary")


def body_of(response, decode: str) -> str:
    """Return the text to look for markers in: the page, or a ZIP's names and credits."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if decode == "zip" and response.status_code == 200:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.namelist()
            parts += [archive.read(n).decode() for n in archive.namelist() if "redit" in n]
        return "\n".join(parts)
    return raw.decode("utf-8" if decode != "binary" else "latin-1")


def expectation(surface: Surface, persona: str, thing: w.Thing) -> bool | None:
    """Return True (must show), False (must not) or None (either) for one cell."""
    if thing.name in surface.rules:
        return surface.rules[thing.name](persona, thing)
    return default(persona, thing)


# --- The matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", w.PERSONAS)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_nothing_leaks(world, surface, persona):
    built, clients = world
    url = surface.url(built)
    response = clients[persona].get(url)
    body = body_of(response, surface.decode)
    problems = []
    if response.status_code not in surface.status(persona):
        problems.append(f"status {response.status_code}, expected {surface.status(persona)}")
    for name in THING_NAMES:
        thing = THINGS[name]
        expected = expectation(surface, persona, thing)
        if expected is None:
            continue
        _checked["cells"] += 1
        if expected and thing.markers[surface.present] not in body:
            problems.append(f"{name} missing ({thing.markers[surface.present]})")
        if not expected:
            leaked = [m for m in thing.all_markers() if m in body]
            if leaked:
                problems.append(f"{name} LEAKED: {leaked}")
    _checked["requests"] += 1
    assert not problems, f"{persona} GET {url}: " + "; ".join(problems)


# --- Counts and facets -------------------------------------------------------------------------


def _visible(persona: str, rule: Rule, names=PHOTOS) -> list[w.Thing]:
    return [THINGS[n] for n in names if rule(persona, THINGS[n])]


def _facets(found: list[w.Thing]) -> tuple[dict, dict]:
    licenses = Counter(t.obj.license for t in found)
    shapes = {"tall": 0, "wide": 0, "square": 0} | Counter(t.obj.orientation for t in found)
    return dict(licenses), shapes


def _album_count(persona: str, album: str) -> int:
    """Approved items whose photo the persona may open (what the album page shows)."""
    inside = {"apub": ("pub", "unl", "gone")}.get(album, ("pub",))
    return len(_visible(persona, reach, inside))


def _html_number(pattern: str):
    def read(response) -> int:
        found = re.search(pattern, response.content.decode())
        return int(found.group(1)) if found else -1

    return read


COUNTS = {
    "search api count": (
        lambda W: f"/api/v1/photos/?q={w.SHARED_WORD}",
        lambda r: r.json()["count"],
        lambda p: len(_visible(p, listed)),
    ),
    "search api license facets": (
        lambda W: f"/api/v1/photos/?q={w.SHARED_WORD}",
        lambda r: {k: v for k, v in r.json()["facets"]["license"].items() if v},
        lambda p: _facets(_visible(p, listed))[0],
    ),
    "search api orientation facets": (
        lambda W: f"/api/v1/photos/?tags={w.SHARED_TAG}",
        lambda r: r.json()["facets"]["orientation"],
        lambda p: _facets(_visible(p, listed))[1],
    ),
    "search api private tag count": (
        lambda W: "/api/v1/photos/?tags=tagprivx",
        lambda r: r.json()["count"],
        lambda p: len(_visible(p, listed, ("priv",))),
    ),
    "search page count": (
        lambda W: f"/search/?q={w.SHARED_WORD}",
        _html_number(r'id="result-count">(\d+) photo'),
        lambda p: len(_visible(p, listed)),
    ),
    "search page private license facet": (
        lambda W: f"/search/?q={w.SHARED_WORD}",
        _html_number(r'value="CC-BY-NC-ND-4.0"[^>]*> [^<]+<span class="meta">\((\d+)\)'),
        lambda p: len(_visible(p, listed, ("priv",))),
    ),
    "tag page count": (
        lambda W: f"/tags/{w.SHARED_TAG}/",
        _html_number(r'class="meta">(\d+) photo'),
        lambda p: len(_visible(p, listed)),
    ),
    "person tags count": (
        lambda W: "/people/alice/tags/",
        _html_number(rf'>{w.SHARED_TAG}</a> <span class="meta">(\d+)<'),
        lambda p: len(_visible(p, listed)),
    ),
    "tag cloud count": (
        lambda W: "/tags/",
        _html_number(r'title="(\d+) photos?">' + w.SHARED_TAG),
        lambda p: len(_visible(p, public)),
    ),
    "api tag count": (
        lambda W: f"/api/v1/tags/{w.SHARED_TAG}/",
        lambda r: r.json()["count"],
        lambda p: len(_visible(p, public)),
    ),
    "autocomplete count": (
        lambda W: f"/api/v1/tags/?prefix={w.SHARED_TAG}",
        lambda r: [t["count"] for t in r.json()],
        lambda p: [len(_visible(p, public))],
    ),
    "album list photo counts": (
        lambda W: "/api/v1/albums/",
        lambda r: {a["title"].split()[-1]: a["photo_count"] for a in r.json()["results"]},
        lambda p: {
            THINGS[a].markers["title"]: _album_count(p, a)
            for a in ALBUMS
            if album_listed(p, THINGS[a])
        },
    ),
    "album detail photo count": (
        lambda W: f"/api/v1/albums/{W.things['apub'].pk}/",
        lambda r: r.json()["photo_count"],
        lambda p: _album_count(p, "apub"),
    ),
    "album api photos count": (
        lambda W: f"/api/v1/albums/{W.things['apub'].pk}/photos/",
        lambda r: r.json()["count"],
        lambda p: _album_count(p, "apub"),
    ),
    "album tile count": (
        lambda W: "/albums/",
        _html_number(r"ttlapubx</span>\s*<span>(\d+) photo"),
        lambda p: _album_count(p, "apub"),
    ),
    "photo page album count": (
        lambda W: f"/photos/{W.things['pub'].pk}/",
        _html_number(r'ttlapubx</a> <span class="meta">(\d+) photo'),
        lambda p: _album_count(p, "apub"),
    ),
    "photo api album ids": (
        lambda W: f"/api/v1/photos/{W.things['pub'].pk}/",
        lambda r: sorted(r.json()["albums"]),
        lambda p: sorted(THINGS[a].pk for a in ALBUMS if album_listed(p, THINGS[a])),
    ),
}


@pytest.mark.parametrize("persona", w.PERSONAS)
@pytest.mark.parametrize("name", list(COUNTS))
def test_no_count_reveals_a_hidden_photo(world, name, persona):
    built, clients = world
    url, read, expected = COUNTS[name]
    response = clients[persona].get(url(built))
    assert response.status_code == 200, response.content[:300]
    _checked["counts"] += 1
    assert read(response) == expected(persona), f"{persona}: {name}"


# --- Acting on what one may not see: the answer is the one for a photo that does not exist ---

NO_SUCH_PHOTO = 999_999


def _api_post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


PROBES = {
    # name: (url, JSON body, expected statuses by persona); `{photo}` is the probed photo
    "favourite a private photo": (
        "/api/v1/photos/{priv}/favorite/",
        None,
        lambda p: {201} if p == "owner" else API_SIGNED_OUT if p in SIGNED_OUT else GONE,
    ),
    "tag a private photo": (
        "/api/v1/photos/{priv}/tags/",
        {"tags": ["probe"]},
        lambda p: {201} if p == "owner" else API_SIGNED_OUT if p in SIGNED_OUT else GONE,
    ),
    "favourite a photo made private": (
        "/api/v1/photos/{gone}/favorite/",
        None,
        lambda p: {201} if p == "owner" else API_SIGNED_OUT if p in SIGNED_OUT else GONE,
    ),
    "tag a public photo (blocked people may not)": (
        "/api/v1/photos/{pub}/tags/",
        {"tags": ["probe"]},
        lambda p: (
            {201}
            if p == "owner"
            else API_SIGNED_OUT
            if p in SIGNED_OUT
            else {403}
            if p == "blocked"
            else {202}
        ),
    ),
    "join a private album": (
        "/api/v1/albums/{apriv}/members/",
        None,
        lambda p: {409} if p in MEMBERS else API_SIGNED_OUT if p in SIGNED_OUT else GONE,
    ),
}


@pytest.mark.parametrize("persona", w.PERSONAS)
@pytest.mark.parametrize("name", list(PROBES))
def test_acting_on_hidden_things_is_refused_as_if_they_did_not_exist(world, name, persona):
    built, clients = world
    template, data, expected = PROBES[name]
    url = template.format(**{n: t.pk for n, t in built.things.items()})
    response = _api_post(clients[persona], url, data)
    _checked["counts"] += 1
    assert response.status_code in expected(persona), (url, response.content[:300])


@pytest.mark.parametrize(
    "url", ["/api/v1/photos/{unl}/", "/api/v1/albums/{apriv}/", "/api/v1/photos/?q=harbour"]
)
def test_a_deactivated_accounts_token_opens_nothing(world, url):
    built, _ = world
    from rest_framework.authtoken.models import Token

    token = Token.objects.get(user=built.users["deactivated"])
    url = url.format(**{n: t.pk for n, t in built.things.items()})
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    _checked["counts"] += 1
    assert response.status_code == 401, response.content[:300]


@pytest.mark.parametrize("persona", ["curator", "contributor", "stranger", "blocked"])
@pytest.mark.parametrize("photo", ["priv", "gone"])
def test_adding_a_hidden_photo_to_an_album_answers_as_for_a_missing_one(world, photo, persona):
    built, clients = world
    url = f"/api/v1/albums/{built.things['apub'].pk}/photos/"
    hidden = _api_post(clients[persona], url, {"photo": built.things[photo].pk})
    missing = _api_post(clients[persona], url, {"photo": NO_SUCH_PHOTO})
    _checked["counts"] += 1
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_the_matrix_covers_every_surface_persona_and_visibility(world):
    """Say how big the matrix is, and keep it from shrinking unnoticed."""
    cells = sum(
        1
        for surface in SURFACES
        for persona in w.PERSONAS
        for name in THING_NAMES
        if expectation(surface, persona, THINGS[name]) is not None
    )
    requests = len(SURFACES) * len(w.PERSONAS)
    print(f"access matrix: {len(SURFACES)} surfaces x {len(w.PERSONAS)} personas = {requests}")
    print(f"{cells} marker cells, {len(COUNTS) * len(w.PERSONAS)} count cells")
    assert len(SURFACES) >= 119 and len(w.PERSONAS) == 7
    assert {t.obj.visibility for t in THINGS.values() if t.kind == "photo"} == {
        "public",
        "unlisted",
        "private",
    }
    assert {t.obj.visibility for t in THINGS.values() if t.kind == "album"} == {
        "public",
        "unlisted",
        "private",
    }
    assert {THINGS[n].item.status for n in ITEMS} == {"pending", "rejected"}
    assert cells >= 5400


# --- S3: what the bucket itself hands out ------------------------------------------------------
# tests/integration checks the storage aliases one key at a time; these check the files of
# the world's photos, the URLs the site's pages hand to each persona, and signed-URL expiry
# configured through settings.

s3_only = pytest.mark.skipif(not S3_PASS, reason="S3 pass only (BROUETTE_TEST_S3=1)")


def fetch_status(url: str) -> int:
    """GET a URL with no credentials at all, the way a stranger's browser would."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _plain(alias: str, key: str) -> str:
    """Return the bucket URL of a key with any signature stripped."""
    return storages[alias].url(key).split("?")[0]


@s3_only
def test_hidden_photos_files_are_not_readable_from_the_bucket(world):
    built, clients = world
    clients["owner"].get(f"/api/v1/photos/{built.things['priv'].pk}/download/?size=original")
    checked = 0
    for name in PHOTOS:
        photo = THINGS[name].obj
        stamped = f"downloads/{photo.pk}-v{photo.rights_version}.{photo.format.lower()}"
        originals = [photo.original_key, stamped]
        for key in originals:
            assert fetch_status(_plain("originals", key)) in (403, 404), (name, key)
            checked += 1
        for row in photo.renditions.all():
            public_copy = fetch_status(_plain("renditions", row.key))
            private_copy = fetch_status(_plain("private_renditions", row.key))
            if photo.visibility == "public":
                assert public_copy == 200, (name, row.key)
            else:
                assert public_copy in (403, 404) and private_copy in (403, 404), (name, row.key)
            checked += 2
    _checked["bucket urls"] += checked
    assert checked >= 4 * 8


@s3_only
def test_bucket_urls_on_pages_open_only_what_the_persona_may_see(world, seaweedfs):
    built, clients = world
    by_sha = {t.obj.sha256: t for t in THINGS.values() if t.kind in ("photo", "item")}
    found_url = re.compile(re.escape(seaweedfs.endpoint) + r"""[^"'<>\s\\]+""")
    opened = 0
    for persona in ("stranger", "anonymous", "blocked", "curator"):
        urls = set()
        for surface in SURFACES:
            if surface.decode == "text":
                body = body_of(clients[persona].get(surface.url(built)), "text")
                urls |= {u.replace("&amp;", "&") for u in found_url.findall(body)}
        for url in sorted(urls):
            thing = next((t for sha, t in by_sha.items() if sha in url), None)
            if fetch_status(url) != 200:
                continue
            opened += 1
            assert thing is not None and (thing.kind == "item" or reach(persona, thing)), (
                f"{persona} was handed {url}"
            )
    _checked["bucket urls"] += opened
    assert opened > 0  # the public photo's renditions, at least


@s3_only
def test_signed_urls_handed_out_by_the_site_expire(world):
    built, clients = world
    expiry = 4
    short = {alias: dict(config) for alias, config in settings.STORAGES.items()}
    for alias in ("originals", "private_renditions"):
        short[alias]["OPTIONS"] = {**short[alias]["OPTIONS"], "querystring_expire": expiry}
    priv, unl = built.things["priv"].pk, built.things["unl"].pk
    handed_out = [
        lambda: clients["owner"].get(f"/api/v1/photos/{priv}/").json()["renditions"]["small"],
        lambda: clients["owner"].get(f"/api/v1/photos/{priv}/download/?size=original")["Location"],
        lambda: clients["stranger"].get(f"/api/v1/photos/{unl}/").json()["renditions"]["small"],
        lambda: clients["anonymous"].get(f"/photos/{unl}/r/small.jpg")["Location"],
    ]
    signed = []
    with override_settings(STORAGES=short):
        for get_url in handed_out:
            url = get_url()
            assert f"X-Amz-Expires={expiry}" in url and fetch_status(url) == 200, url
            signed.append(url)
    time.sleep(expiry + 1.5)
    assert [fetch_status(url) for url in signed] == [403] * len(signed)
    _checked["bucket urls"] += 2 * len(signed)
