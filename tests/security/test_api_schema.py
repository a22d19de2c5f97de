"""A bounded schemathesis run over API v1: no 5xx, and every answer keeps the published schema.

The schema is loaded from the Django app in-process (``/api/v1/schema/``); every operation gets
``MAX_EXAMPLES`` generated cases, valid and invalid, sent with alice's token, bob's, or none.
Path parameters, usernames, album and photo ids and license ids are drawn mostly from the seeded
site (alice's photos, tags, suggestions and albums; bob's and carol's), so the views reach their
real code rather than stopping at 404. Each case runs in a savepoint that is rolled back, so a
DELETE never hides the seeded objects from the cases after it and the run is the same every time.
The count of cases is printed and recorded in test-output/schemathesis.json.

Two smaller tests check what fuzzing seldom reaches: a tour of requests that succeed (joining,
moderating, re-ordering, uploading, a duplicate's 409), and a rate-limited 429.
"""

from __future__ import annotations

import contextlib
import json
import time
import zlib
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 30
MIN_CASES_PER_OPERATION = 5  # what a run that silently skipped operations would fall below
ABSENT = 999_999  # an id no seeded object has, so 404s stay in the mix
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
UPLOAD = "POST /api/v1/photos/"
PERSONAS = ("alice", "alice", "bob", None)  # alice owns most of the site; None: no token
LICENSES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CC-BY-NC-4.0", "all-rights-reserved",
            "by-sa", "pdm", "GPL-3.0"]  # fmt: skip


def _seed(alice, bob, carol) -> dict:
    """Build a small real site; return the ids of what it holds, by name."""
    from albums import contributions
    from albums import services as albums
    from albums.models import Membership
    from photos import tags

    harbour = upload(
        alice,
        jpeg_bytes((800, 600), (20, 60, 120)),
        "harbour.jpg",
        title="Harbour",
        tags='boats "north sea" geo:lat=52',
        license="CC-BY-SA-4.0",
    )
    night = upload(alice, jpeg_bytes((300, 500), (5, 5, 30)), "night.jpg", visibility="private")
    dunes = upload(alice, png_bytes((200, 200)), "dunes.png", license="CC0-1.0",
                   visibility="unlisted")  # fmt: skip
    theirs = upload(bob, jpeg_bytes((640, 480), (200, 160, 20)), "bob.jpg", tags="sun")
    quay = upload(bob, jpeg_bytes((500, 500), (90, 90, 90)), "quay.jpg", license="CC0-1.0")
    hidden = upload(carol, jpeg_bytes((64, 64), (9, 9, 9)), "carol.jpg", visibility="private")
    tags.photo_tag(photo=harbour, user=bob, names=["lighthouse"])  # waits for alice's review

    coast = albums.album_create(owner=alice, title="Coast", kind="personal")
    contributions.album_add_photo(album=coast, actor=alice, photo=harbour)
    contributions.album_add_photo(album=coast, actor=alice, photo=dunes)
    north = albums.album_create(owner=alice, title="North Sea", moderated=True)
    Membership.objects.create(album=north, user=bob, role="contributor", status="active")
    Membership.objects.create(album=north, user=carol, role="contributor", status="requested")
    contributions.album_add_photo(album=north, actor=alice, photo=harbour)
    contributions.album_add_photo(album=north, actor=bob, photo=theirs)  # pending
    open_album = albums.album_create(owner=bob, title="Sunny", join_policy="open")
    secret = albums.album_create(owner=carol, title="Mine", visibility="private")

    photos = {"harbour": harbour, "night": night, "dunes": dunes, "theirs": theirs,
              "quay": quay, "hidden": hidden}  # fmt: skip
    albums_ = {"coast": coast, "north": north, "open_album": open_album, "secret": secret}
    return {
        **{name: photo.pk for name, photo in photos.items()},
        **{name: album.pk for name, album in albums_.items()},
        "photos": [photo.pk for photo in photos.values()],
        "albums": [album.pk for album in albums_.values()],
        "slugs": [t.tag.slug for t in harbour.tagged.select_related("tag")],
    }


