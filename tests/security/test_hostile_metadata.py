"""Hostile words in every field, shown escaped on every surface that shows them.

One table of hostile values (markup, an attribute break-out, template syntax, SQL, a
right-to-left override, 5,000 characters) and one table of surfaces (pages, Atom feeds,
attributions and credits in every format, JSON-LD, RDFa, oEmbed, the XMP we write into
renditions and downloads, the ZIP export's credits). For each value one "world" is built
through the real entry points (API uploads, tags, albums, the comment form, the profile
service): every free-text field carries the value, cut to the field's limit; refusals of the
full value are asserted separately. Each surface is then read as anonymous (or as the owner
where only she sees it) and judged by what it is: HTML must hold no live markup from the
value, feeds must parse and carry no live markup, plain text and Markdown carry no bidi
controls and Markdown no raw HTML, JSON must parse, XMP must be well-formed XML.
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

import feedparser
import pytest
from django.test import Client, TestCase
from rest_framework.test import APIClient

from photos import services, storage
from photos.models import Photo
from tests.factories import jpeg_bytes, uploaded

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE = {
    "script": SCRIPT,
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{ 7*7 }} {% debug %}",
    "sql": "' OR 1=1 --",
    "rtl": "Holiday \u202egpj.exe",
    "long": (SCRIPT + " ") * 192 + "x" * 8,
}
assert len(HOSTILE["long"]) == 5000
# Markup that must never reach a page live, whatever field it came through.
LIVE = ("<script>alert(1)", "<img src=x onerror", "<img src=x")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
HOSTILE_URL = 'https://example.org/a"><script>alert(2)</script>'
EXIFTOOL = "/usr/bin/exiftool"


def fit(value: str, limit: int) -> str:
    return value[:limit]


# --- The world: one hostile value in every field ---------------------------------------


def build_world(value: str, alice, bob) -> dict:
    """Fill every free-text field with ``value`` through the real entry points."""
    services.profile_update(profile=alice.profile, display_name=fit(value, 100))
    owner = APIClient()
    owner.force_authenticate(alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = owner.post(
            "/api/v1/photos/",
            {
                "file": uploaded(jpeg_bytes((1000, 700), color=(90, 30, 160)), "x.jpg"),
                "title": fit(value, 200),
                "description": value,
                "creator_name": fit(value, 200),
                "creator_url": HOSTILE_URL,
                "license": "CC-BY-SA-4.0",
                "tags": "harbour",
            },
            format="multipart",
        )
    assert response.status_code == 201, response.content
    photo = Photo.objects.get(pk=response.json()["id"])
    tag = owner.post(f"/api/v1/photos/{photo.pk}/tags/", {"tags": [fit(value, 100)]})
    album = owner.post(
        "/api/v1/albums/",
        {"title": fit(value, 200), "description": value, "visibility": "public"},
        format="json",
    )
    assert album.status_code == 201, album.content
    album_id = album.json()["id"]
    added = owner.post(f"/api/v1/albums/{album_id}/photos/", {"photo": photo.pk}, format="json")
    assert added.status_code == 201, added.content
    commenter = Client()
    commenter.force_login(bob)
    commenter.post(f"/photos/{photo.pk}/comments/", {"body": fit(value, 4000)})
    assert photo.comments.count() == 1
    slugs = [t["slug"] for t in owner.get(f"/api/v1/photos/{photo.pk}/").json()["tags"]]
    return {"photo": photo, "album": album_id, "tag_answer": tag, "slugs": slugs}


# --- Judges: what each kind of surface must (not) contain ------------------------------


def html_problems(body: str, value: str) -> list[str]:
    found = [f"live markup {marker!r}" for marker in LIVE if marker in body]
    shown = html.unescape(body)
    if BIDI.search(shown):
        found.append("a bidi override is shown, so words can read backwards")
    if "{{" in value and "7*7" in shown and "{{ 7*7 }}" not in shown:
        found.append("template syntax was evaluated")
    if "'True': True" in shown:  # what {% debug %} prints when it runs
        found.append("{% debug %} ran")
    return found


def reflected_problems(body: str, value: str) -> list[str]:
    """Judge a page echoing the visitor's own query: the search box round-trips it, bidi and
    all, but the page's title and heading show it without bidi controls."""
    found = [p for p in html_problems(body, value) if "bidi" not in p]
    shown = re.findall(r"<title>(.*?)</title>|<h1[^>]*>(.*?)</h1>", body, flags=re.S)
    if any(BIDI.search(title + heading) for title, heading in shown):
        found.append("a bidi control is left in the title or heading")
    return found


