"""Web security: CSP without inline script, headers and cookies, CSRF, downloads, file names.

Rate limits have their own file (test_rate_limits.py). Every page here is fetched for real
through Django's test client, and the CSP is checked once more in Chromium, which reports any
violation in its console.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client, TestCase, override_settings
from django.utils.html import escape
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from albums.models import Membership
from albums.services import album_create
from photos import storage
from photos.models import Photo
from tests.config.test_env import clean_env
from tests.conftest import S3_PASS
from tests.factories import jpeg_bytes, png_bytes, upload, uploaded

ROOT = Path(__file__).resolve().parents[2]
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
PASSWORD = "correct horse battery"


# --- Reading pages ------------------------------------------------------------------


class PageScan(HTMLParser):
    """Collect what a CSP forbids (inline script, handlers, javascript: URLs) and the forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.forms: list[dict] = []
        self.scripts: list[dict] = []
        self._script: dict | None = None
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> handler attribute")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower(
            ).startswith("javascript:"):  # fmt: skip
                self.problems.append(f"<{tag} {name}={value!r}> javascript: URL")
        if tag == "script":
            self._script = {**attrs, "body": ""}
            self.scripts.append(self._script)
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), **attrs, "inputs": {}}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            self._form["inputs"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            script, self._script = self._script, None
            inline = script["body"].strip()
            if inline and script.get("type") not in DATA_SCRIPT_TYPES:
                self.problems.append(f"inline <script>: {inline[:80]!r}")
            if inline and script.get("src"):
                self.problems.append("<script src> with a body")
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["body"] += data


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def policy_of(response) -> dict[str, list[str]]:
    """Parse a Content-Security-Policy header into {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_the_page_scanner_catches_what_the_policy_forbids():
    bad = scan(
        '<a href="javascript:alert(1)">x</a><button onclick="go()">b</button>'
        "<script>alert(1)</script><script src=/a.js>x()</script>"
    )
    assert len(bad.problems) == 5, bad.problems
    good = scan(
        '<script src="/static/js/a.js"></script>'
        '<script type="application/ld+json">{"a": 1}</script><a href="/x">x</a>'
    )
    assert good.problems == []


# --- A small site -------------------------------------------------------------------


@pytest.fixture
def site(alice, bob, carol):
    """Alice's public and private photos, her album with bob in it, a pending item."""
    public = upload(alice, jpeg_bytes((800, 600), (20, 90, 160)), "harbour.jpg", tags="boats")
    private = upload(
        alice, jpeg_bytes((640, 480), (200, 30, 30)), "secret.jpg", visibility="private"
    )
    bobs = upload(bob, jpeg_bytes((320, 240), (40, 200, 40)), "bob.jpg")
    album = album_create(owner=alice, title="Harbours", join_policy="open", moderated=True)
    Membership.objects.create(album=album, user=bob, role="contributor", status="active")
    from albums.contributions import album_add_photo

    album_add_photo(album=album, actor=alice, photo=public)
    album_add_photo(album=album, actor=bob, photo=bobs)  # waits for a curator
    return {"public": public, "private": private, "bobs": bobs, "album": album}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def owner_pages(site) -> list[str]:
    photo, album = site["public"], site["album"]
    return [
        "/",
        "/explore/",
        "/search/?q=harbour",
        "/tags/",
        "/tags/boats/",
        f"/photos/{photo.pk}/",
        f"/photos/{site['private'].pk}/",
        f"/photos/{photo.pk}/edit/",
        f"/photos/{photo.pk}/delete/",
        "/upload/",
        "/people/alice/",
        "/accounts/settings/",
        "/accounts/password_change/",
        "/albums/",
        "/albums/new/",
        f"/albums/{album.pk}/",
        f"/albums/{album.pk}/edit/",
        f"/albums/{album.pk}/members/",
        f"/albums/{album.pk}/moderation/",
        f"/albums/{album.pk}/activity/",
        f"/albums/{album.pk}/credits/",
        "/notifications/",
    ]


ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]