def _dictionaries(site: dict) -> dict[str, list]:
    """Return the values path, query and body parameters are mostly drawn from."""
    return {
        "photos": [*site["photos"], ABSENT],
        "albums": [*site["albums"], ABSENT],
        "users": ["alice", "bob", "carol", "nobody"],
        "slugs": [*site["slugs"], "lighthouse", "sun", "missing"],
        "licenses": LICENSES,
        "passwords": ["correct horse battery", "wrong horse"],
    }


# Which dictionary each parameter draws from, and how often (the rest is generated freely).
BINDINGS = {
    "path.id": "photos",
    "path.photo_id": "photos",
    "path.album_id": "albums",
    "path.username": "users",
    "path.slug": "slugs",
    "query.owner": "users",
    "query.member": "users",
    "query.album": "albums",
    "query.license": "licenses",
    "body.photo": "photos",
    "body.cover": "photos",
    "body.username": "users",
    "body.license": "licenses",
    "body.password": "passwords",
}


def _config(values: dict[str, list]) -> schemathesis.Config:
    """Return dictionaries of seeded values bound to parameters (modes, seeds: see _exercise)."""
    return schemathesis.Config.from_dict(
        {
            "dictionaries": {name: {"values": items} for name, items in values.items()},
            "parameters": {
                key: {"dictionary": name, "probability": 0.8} for key, name in BINDINGS.items()
            },
        }
    )


def flatmap_case(context, case):
    """Send a real photo in about half the multipart uploads, so the imaging code runs too."""
    multipart = (case.media_type or "").startswith("multipart/")
    if case.operation.label != UPLOAD or not multipart or not isinstance(case.body, dict):
        return st.just(case)
    return st.booleans().map(lambda real: _with_photo(case) if real else case)


def _with_photo(case):
    case.body = {**case.body, "file": jpeg_bytes((320, 240), (120, 90, 60))}
    return case


def _strategy(operation, tokens: dict[str, str]):
    """Return cases for one operation, valid and invalid, sent by each persona in turn."""
    options = []
    for who in PERSONAS:
        headers = {"Authorization": f"Token {tokens[who]}"} if who else None
        options += [
            operation.as_strategy(generation_mode=m, headers=headers) for m in GenerationMode
        ]
    return st.one_of(options)