def shown_problems(body: str, value: str) -> list[str]:
    """Judge a page that must show the title: escaped, and there (so the check can fail)."""
    found = html_problems(body, value)
    title = " ".join(fit(value, 200).replace("\u202e", "").split())[:60]
    if html.escape(title) not in body and title not in html.unescape(body):
        found.append(f"the title {title!r} is not shown")
    return found


def text_problems(body: str, value: str) -> list[str]:
    found = ["a bidi control is left in plain text"] if BIDI.search(body) else []
    if "&lt;" in body or "&quot;" in body:
        found.append("plain text is HTML-escaped")
    return found


def markdown_problems(body: str, value: str) -> list[str]:
    found = text_problems(body, value)
    if re.search(r"(?<!\\)<(script|img)", body):
        found.append("raw HTML in Markdown")
    return found


def feed_problems(body: str, value: str) -> list[str]:
    feed = feedparser.parse(body, sanitize_html=False)
    if feed.bozo:
        return [f"feed does not parse: {feed.bozo_exception}"]
    if not feed.entries:
        return ["feed has no entries"]
    found = []
    for entry in feed.entries:
        for content in [*entry.get("content", []), entry.get("summary_detail", {})]:
            if content and "html" in content.get("type", ""):
                found += html_problems(content["value"], value)
        if entry.get("title_detail", {}).get("type") == "text/html":
            found += html_problems(entry.title, value)
    if not any(_gist(value) in entry.get("title", "") for entry in feed.entries):
        found.append(f"no entry is titled {_gist(value)!r}")
    return found


def _gist(value: str) -> str:
    """Return how the start of a value must read wherever it is shown as text."""
    return " ".join(BIDI.sub("", value).split())[:20]


def json_problems(body: str, value: str) -> list[str]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    if _gist(value) not in json.dumps(data, ensure_ascii=False):
        return [f"{_gist(value)!r} does not come back as written"]
    return []


def jsonld_problems(body: str, value: str) -> list[str]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    if not blocks:
        return ["no JSON-LD block"]
    found = []
    for block in blocks:
        if "<" in block:
            found.append("a '<' inside JSON-LD could end its script element")
        data = json.loads(block)
        if data.get("name") and fit(value, 200).strip()[:20] not in data["name"] + value:
            found.append(f"JSON-LD name {data['name'][:60]!r} lost the title")
    return found


def oembed_problems(body: str, value: str) -> list[str]:
    data = json.loads(body)
    found = html_problems(data.get("html", ""), value)
    if data.get("type") != "photo":
        found.append(f"oEmbed type {data.get('type')!r}")
    return found


def xmp_problems(data: bytes, value: str) -> list[str]:
    found = []
    start, end = data.find(b"<x:xmpmeta"), data.find(b"</x:xmpmeta>")
    if start < 0 or end < 0:
        return ["no XMP packet"]
    packet = data[start : end + len(b"</x:xmpmeta>")]
    try:
        ET.fromstring(packet)  # noqa: S314 - our own output, read to prove it is well-formed
    except ET.ParseError as exc:
        found.append(f"XMP is not well-formed XML: {exc}")
    if b"<script" in packet or b"<img" in packet:
        found.append("live markup in the XMP packet")
    read = exiftool(data)
    if "error" in read:
        found.append(f"exiftool cannot read the file: {read['error']}")
    if BIDI.search(json.dumps(read, ensure_ascii=False)):
        found.append("a bidi control is left in the embedded metadata")
    title = BIDI.sub("", fit(value, 200))[:40]
    if title not in str(read.get("Title", "")):
        found.append(f"exiftool reads the title as {str(read.get('Title'))[:60]!r}")
    return found