# --- Content-Security-Policy --------------------------------------------------------


def assert_strict_policy(response) -> dict[str, list[str]]:
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]  # no unsafe-inline, no unsafe-eval, no nonce
    assert "script-src-attr" not in policy and "script-src-elem" not in policy
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    return policy


@pytest.mark.django_db
def test_main_pages_carry_a_csp_without_inline_script_and_hold_none(site, alice):
    client = signed_in(alice)
    pages = [(client, url) for url in owner_pages(site)]
    pages += [(Client(), url) for url in ANONYMOUS_PAGES]
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        found = scan(response.content.decode())
        assert found.problems == [], (url, found.problems)
        assert all(s.get("src", "").startswith("/static/") for s in found.scripts if s.get("src"))


def script_src_pattern() -> re.Pattern:
    return re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def template_problems(text: str) -> list[str]:
    """Return inline scripts, handler attributes and javascript: URLs in template source."""
    problems = []
    for attrs, body in script_src_pattern().findall(text):
        data_block = any(f'type="{t}"' in attrs for t in DATA_SCRIPT_TYPES)
        if body.strip() and not data_block:
            problems.append(f"inline <script>: {body.strip()[:60]!r}")
    problems += [f"handler: {m.group(0)[-40:]!r}" for m in HANDLER.finditer(text)]
    problems += [f"javascript: URL: {m.group(0)!r}" for m in JS_URL.finditer(text)]
    return problems


