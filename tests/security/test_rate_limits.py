"""Rate limits: the attempt past the limit gets 429 with a sentence, others keep their own."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.test import TestCase, override_settings
from rest_framework.authtoken.models import Token

from config.cache import FileCache
from photos.models import Photo
from tests.config.test_env import clean_env
from tests.factories import jpeg_bytes, uploaded

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WRONG = {"username": "alice", "password": "not the password"}
RIGHT = {"username": "alice", "password": "correct horse battery"}


def rates(**changed):
    """Override some of BROUETTE_RATES, keeping the others.

    Tests use hour windows: django-ratelimit's windows are fixed, so a minute's window could
    end in the middle of a test and start the count again.
    """
    return override_settings(BROUETTE_RATES={**settings.BROUETTE_RATES, **changed})


def assert_limited_page(response, sentence: str) -> None:
    """A web 429: a readable page with the sentence and a Retry-After in seconds."""
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<h1>Too many requests</h1>" in page
    assert sentence in page and "Please try again in" in page
    assert 0 < int(response["Retry-After"]) <= 3600


def assert_limited_api(response, sentence: str) -> None:
    """An API 429: the contract's error document, with Retry-After."""
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["message"].startswith(sentence)
    assert "Please try again in" in error["message"]
    assert "fields" not in error
    assert 0 < int(response["Retry-After"]) <= 3600


def other_address(client_class, address: str):
    return client_class(REMOTE_ADDR=address)


# --- Log-in ---------------------------------------------------------------------


@pytest.mark.parametrize("limit", [2, 5])
def test_the_login_attempt_past_the_configured_limit_is_refused(client, alice, limit):
    with rates(login=f"{limit}/h"):
        for _ in range(limit):
            response = client.post("/accounts/login/", WRONG)
            assert response.status_code == 200
            assert "correct username and password" in response.content.decode()
        refused = client.post("/accounts/login/", RIGHT)  # even the right password waits
    assert_limited_page(refused, "Too many log-in attempts for this account")
    assert "_auth_user_id" not in client.session


def test_a_login_limit_on_one_account_leaves_other_people_alone(client, alice, bob):
    with rates(login="2/h"):
        for _ in range(3):
            client.post("/accounts/login/", WRONG)
        assert client.post("/accounts/login/", WRONG).status_code == 429
        bobs = client.post(
            "/accounts/login/", {"username": "bob", "password": "correct horse battery"}
        )
    assert bobs.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_login_guesses_from_another_address_have_their_own_counter(client, alice):
    from django.test import Client

    with rates(login="2/h"):
        for _ in range(3):
            client.post("/accounts/login/", WRONG)
        elsewhere = other_address(Client, "192.0.2.7").post("/accounts/login/", RIGHT)
    assert elsewhere.status_code == 302


def test_the_token_endpoint_shares_the_login_limit_and_answers_the_api_error(client, api, alice):
    with rates(login="2/h"):
        for _ in range(2):
            client.post("/accounts/login/", WRONG)
        response = api.post("/api/v1/auth/token/", RIGHT, format="json")
    assert_limited_api(response, "Too many log-in attempts for this account")
    assert not Token.objects.filter(user=alice).exists()