def exiftool(data: bytes) -> dict:
    """Return what exiftool reads from image bytes (XMP, IPTC and EXIF, as text)."""
    result = subprocess.run(
        [EXIFTOOL, "-j", "-XMP:all", "-IPTC:all", "-EXIF:all", "-"],
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if result.returncode:
        return {"error": result.stderr.decode(errors="replace")}
    return json.loads(result.stdout)[0]


def zip_problems(data: bytes, value: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "CREDITS.txt" not in names or "credits.html" not in names:
            return [f"credits missing from {names}"]
        text = archive.read("CREDITS.txt").decode()
        page = archive.read("credits.html").decode()
    return [f"CREDITS.txt: {p}" for p in text_problems(text, value)] + [
        f"credits.html: {p}" for p in html_problems(page, value)
    ]


# --- Surfaces ----------------------------------------------------------------------------


def surfaces(world: dict, alice) -> dict:
    """Return every surface showing the hostile value: name -> (fetch, judge)."""
    photo, album = world["photo"], world["album"]
    anonymous, owner = Client(), Client()
    owner.force_login(alice)
    page_url = f"http://testserver/photos/{photo.pk}/"
    tag_slugs = world["slugs"]
    query = _quoted(world["value"])

    def get(path, client=anonymous, ok=(200,)):
        def fetch():
            response = client.get(path)
            if response.status_code == 302 and "X-Amz-Signature" in response["Location"]:
                return urllib.request.urlopen(response["Location"], timeout=30).read()
            assert response.status_code in ok, (path, response.status_code)
            return b"".join(response) if response.streaming else response.content

        return fetch

    found = {
        "photo page": (get(f"/photos/{photo.pk}/"), shown_problems),
        "photo page JSON-LD": (get(f"/photos/{photo.pk}/"), jsonld_problems),
        "photo page as owner": (get(f"/photos/{photo.pk}/", owner), html_problems),
        "photostream": (get("/people/alice/"), html_problems),
        "album page": (get(f"/albums/{album}/"), shown_problems),
        "album list": (get("/albums/"), html_problems),
        "album activity": (get(f"/albums/{album}/activity/", owner), html_problems),
        "album credits page": (get(f"/albums/{album}/credits/"), html_problems),
        "search page (results)": (get("/search/?owner=alice"), html_problems),
        # A 5,000-character query is refused (400): that page must not reflect it live either.
        "search page (query)": (get(f"/search/?q={query}", ok=(200, 400)), reflected_problems),
        "tag cloud": (get("/tags/"), html_problems),
        "user feed": (get("/feeds/user/alice/"), feed_problems),
        "album feed": (get(f"/feeds/album/{album}/"), feed_problems),
        "search feed": (get("/search/feed/?owner=alice"), feed_problems),
        "oEmbed JSON": (get(f"/oembed/?url={_quoted(page_url)}&format=json"), oembed_problems),
        "photo API": (get(f"/api/v1/photos/{photo.pk}/"), json_problems),
        "album API": (get(f"/api/v1/albums/{album}/"), json_problems),
        "album export ZIP": (get(f"/api/v1/albums/{album}/export/"), zip_problems),
        "rendition XMP": (lambda: _rendition(photo), xmp_problems),
        "download XMP": (get(f"/api/v1/photos/{photo.pk}/download/?size=original"), xmp_problems),
    }
    for slug in tag_slugs:
        found[f"tag page {slug[:20]}"] = (get(f"/tags/{_quoted(slug)}/"), html_problems)
        found[f"tag feed {slug[:20]}"] = (get(f"/feeds/tag/{_quoted(slug)}/"), feed_problems)
    judges = {"text": text_problems, "html": html_problems, "markdown": markdown_problems}
    judges["json"] = json_problems
    for fmt, judge in judges.items():
        found[f"attribution {fmt}"] = (
            get(f"/api/v1/photos/{photo.pk}/attribution/?format={fmt}"),
            judge,
        )
        found[f"album credits {fmt}"] = (
            get(f"/api/v1/albums/{album}/credits/?format={fmt}"),
            judge,
        )
    return found


def _quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _rendition(photo) -> bytes:
    row = photo.renditions.get(name="medium", format="jpg")
    with storage.open_rendition(row.key, public=photo.is_public) as fh:
        return fh.read()


def _decoded(raw: bytes | str, judge) -> bytes | str:
    if judge is xmp_problems or judge is zip_problems:
        return raw
    return raw.decode() if isinstance(raw, bytes) else raw


# --- The tests --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_words_are_shown_escaped_on_every_surface(kind, alice, bob):
    value = HOSTILE[kind]
    world = build_world(value, alice, bob)
    world["value"] = value
    problems = {}
    checked = surfaces(world, alice)
    for name, (fetch, judge) in checked.items():
        if found := judge(_decoded(fetch(), judge), value):
            problems[name] = found
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert len(checked) >= 30
    tag = world["tag_answer"]
    if BIDI.search(value):  # tags refuse control characters outright, naming them
        assert tag.status_code == 400
        message = tag.json()["error"]["message"]
        assert "control characters" in message and "\\u202e" in message
        assert not BIDI.search(message)
    else:
        assert tag.status_code == 201, tag.content
        assert len(world["slugs"]) == 2


def api_error(response) -> str:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] and error["message"].endswith(".")
    return json.dumps(error, ensure_ascii=False)


def test_words_over_a_fields_limit_are_refused_with_the_limit_named(alice):
    long = HOSTILE["long"]
    owner = APIClient()
    owner.force_authenticate(alice)
    photo = owner.post(
        "/api/v1/photos/",
        {"file": uploaded(jpeg_bytes(), "a.jpg"), "title": long, "creator_name": long},
        format="multipart",
    )
    assert "no more than 200 characters" in api_error(photo)
    assert Photo.objects.count() == 0
    album = owner.post("/api/v1/albums/", {"title": long}, format="json")
    assert "no more than 200 characters" in api_error(album)
    too_long_description = owner.post(
        "/api/v1/albums/", {"title": "Quays", "description": long + "x"}, format="json"
    )
    assert "no more than 5000 characters" in api_error(too_long_description)


def test_a_long_tag_a_long_comment_and_a_long_name_are_refused_with_a_sentence(alice, bob):
    from photos.models import Comment
    from tests.factories import upload

    photo = upload(alice)
    owner = APIClient()
    owner.force_authenticate(alice)
    tag = owner.post(f"/api/v1/photos/{photo.pk}/tags/", {"tags": [HOSTILE["long"]]})
    assert "characters" in api_error(tag)
    commenter = Client()
    commenter.force_login(bob)
    page = commenter.post(
        f"/photos/{photo.pk}/comments/", {"body": HOSTILE["long"] * 2}, follow=True
    )
    assert "at most 4000 characters" in page.content.decode()
    assert not Comment.objects.exists()
    settings_page = Client()
    settings_page.force_login(alice)
    answer = settings_page.post("/accounts/settings/", {"display_name": HOSTILE["long"]})
    assert answer.status_code in (200, 400)
    assert "at most 100 characters" in answer.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice Liddell"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>"])
def test_a_credit_url_that_is_not_a_web_address_is_refused(alice, url):
    owner = APIClient()
    owner.force_authenticate(alice)
    response = owner.post(
        "/api/v1/photos/",
        {"file": uploaded(jpeg_bytes(), "a.jpg"), "creator_url": url},
        format="multipart",
    )
    assert "valid URL" in api_error(response)
    assert Photo.objects.count() == 0


def test_a_five_thousand_character_search_is_refused_without_echoing_markup(alice):
    response = Client().get("/search/", {"q": HOSTILE["long"]})
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert not html_problems(body, HOSTILE["long"])
    if response.status_code == 400:
        assert "characters" in body
