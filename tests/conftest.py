"""Shared fixtures: personas, storage per backend, real SeaweedFS, immediate tasks.

Two passes run the same suite (see the Makefile):
- SQLite + local disk (the embedded defaults);
- PostgreSQL + SeaweedFS (``DATABASE_URL`` set by tests.services, ``BROUETTE_TEST_S3=1``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings

from tests.browser import browser  # noqa: F401 (one Chromium for every browser test)
from tests.services import SeaweedFS

S3_PASS = os.environ.get("BROUETTE_TEST_S3") == "1"
OUTPUT = Path(os.environ.get("BROUETTE_TEST_OUTPUT", Path(__file__).parent.parent / "test-output"))
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def backend_label() -> str:
    """Name the database and storage this pass runs on."""
    vendor = "PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
    return f"{vendor} + {'SeaweedFS (S3)' if S3_PASS else 'local disk'}"


def pytest_report_header(config):
    return f"brouette backends: {backend_label()}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = terminalreporter.stats
    counts = {key: len(stats.get(key, [])) for key in ("passed", "failed", "error", "skipped")}
    summary = ", ".join(f"{n} {key}" for key, n in counts.items())
    terminalreporter.write_line(f"brouette pass on {backend_label()}: {summary}")


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A real SeaweedFS (weed mini) for this test session, stopped at the end."""
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.cleanup()


def s3_storages(server: SeaweedFS, *, prefix: str = "") -> dict:
    """Return STORAGES built by the real settings code, pointed at ``server``."""
    from config.storages import storages_from_env

    saved = dict(os.environ)
    os.environ.update(server.env())
    os.environ["BROUETTE_S3_PREFIX"] = prefix
    try:
        return storages_from_env(Path(settings.VAR_DIR))
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session", autouse=True)
def _session_settings(request):
    """Run background tasks at once; on the S3 pass, store everything in SeaweedFS."""
    overrides = {"TASKS": IMMEDIATE_TASKS}
    if S3_PASS:
        overrides["STORAGES"] = s3_storages(request.getfixturevalue("seaweedfs"))
    with override_settings(**overrides):
        yield


@pytest.fixture(autouse=True)
def _local_media(tmp_path):
    """Give each test its own media folders on the local-disk pass."""
    if S3_PASS:
        yield
        return
    from config.storages import storages_from_env

    os.environ["BROUETTE_MEDIA_ROOT"] = str(tmp_path / "media")
    try:
        storages = storages_from_env(Path(settings.VAR_DIR))
    finally:
        del os.environ["BROUETTE_MEDIA_ROOT"]
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Start each test with no rate-limit counts (they persist in a file cache under var/)."""
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture
def output_dir() -> Path:
    """Folder for screenshots and other artefacts a reviewer can look at."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def _person(username: str, display_name: str):
    from photos import services

    user = services.user_signup(
        username=username, email=f"{username}@example.org", password="correct horse battery"
    )
    user.profile.display_name = display_name
    user.profile.save()
    return user


@pytest.fixture
def alice(db):
    """The owner."""
    return _person("alice", "Alice Liddell")


@pytest.fixture
def bob(db):
    """A collaborator."""
    return _person("bob", "Bob Builder")


@pytest.fixture
def carol(db):
    """A stranger."""
    return _person("carol", "Carol Danvers")


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()