SCRIPT_PROBLEMS = [
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\beval\s*\("), "eval"),
    (re.compile(r"new\s+Function\s*\("), "new Function"),
    (re.compile(r"""setAttribute\(\s*["']on""", re.I), "handler set as an attribute"),
    (re.compile(r"""set(Timeout|Interval)\(\s*["'`]"""), "string timer"),
    (re.compile(r"""(innerHTML|outerHTML|insertAdjacentHTML|document\.write)"""), "HTML sink"),
]


def test_the_template_scanner_catches_inline_script_and_handlers():
    sample = (
        '<form onsubmit="return confirm(1)"><a href="javascript:void(0)">x</a></form>'
        "<script>\nvar x = 1;\n</script>"
        '<script type="application/ld+json">{}</script><script src="a.js"></script>'
    )
    assert len(template_problems(sample)) == 3


def test_templates_and_static_scripts_hold_no_inline_script_or_handler():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    templates += sorted(p for app in ("photos", "albums", "licensing") for p in
                        (ROOT / app).rglob("templates/**/*.html"))  # fmt: skip
    assert len(templates) > 40
    problems = {str(p.relative_to(ROOT)): template_problems(p.read_text()) for p in templates}
    assert {k: v for k, v in problems.items() if v} == {}
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    assert len(scripts) >= 7
    found = {
        str(p.relative_to(ROOT)): [why for rx, why in SCRIPT_PROBLEMS if rx.search(p.read_text())]
        for p in scripts
    }
    assert {k: v for k, v in found.items() if v} == {}


def python_strings(path: Path) -> list[str]:
    """Return the string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]  # fmt: skip


def html_problems(text: str) -> list[str]:
    problems = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", text)
        if "src=" not in tag and not any(t in tag for t in DATA_SCRIPT_TYPES)
    ]
    return problems + HANDLER.findall(text) + JS_URL.findall(text)


def test_html_written_by_python_holds_no_inline_script_or_handler():
    assert html_problems('<script>x</script><a onclick="y">') != []
    sources = [p for app in ("photos", "albums", "licensing", "config") for p in
               (ROOT / app).rglob("*.py") if "migrations" not in p.parts]  # fmt: skip
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := [p for text in python_strings(path) for p in html_problems(text)])
    }
    assert offenders == {}


@pytest.mark.django_db
def test_the_api_docs_load_their_start_up_script_as_a_file():
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert_strict_policy(page)
    found = scan(page.content.decode())
    assert found.problems == []
    sources = [s["src"] for s in found.scripts]
    assert any("swagger-ui-bundle.js" in src for src in sources)
    start = next(src for src in sources if "script=" in src)
    script = client.get(start)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert "/api/v1/schema/" in script.content.decode()


@pytest.mark.django_db
def test_img_and_connect_src_allow_exactly_where_the_photo_store_serves(site, alice):
    response = signed_in(alice).get(f"/photos/{site['private'].pk}/")
    policy = assert_strict_policy(response)
    urls = [
        storage.rendition_url(row.key, public=photo.is_public)
        for photo in (site["public"], site["private"])
        for row in photo.renditions.all()
    ]
    origins = {f"{p.scheme}://{p.netloc}" for p in map(urlsplit, filter(None, urls)) if p.netloc}
    assert origins <= set(policy["img-src"])
    assert {"'self'", "data:"} <= set(policy["img-src"])
    if S3_PASS:
        assert origins, "renditions come from the bucket on the S3 pass"
        upload_url = storage.presigned_upload("uploads/x", max_bytes=1)["url"]
        parts = urlsplit(upload_url)
        assert f"{parts.scheme}://{parts.netloc}" in policy["connect-src"]
    else:
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["connect-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_cdn_and_the_bucket_endpoint_join_the_policy_in_s3_mode(tmp_path, monkeypatch):
    from config.storages import storages_from_env

    monkeypatch.setenv("BROUETTE_STORAGE", "s3")
    monkeypatch.setenv("BROUETTE_S3_BUCKET", "photos")
    monkeypatch.setenv("BROUETTE_S3_ENDPOINT_URL", "https://s3.example.net")
    monkeypatch.setenv("BROUETTE_S3_PUBLIC_URL", "https://cdn.example.org")
    monkeypatch.setenv("BROUETTE_S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("BROUETTE_S3_SECRET_ACCESS_KEY", "secret")
    with override_settings(STORAGES=storages_from_env(tmp_path)):
        policy = policy_of(Client().get("/accounts/login/"))
    assert policy["img-src"] == ["'self'", "data:", "https://cdn.example.org",
                                 "https://s3.example.net"]  # fmt: skip
    assert policy["connect-src"] == ["'self'", "https://s3.example.net"]
    assert policy["script-src"] == ["'self'"]


# --- Headers and cookies --------------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_of_answer_carries_nosniff_referrer_policy_and_no_framing(site, alice):
    client = signed_in(alice)
    photo = site["public"]
    token = Token.objects.create(user=alice).key
    answers = {
        "page": client.get(f"/photos/{photo.pk}/"),
        "api": client.get(f"/api/v1/photos/{photo.pk}/"),
        "oembed": client.get(f"/oembed/?url=http://testserver/photos/{photo.pk}/"),
        "feed": client.get("/feeds/user/alice/"),
        "download": APIClient().get(
            f"/api/v1/photos/{photo.pk}/download/?size=original",
            HTTP_AUTHORIZATION=f"Token {token}",
        ),
        "not found": client.get("/no/such/page/"),
    }
    for name, response in answers.items():
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], name


@pytest.mark.django_db
def test_the_embed_code_is_an_image_and_a_credit_so_nothing_needs_framing(site):
    page = Client().get(f"/photos/{site['public'].pk}/").content.decode()
    code = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "&lt;img " in code and "iframe" not in code.lower()
    oembed = Client().get(f"/oembed/?url=http://testserver/photos/{site['public'].pk}/").json()
    assert oembed["type"] == "photo" and "html" not in oembed


PRODUCTION_PROBE = """
import json, django
from django.test.utils import override_settings
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
from photos import services
services.user_signup(username="alice", email="a@example.org", password="correct horse battery")
plain = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain):  # no collectstatic manifest in a test's var dir
    host = {"HTTP_HOST": "photos.example.org"}
    http = Client().get("/accounts/login/", **host)
    client = Client()
    page = client.get("/accounts/login/", secure=True, **host)
    login = client.post("/accounts/login/", {"username": "alice",
        "password": "correct horse battery"}, secure=True, **host)
