"""Nothing is lost when the photo store really goes away (a real SeaweedFS process stop)."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.test.utils import override_settings

from photos import tasks
from photos.models import Photo
from tests.conftest import s3_storages
from tests.factories import jpeg_bytes, uploaded
from tests.services import SeaweedFS

pytestmark = [pytest.mark.s3, pytest.mark.django_db(transaction=True)]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A SeaweedFS of this module's own, so stopping it disturbs no other test."""
    server = SeaweedFS(tmp_path_factory.mktemp("faulty-weed")).start()
    yield server
    server.cleanup()


@pytest.fixture
def on_store(store):
    with override_settings(STORAGES=s3_storages(store)):
        yield store
    if store.process.poll() is not None:
        store.start()


def post(api, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api.post("/api/v1/photos/", {"file": uploaded(data)}, format="multipart")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_an_upload_while_the_store_is_down_fails_clearly_and_leaves_no_row(on_store, api, alice):
    api.force_authenticate(alice)
    on_store.stop()
    response = post(api, jpeg_bytes(color=(1, 50, 100)))
    assert response.status_code == 503
    assert "not reachable" in response.json()["error"]["message"]
    assert Photo.objects.count() == 0
    on_store.start()
    assert post(api, jpeg_bytes(color=(1, 50, 100))).status_code == 201


@override_settings(TASKS=DATABASE_TASKS)
def test_a_rendition_job_is_retried_after_the_store_returns(on_store, api, alice, monkeypatch):
    monkeypatch.setattr(tasks, "RETRY_DELAYS", (dt.timedelta(seconds=1),) * 2)
    api.force_authenticate(alice)
    photo_id = post(api, jpeg_bytes((900, 600), color=(90, 20, 20))).json()["id"]
    on_store.stop()
    run_worker()  # the job fails against the stopped store and schedules a retry
    photo = Photo.objects.get(pk=photo_id)
    assert photo.status == "processing" and photo.attempts == 1
    on_store.start()
    deadline = time.monotonic() + 20
    while photo.status != "ready" and time.monotonic() < deadline:
        time.sleep(0.5)  # the retry is due one second after the failure
        run_worker()
        photo.refresh_from_db()
    assert photo.status == "ready" and photo.renditions.count() == 6
    assert photo.attempts == 2
