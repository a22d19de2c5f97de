"""Bad configuration stops start-up with one sentence naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import env
from config.storages import storages_from_env

ROOT = Path(__file__).resolve().parents[2]


def clean_env() -> dict:
    """Return this process's environment without Brouette's or the test run's settings."""
    prefixes = ("BROUETTE_", "DATABASE", "DJANGO_ALLOW_ASYNC")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def start_django(extra_env: dict) -> subprocess.CompletedProcess:
    """Run `manage.py check` in a fresh process with the given environment."""
    clean = clean_env()
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"BROUETTE_STORAGE": "ftp"}, "BROUETTE_STORAGE"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://user@host:notaport/db"}, "DATABASE_URL"),
        ({"BROUETTE_ENV": "production", "BROUETTE_ALLOWED_HOSTS": "x.org"}, "BROUETTE_SECRET_KEY"),
        ({"BROUETTE_DEBUG": "maybe"}, "BROUETTE_DEBUG"),
        ({"BROUETTE_MAX_UPLOAD_BYTES": "lots"}, "BROUETTE_MAX_UPLOAD_BYTES"),
        ({"BROUETTE_STORAGE": "s3"}, "BROUETTE_S3_BUCKET"),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(variables, named):
    result = start_django(variables)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert named in lines[0]


def test_production_like_environment_passes_the_deploy_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean_env(),
            "BROUETTE_ENV": "production",
            "BROUETTE_SECRET_KEY": "k" * 20 + "Zq8#pL2$vN5^tR9&wX3*yB6(uE1)oI4!aS7@dF0" + "m" * 10,
            "BROUETTE_ALLOWED_HOSTS": "photos.example.org",
            "BROUETTE_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_keeps_one_generated_secret_key(tmp_path):
    first = env.secret_key("UNSET_FOR_TEST", production=False, keep_in=tmp_path / ".key")
    second = env.secret_key("UNSET_FOR_TEST", production=False, keep_in=tmp_path / ".key")
    assert first == second and len(first) >= 50


def test_booleans_accept_the_usual_spellings_only(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env.boolean("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "nope")
    with pytest.raises(env.ConfigError, match="X_FLAG must be true or false"):
        env.boolean("X_FLAG")


def test_local_storage_gives_named_aliases(tmp_path, monkeypatch):
    monkeypatch.delenv("BROUETTE_STORAGE", raising=False)
    storages = storages_from_env(tmp_path)
    assert {"originals", "renditions", "private_renditions", "staticfiles"} <= set(storages)
    assert storages["renditions"]["OPTIONS"]["base_url"] == "/media/renditions/"
    assert "base_url" not in storages["originals"]["OPTIONS"]


def test_s3_storage_keeps_originals_private_and_renditions_public(monkeypatch, tmp_path):
    monkeypatch.setenv("BROUETTE_STORAGE", "s3")
    monkeypatch.setenv("BROUETTE_S3_BUCKET", "photos")
    monkeypatch.setenv("BROUETTE_S3_PUBLIC_URL", "https://cdn.example.org")
    storages = storages_from_env(tmp_path)
    assert storages["originals"]["OPTIONS"]["querystring_auth"] is True
    assert storages["private_renditions"]["OPTIONS"]["querystring_auth"] is True
    assert storages["renditions"]["OPTIONS"]["querystring_auth"] is False
    assert storages["renditions"]["OPTIONS"]["bucket_name"] == "photos-public"
    assert storages["renditions"]["OPTIONS"]["custom_domain"] == "cdn.example.org"


def test_an_s3_prefix_keeps_brouettes_keys_under_it(monkeypatch, tmp_path):
    monkeypatch.setenv("BROUETTE_STORAGE", "s3")
    monkeypatch.setenv("BROUETTE_S3_BUCKET", "shared")
    monkeypatch.setenv("BROUETTE_S3_PREFIX", "/brouette/")
    storages = storages_from_env(tmp_path)
    assert storages["originals"]["OPTIONS"]["location"] == "brouette/originals"
    assert storages["private_renditions"]["OPTIONS"]["location"] == "brouette/renditions"
    assert storages["renditions"]["OPTIONS"]["location"] == "brouette"
