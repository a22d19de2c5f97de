"""Background renditions: through the real database worker, with retries and failures."""

import pytest
from django.core.management import call_command
from django.test import TestCase, override_settings

from photos import renditions, storage, tasks
from photos.models import Status
from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_makes_the_renditions(alice):
    photo = upload(alice, jpeg_bytes((1200, 900)))
    assert photo.status == Status.PROCESSING
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    photo.refresh_from_db()
    assert photo.status == Status.READY
    assert photo.renditions.filter(name="medium", format="webp").exists()


def test_a_store_outage_is_retried_then_recorded_as_failed(alice, monkeypatch):
    def store_down(*args, **kwargs):
        raise storage.StorageUnavailable("connection refused")

    monkeypatch.setattr(renditions.storage, "open_original", store_down)
    scheduled = []
    monkeypatch.setattr(
        tasks, "_retry_or_fail", lambda pid, attempt: scheduled.append(attempt) or "retrying"
    )
    photo = upload(alice)
    assert scheduled == [1]
    assert photo.status == Status.PROCESSING
    monkeypatch.undo()
    monkeypatch.setattr(renditions.storage, "open_original", store_down)
    for _ in range(len(tasks.RETRY_DELAYS)):
        tasks.render_photo_task.call(photo.pk)
    photo.refresh_from_db()
    assert photo.status == Status.FAILED
    assert "Retry" in photo.failure_reason


def test_retrying_after_the_store_returns_makes_the_photo_ready(alice, monkeypatch):
    monkeypatch.setattr(
        renditions.storage,
        "open_original",
        lambda *a, **k: (_ for _ in ()).throw(storage.StorageUnavailable("down")),
    )
    monkeypatch.setattr(tasks, "RETRY_DELAYS", ())
    photo = upload(alice)
    photo.refresh_from_db()
    assert photo.status == Status.FAILED
    monkeypatch.undo()
    from photos import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_retry(photo=photo)
    photo.refresh_from_db()
    assert photo.status == Status.READY


@override_settings(TASKS=DATABASE_TASKS)
def test_a_job_left_running_by_a_killed_worker_is_picked_up_again(alice):
    import datetime as dt
    from io import StringIO

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    photo = upload(alice, jpeg_bytes((700, 500), color=(3, 99, 3)))
    job = DBTaskResult.objects.get()
    # What a worker killed mid-job leaves behind: the job claimed, running, never finished.
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(hours=1), worker_ids=["gone"]
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    photo.refresh_from_db()
    assert photo.status == Status.PROCESSING  # nobody picks up a running job by itself
    out = StringIO()
    call_command("requeue_stale_tasks", stdout=out)
    assert "Requeued 1 abandoned job." in out.getvalue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    photo.refresh_from_db()
    assert photo.status == Status.READY


def test_an_unexpected_error_marks_the_photo_failed_instead_of_leaving_it_processing(
    alice, monkeypatch
):
    def bug(photo):
        raise KeyError("a bug in the rendering code")

    monkeypatch.setattr(renditions, "render", bug)
    photo = upload(alice)
    photo.refresh_from_db()
    assert photo.status == Status.FAILED
    assert photo.failure_reason == tasks.UNEXPECTED