def test_the_token_endpoint_is_limited_on_its_own(api, alice):
    with rates(login="3/h"):
        answers = [api.post("/api/v1/auth/token/", WRONG, format="json") for _ in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert_limited_api(answers[-1], "Too many log-in attempts")


def test_the_admin_login_is_limited_too(client, alice):
    with rates(login="2/h"):
        answers = [client.post("/admin/login/", WRONG) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert_limited_page(answers[-1], "Too many log-in attempts")


# --- Sign-up and password reset ---------------------------------------------------


def signup_data(n: int) -> dict:
    return {
        "username": f"newcomer{n}",
        "email": f"newcomer{n}@example.org",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
    }


def test_signups_past_the_limit_are_refused_but_another_address_may_sign_up(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    with rates(signup="2/h"):
        for n in range(2):
            assert Client().post("/accounts/signup/", signup_data(n)).status_code == 302
        refused = Client().post("/accounts/signup/", signup_data(2))
        elsewhere = other_address(Client, "198.51.100.4").post("/accounts/signup/", signup_data(3))
    assert_limited_page(refused, "Too many new accounts from your address")
    users = set(get_user_model().objects.values_list("username", flat=True))
    assert "newcomer2" not in users
    assert {"newcomer0", "newcomer1", "newcomer3"} <= users
    assert elsewhere.status_code == 302


def test_password_resets_past_the_limit_send_no_more_mail(client, alice):
    from django.test import Client

    with rates(password_reset="2/h"):
        for _ in range(2):
            sent = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
            assert sent.status_code == 302
        refused = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
        elsewhere = other_address(Client, "203.0.113.9").post(
            "/accounts/password_reset/", {"email": "alice@example.org"}
        )
    assert_limited_page(refused, "Too many password reset requests")
    assert elsewhere.status_code == 302
    assert len(mail.outbox) == 3  # two, none for the refused request, one from elsewhere


# --- Uploads ------------------------------------------------------------------------

BATCH = {"title": "", "description": "", "tags": "", "license": "CC-BY-4.0", "visibility": "public"}


def web_upload(client, n: int, *, json: bool = True):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    data = {**BATCH, "file": uploaded(jpeg_bytes((64, 48), (n * 20 % 256, 80, 120)), f"{n}.jpg")}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/upload/", data, **headers)


def test_uploads_past_the_limit_are_refused_on_the_page_and_the_api(client, api, alice, bob):
    client.force_login(alice)
    with rates(upload="3/h"):
        assert [web_upload(client, n).status_code for n in range(3)] == [201, 201, 201]
        page_json = web_upload(client, 3)
        page_html = web_upload(client, 4, json=False)
        api.force_authenticate(alice)
        through_api = api.post(
            "/api/v1/photos/", {"file": uploaded(jpeg_bytes((64, 48), (1, 2, 3)), "x.jpg")}
        )
        client.force_login(bob)
        bobs = web_upload(client, 5)
    assert_limited_api(page_json, "You have uploaded too many files in a short time")
    assert_limited_page(page_html, "You have uploaded too many files")
    assert_limited_api(through_api, "You have uploaded too many files")
    assert Photo.objects.filter(owner=alice).count() == 3
    assert bobs.status_code == 201
    assert Photo.objects.filter(owner=bob).count() == 1


def test_reading_the_api_is_not_counted_as_uploading(api, alice):
    api.force_authenticate(alice)
    with rates(upload="1/h"):
        for _ in range(3):
            assert api.get("/api/v1/photos/").status_code == 200
        created = api.post("/api/v1/photos/", {"file": uploaded(jpeg_bytes((64, 48)), "first.jpg")})
    assert created.status_code == 201


# --- The API as a whole ------------------------------------------------------------


def test_api_requests_past_the_limit_get_429_per_account(api, alice, bob):
    alice_token = Token.objects.create(user=alice).key
    bob_token = Token.objects.create(user=bob).key
    with rates(api_user="4/h"):
        api.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
        codes = [api.get("/api/v1/licenses/").status_code for _ in range(5)]
        limited = api.get("/api/v1/photos/")
        api.credentials(HTTP_AUTHORIZATION=f"Token {bob_token}")
        bobs = api.get("/api/v1/licenses/")
    assert codes == [200, 200, 200, 200, 429]
    assert_limited_api(limited, "Too many API requests from your account")
    assert bobs.status_code == 200


def test_anonymous_api_requests_are_limited_per_address(db):
    from rest_framework.test import APIClient

    here, there = APIClient(), APIClient(REMOTE_ADDR="192.0.2.200")
    with rates(api_anon="2/h"):
        codes = [here.get("/api/v1/licenses/").status_code for _ in range(3)]
        theirs = there.get("/api/v1/licenses/")
        limited = here.get("/api/v1/licenses/")
    assert codes == [200, 200, 429]
    assert theirs.status_code == 200
    assert_limited_api(limited, "Too many API requests from your address")


def test_behind_a_proxy_the_forwarded_client_address_is_counted(db):
    from rest_framework.test import APIClient

    proxy = "127.0.0.1"
    one = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")
    two = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.2")
    with (
        rates(api_anon="1/h"),
        override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")),
    ):
        assert one.get("/api/v1/licenses/").status_code == 200
        assert two.get("/api/v1/licenses/").status_code == 200
        assert one.get("/api/v1/licenses/").status_code == 429


# --- Configuration ------------------------------------------------------------------


def run_settings(extra: dict, tmp_path) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; print(settings.BROUETTE_RATES)"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**clean_env(), "BROUETTE_VAR_DIR": str(tmp_path), **extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_rates_come_from_the_environment(tmp_path):
    result = run_settings(
        {"BROUETTE_RATE_LOGIN": "7/5m", "BROUETTE_RATE_UPLOAD": "20/hour"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "'login': '7/5m'" in result.stdout
    assert "'upload': '20/h'" in result.stdout


@pytest.mark.parametrize("value", ["ten/m", "10/fortnight", "0/m", "10/0m", "10"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(tmp_path, value):
    result = run_settings({"BROUETTE_RATE_LOGIN": value}, tmp_path)
    assert result.returncode != 0
    assert "Configuration error: BROUETTE_RATE_LOGIN must be a rate like 10/m" in result.stderr


# --- The counter store ----------------------------------------------------------------


def test_the_counter_cache_is_a_file_cache_under_the_var_dir():
    cache = caches[settings.RATELIMIT_USE_CACHE]
    assert isinstance(cache, FileCache)
    assert Path(cache._dir).is_relative_to(Path(settings.VAR_DIR))


def test_counters_lose_no_increment_when_many_threads_count_at_once(tmp_path):
    cache = FileCache(str(tmp_path / "counters"), {})
    cache.add("hits", 0, 60)
    errors = []

    def count():
        try:
            for _ in range(40):
                cache.incr("hits")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("hits") == 320


def test_counting_keeps_the_counters_expiry(tmp_path):
    cache = FileCache(str(tmp_path / "counters"), {})
    cache.add("hits", 0, 3600)
    cache.incr("hits", 5)
    with open(cache._key_to_file("hits"), "rb") as fh:
        expiry = pickle.load(fh)  # noqa: S301 - the test's own file
    assert 3500 < expiry - time.time() <= 3600
    assert cache.get("hits") == 5


def test_only_one_of_two_concurrent_adds_wins(tmp_path):
    cache = FileCache(str(tmp_path / "counters"), {})
    results = []
    barrier = threading.Barrier(6)

    def add():
        barrier.wait()
        results.append(cache.add("window", 1, 60))

    threads = [threading.Thread(target=add) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]


def test_an_expired_counter_cannot_be_incremented(tmp_path):
    cache = FileCache(str(tmp_path / "counters"), {})
    cache.add("hits", 1, 1)
    time.sleep(1.1)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("hits")