def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}
print(json.dumps({
    "http_status": http.status_code, "http_location": http.get("Location"),
    "page_status": page.status_code, "hsts": page.get("Strict-Transport-Security"),
    "csrf_cookie": cookie(page, "csrftoken"), "login_status": login.status_code,
    "session_cookie": cookie(login, "sessionid"),
}))
"""


def production_env(tmp_path) -> dict:
    return {
        **clean_env(),
        "BROUETTE_ENV": "production",
        "BROUETTE_SECRET_KEY": "k" * 20 + "Zq8#pL2$vN5^tR9&wX3*yB6(uE1)oI4!aS7@dF0" + "m" * 10,
        "BROUETTE_ALLOWED_HOSTS": "photos.example.org",
        "BROUETTE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def test_production_over_https_sends_hsts_and_secure_cookies(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["http_status"] == 301
    assert seen["http_location"] == "https://photos.example.org/accounts/login/"
    assert seen["page_status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_cookie"] == {"secure": True, "httponly": False, "samesite": "Lax"}
    assert seen["login_status"] == 302
    assert seen["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_production_passes_the_deploy_check_with_the_security_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout  # only django_ratelimit.W001, see settings


def test_development_over_plain_http_sends_no_hsts_and_plain_cookies(db):
    response = Client().get("/accounts/login/")
    assert "Strict-Transport-Security" not in response
    assert not response.cookies["csrftoken"]["secure"]


# --- CSRF -------------------------------------------------------------------------------


def moderator_from(user):
    """Make a staff member who may remove tags everywhere and review near-duplicates."""
    from django.contrib.auth.models import Permission

    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="moderate_tags"))
    return type(user).objects.get(pk=user.pk)  # fresh, without the cached permissions


def post_forms(response) -> list[dict]:
    return [form for form in scan(response.content.decode()).forms if form["method"] == "post"]


def is_logout(form: dict) -> bool:
    return form.get("action", "").endswith("/accounts/logout/")


@pytest.mark.django_db
def test_every_post_form_a_signed_in_person_sees_carries_a_csrf_token(site, alice, bob):
    album = site["album"].pk
    browsing = {"/", "/explore/", "/search/?q=harbour", "/tags/", "/tags/boats/", "/albums/"}
    browsing |= {f"/albums/{album}/activity/", f"/albums/{album}/credits/"}
    # (who, page, whether the page has a POST form of its own besides the header's log-out)
    pages = [(signed_in(alice), url, url not in browsing) for url in owner_pages(site)]
    pages += [(signed_in(bob), f"/photos/{site['public'].pk}/", True)]
    pages += [(signed_in(bob), f"/albums/{album}/", True)]
    pages += [(Client(), url, True) for url in ANONYMOUS_PAGES[1:]]
    moderator = signed_in(moderator_from(bob))
    pages += [(moderator, "/moderation/duplicates/", False), (moderator, "/tags/boats/", True)]
    checked = 0
    for who, url, has_own_form in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        forms = post_forms(response)
        if has_own_form:
            assert [f for f in forms if not is_logout(f)], f"{url} has no form of its own"
        for form in forms:
            assert len(form["inputs"].get("csrfmiddlewaretoken", "")) >= 32, (url, form)
            checked += 1
        for form in scan(response.content.decode()).forms:
            if form["method"] == "get":  # a token in a GET form would leak into URLs
                assert "csrfmiddlewaretoken" not in form["inputs"], (url, form)
    assert checked >= 40


@pytest.mark.django_db
def test_a_web_post_without_the_token_is_refused(site, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    url = f"/photos/{site['public'].pk}/favorite/"
    refused = client.post(url)
    assert refused.status_code == 403
    page = client.get(f"/photos/{site['public'].pk}/")
    token = next(
        f["inputs"]["csrfmiddlewaretoken"]
        for f in post_forms(page)
        if f.get("action", "").endswith("/favorite/")
    )
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert site["public"].favorites.filter(user=bob).exists()


@pytest.mark.django_db
def test_an_unsafe_api_call_on_a_session_needs_the_csrf_token(site, bob):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(bob)
    url = f"/api/v1/photos/{site['public'].pk}/favorite/"
    refused = api.post(url)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "permission_denied"
    assert "CSRF" in error["message"]
    assert not site["public"].favorites.filter(user=bob).exists()
    api.get(f"/photos/{site['public'].pk}/")  # a page sets the CSRF cookie, as in a browser
    token = api.cookies["csrftoken"].value
    assert api.post(url, HTTP_X_CSRFTOKEN=token).status_code in (200, 201)
    assert site["public"].favorites.filter(user=bob).exists()


@pytest.mark.django_db
def test_an_unsafe_api_call_with_a_token_needs_no_csrf_token(site, carol):
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=carol).key}")
    response = api.post(f"/api/v1/photos/{site['public'].pk}/favorite/")
    assert response.status_code in (200, 201)
    assert site["public"].favorites.filter(user=carol).exists()


# --- Downloads of originals -----------------------------------------------------------


def fetch(response) -> tuple[bytes, dict]:
    """Return the bytes and headers of a download, following a redirect to the bucket."""
    if response.status_code == 302:
        with urllib.request.urlopen(response["Location"], timeout=30) as got:
            return got.read(), {k.lower(): v for k, v in got.headers.items()}
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, {k.lower(): v for k, v in response.headers.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "fmt", "mime"),
    [(jpeg_bytes, "jpeg", "image/jpeg"), (png_bytes, "png", "image/png")],
)
def test_an_original_downloads_as_an_attachment_with_its_type(alice, make, fmt, mime):
    photo = upload(alice, make(), f"mine.{fmt}")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    response = api.get(f"/api/v1/photos/{photo.pk}/download/?size=original")
    assert response.status_code == (302 if S3_PASS else 200)
    body, headers = fetch(response)
    assert headers["content-type"] == mime
    assert headers["content-disposition"] == f'attachment; filename="brouette-{photo.pk}.{fmt}"'
    assert body[:4] == make()[:4]  # the same format, stamped with the license
    if not S3_PASS:
        assert headers["x-content-type-options"] == "nosniff"


# --- Uploaded file names ----------------------------------------------------------------

XSS_NAME = "<img src=x onerror=alert(1)>.jpg"
HOSTILE_NAMES = ["../../etc/passwd.jpg", "a/b\\c.jpg", XSS_NAME, "..\\..\\win.ini.jpg"]


def assert_stored_by_content(photo: Photo, data: bytes) -> None:
    """The bytes sit at the content-addressed key, whatever the file was called."""
    assert photo.original_key == f"{photo.sha256[:2]}/{photo.sha256}.jpeg"
    with storage.open_original(photo.original_key) as fh:
        assert fh.read() == data


def assert_nothing_written_outside(media_root: Path, tmp_path: Path) -> None:
    if S3_PASS:
        return
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(media_root) for p in written), written
    assert not [p for p in written if "passwd" in p.name or "win.ini" in p.name or "<" in p.name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_is_never_a_storage_path_on_the_page_or_the_api(alice, name, tmp_path):
    client = signed_in(alice)
    page_bytes = jpeg_bytes((64, 48), (1, 2, 3))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/upload/",
            {"license": "CC-BY-4.0", "visibility": "public", "file": uploaded(page_bytes, name)},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 201, response.content
    api = APIClient()
    api.force_authenticate(alice)
    api_bytes = jpeg_bytes((64, 48), (4, 5, 6))
    with TestCase.captureOnCommitCallbacks(execute=True):
        created = api.post("/api/v1/photos/", {"file": uploaded(api_bytes, name)})
    assert created.status_code == 201, created.content
    for data in (page_bytes, api_bytes):
        assert_stored_by_content(Photo.objects.get(owner=alice, sha256=sha(data)), data)
    assert_nothing_written_outside(tmp_path / "media", tmp_path)
    for photo in Photo.objects.filter(owner=alice):
        assert_title_shown_escaped(photo)


def sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def assert_title_shown_escaped(photo: Photo) -> None:
    """The title (taken from the file name) appears escaped on the pages that show it."""
    assert photo.title
    for url in (f"/photos/{photo.pk}/", "/people/alice/", "/"):
        page = Client().get(url).content.decode()
        assert "<img src=x" not in page, url
        assert scan(page).problems == [], url
    assert escape(photo.title) in Client().get(f"/photos/{photo.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(not S3_PASS, reason="direct uploads need S3 (the S3 pass)")
def test_a_direct_upload_keeps_the_raw_name_only_as_text(alice):
    api = APIClient()
    api.force_authenticate(alice)
    data = jpeg_bytes((64, 48), (7, 8, 9))
    start = api.post("/api/v1/photos/uploads/").json()
    fields = dict(start["fields"])
    boundary = "----brouette"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        start["url"], data=body, method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as sent:
        assert sent.status in (200, 201, 204)
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = api.post(
            "/api/v1/photos/uploads/finish/",
            {"token": start["token"], "original_name": f"../../etc/{XSS_NAME}"},
            format="json",
        )
    assert done.status_code == 201, done.content
    photo = Photo.objects.get(pk=done.json()["id"])
    assert photo.original_name == f"../../etc/{XSS_NAME}"  # kept as text, nothing more
    assert photo.title == "<img src=x onerror=alert(1)>"
    assert_stored_by_content(photo, data)
    assert_title_shown_escaped(photo)


# --- In a real browser ------------------------------------------------------------------


@pytest.fixture
def chromium_page(browser, live_server):
    """A page of the session's Chromium (tests/browser.py) that records CSP violations."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.violations = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.violations.append(msg.text),
    )
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_and_the_api_docs_work_in_chromium_under_the_policy(
    chromium_page, site, alice, output_dir
):
    page = chromium_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")
    photo, album = site["public"], site["album"]
    page.goto(f"/photos/{photo.pk}/")
    # (wait_for_function would need eval, which the policy refuses: evaluate needs none)
    page.wait_for_load_state("load")
    shown = page.locator("article.photo-page figure img")
    assert shown.evaluate("i => i.complete && i.naturalWidth > 0")  # allowed by img-src
    page.select_option("#embed-size", index=0)  # embed.js still runs
    page.goto("/upload/")
    quay = {"name": "quay.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((120, 90))}
    page.set_input_files("#id_file", files=[quay])
    page.click("#upload-button")
    page.wait_for_selector("[data-result=done]")
    page.goto(f"/albums/{album.pk}/edit/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button.danger")  # confirm.js asks before the form goes
    page.wait_for_timeout(300)
    assert asked == ["Delete this album? The photos stay their owners’."]
    assert page.url.endswith(f"/albums/{album.pk}/edit/")
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=30000)
    assert page.locator(".opblock").count() > 20
    page.screenshot(path=str(output_dir / "security-api-docs.png"))
    assert page.violations == []
    # The listener does hear the browser refuse: an image from elsewhere is blocked.
    page.evaluate("() => { const i = new Image(); i.src = 'https://elsewhere.example/x.png'; }")
    page.wait_for_timeout(300)
    assert any("img-src" in text for text in page.violations), page.violations


@pytest.mark.django_db
def test_admin_pages_hold_no_inline_script(site, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client = signed_in(alice)
    album = site["album"].pk
    for url in ("/admin/", "/admin/auth/user/", f"/admin/auth/user/{alice.pk}/change/",
                "/admin/albums/album/", f"/admin/albums/album/{album}/change/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        assert scan(response.content.decode()).problems == [], url
    assert scan(Client().get("/admin/login/").content.decode()).problems == []