def _exercise(operation, tokens: dict[str, str], statuses: Counter) -> tuple[int, str | None]:
    """Send cases to one operation; count them and their statuses, and return any failure.

    Seeded per operation, no shrinking, no example database: the same cases every run.
    """
    sent, last = 0, None

    @hypothesis.seed(zlib.crc32(operation.label.encode()))
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        phases=[Phase.explicit, Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @hypothesis.given(case=_strategy(operation, tokens))
    def send(case):
        nonlocal sent, last
        sent, last = sent + 1, case
        for alias in settings.CACHES:  # rate-limit counters would turn later cases into 429s
            caches[alias].clear()
        with _rolled_back():
            response = case.call()
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

    try:
        send()
    except (Exception, BaseExceptionGroup) as exc:  # every operation runs; failures are gathered
        found = getattr(exc, "exceptions", [exc])
        details = "\n".join(f"  - {type(e).__name__}: {str(e)[:1500]}" for e in found)
        sender = {f"Token {t}": who for who, t in tokens.items()}.get(
            (last.headers or {}).get("Authorization"), "anonymous"
        )
        return sent, (
            f"{operation.label} (as {sender})\n{details}\n  reproduce: {last.as_curl_command()}"
        )
    return sent, None


@pytest.fixture
def in_test_transaction():
    """Keep Django from closing the test's connection at each request, as its test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(alice, bob) -> dict[str, str]:
    return {user.username: Token.objects.create(user=user).key for user in (alice, bob)}


@pytest.fixture
def site(alice, bob, carol) -> dict:
    return _seed(alice, bob, carol)


@pytest.fixture
def api_schema(site, in_test_transaction):
    """The live schema of API v1, loaded through the WSGI application, over a seeded site."""
    from config.wsgi import application

    config = _config(_dictionaries(site))
    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=config)
    loaded.hook(flatmap_case)
    return loaded


@contextlib.contextmanager
def _rolled_back():
    """Run one case in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_every_operation_answers_within_its_schema(api_schema, tokens, request, output_dir):
    started = time.monotonic()
    counts: dict[str, int] = {}
    statuses: dict[str, Counter] = {}
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        statuses[operation.label] = Counter()
        counts[operation.label], failure = _exercise(operation, tokens, statuses[operation.label])
        if failure:
            failures.append(failure)
    seconds = round(time.monotonic() - started, 1)
    _report(request, output_dir, counts, statuses, seconds, failures)
    assert not failures, f"{len(failures)} operations broke the schema:\n\n" + "\n\n".join(failures)
    assert len(counts) == len(api_schema) >= 30
    thin = {label: n for label, n in counts.items() if n < MIN_CASES_PER_OPERATION}
    assert not thin, f"operations that got too few cases: {thin}"


def _report(request, output_dir, counts, statuses, seconds: float, failures: list) -> None:
    """Print the number of cases tried and record it with the per-operation counts."""
    total = sum(counts.values())
    record = {
        "cases": total,
        "operations": len(counts),
        "max_examples": MAX_EXAMPLES,
        "seconds": seconds,
        "checks": [check.__name__ for check in CHECKS],
        "failures": len(failures),
        "per_operation": {
            label: {"cases": counts[label], "statuses": dict(sorted(statuses[label].items()))}
            for label in sorted(counts)
        },
    }
    path = output_dir / "schemathesis.json"
    path.write_text(json.dumps(record, indent=2))
    line = f"schemathesis: {total} cases over {len(counts)} operations in {seconds} s ({path})"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # shown even though output is captured
            reporter.write_line(line)


def test_a_rate_limited_answer_keeps_the_schema(api_schema, tokens):
    """The 429 carries the contract's error document and a Retry-After, as documented."""
    operation = api_schema["/api/v1/licenses/"]["GET"]
    headers = {"Authorization": f"Token {tokens['alice']}"}
    statuses = []
    with override_settings(BROUETTE_RATES={**settings.BROUETTE_RATES, "api_user": "2/m"}):
        for alias in settings.CACHES:
            caches[alias].clear()
        for _ in range(3):
            case = operation.Case(headers=headers)
            response = case.call()
            case.validate_response(response, checks=CHECKS)
            statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"][0]) > 0


def _tour(site: dict) -> list[tuple]:
    """Requests people make, with the answers they get: (who, method, path, parameters, status).

    Fuzzing rarely builds a request that succeeds at joining, moderating or re-ordering; these
    make sure every documented success shape, and the 409s with their bodies, is checked.
    """
    multipart = {"media_type": "multipart/form-data"}
    new_photo = {"file": jpeg_bytes((400, 300), (1, 2, 3)), "title": "Quay", "tags": "quay pier"}
    same_bytes = {"file": jpeg_bytes((800, 600), (20, 60, 120))}  # harbour's, sent again
    coast, north, harbour, theirs = site["coast"], site["north"], site["harbour"], site["theirs"]
    return [
        ("alice", "POST", "/api/v1/auth/token/",
         {"body": {"username": "alice", "password": "correct horse battery"}}, {200}),
        (None, "GET", "/api/v1/photos/", {"query": {"q": "harbour"}}, {200}),
        ("alice", "POST", "/api/v1/photos/", {"body": new_photo, **multipart}, {201}),
        ("alice", "POST", "/api/v1/photos/", {"body": same_bytes, **multipart}, {409}),
        ("alice", "PATCH", "/api/v1/photos/{id}/",
         {"path_parameters": {"id": harbour}, "body": {"license": "CC-BY-NC-ND-4.0"}}, {409}),
        ("alice", "GET", "/api/v1/photos/{id}/licenses/", {"path_parameters": {"id": harbour}},
         {200}),
        ("alice", "GET", "/api/v1/photos/{id}/attribution/",
         {"path_parameters": {"id": harbour}, "query": {"format": "html"}}, {200}),
        ("alice", "GET", "/api/v1/photos/{id}/download/",
         {"path_parameters": {"id": harbour}, "query": {"size": "small"}}, {200, 302}),
        ("alice", "POST", "/api/v1/photos/{id}/favorite/", {"path_parameters": {"id": theirs}},
         {201}),
        ("alice", "POST", "/api/v1/photos/{id}/tags/",
         {"path_parameters": {"id": harbour}, "body": {"tags": ["pier"]}}, {201}),
        ("alice", "POST", "/api/v1/photos/{id}/tags/",
         {"path_parameters": {"id": theirs}, "body": {"tags": ["quay"]}}, {202}),
        ("alice", "GET", "/api/v1/photos/{id}/suggestions/", {"path_parameters": {"id": harbour}},
         {200}),
        ("alice", "POST", "/api/v1/photos/{id}/suggestions/{slug}/",
         {"path_parameters": {"id": harbour, "slug": "lighthouse"},
          "body": {"decision": "accept"}}, {200}),
        ("alice", "POST", "/api/v1/albums/{album_id}/members/",
         {"path_parameters": {"album_id": site["open_album"]}, "body": {}}, {201}),
        ("alice", "PATCH", "/api/v1/albums/{album_id}/members/{username}/",
         {"path_parameters": {"album_id": north, "username": "carol"},
          "body": {"status": "active"}}, {200}),
        ("alice", "PATCH", "/api/v1/albums/{album_id}/members/{username}/",
         {"path_parameters": {"album_id": north, "username": "bob"}, "body": {"role": "curator"}},
         {200}),
        ("bob", "POST", "/api/v1/albums/{album_id}/photos/",
         {"path_parameters": {"album_id": north}, "body": {"photo": site["quay"]}}, {202}),
        ("alice", "POST", "/api/v1/albums/{album_id}/photos/",
         {"path_parameters": {"album_id": north}, "body": {"photo": site["dunes"]}}, {201}),
        ("alice", "PATCH", "/api/v1/albums/{album_id}/photos/{photo_id}/",
         {"path_parameters": {"album_id": coast, "photo_id": site["dunes"]},
          "body": {"position": 0}}, {200}),
        ("alice", "GET", "/api/v1/albums/{album_id}/pending/",
         {"path_parameters": {"album_id": north}}, {200}),
        ("alice", "POST", "/api/v1/albums/{album_id}/pending/{photo_id}/",
         {"path_parameters": {"album_id": north, "photo_id": theirs},
          "body": {"decision": "approve"}}, {200}),
        ("alice", "GET", "/api/v1/albums/{album_id}/photos/",
         {"path_parameters": {"album_id": north}}, {200}),
        (None, "GET", "/api/v1/albums/{album_id}/credits/",
         {"path_parameters": {"album_id": coast}, "query": {"format": "text"}}, {200}),
        (None, "GET", "/api/v1/albums/{album_id}/export/", {"path_parameters": {"album_id": coast}},
         {200}),
    ]  # fmt: skip


def test_what_people_do_answers_within_the_schema(api_schema, site, tokens):
    """Each request of the tour gets its expected status, and its answer matches the schema."""
    wrong = []
    for who, method, path, parts, expected in _tour(site):
        headers = {"Authorization": f"Token {tokens[who]}"} if who else {}
        if "body" in parts:
            parts = {"media_type": "application/json", **parts}
        case = api_schema[path][method].Case(headers=headers, **parts)
        with _rolled_back():
            response = case.call()
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                wrong.append(f"{who} {method} {path}: {exc}")
        if response.status_code not in expected:
            wrong.append(f"{who} {method} {path}: {response.status_code} {response.text[:300]}")
    assert not wrong, "\n".join(wrong)
