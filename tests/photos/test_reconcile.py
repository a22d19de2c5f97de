"""reconcile_storage finds what crashes leave behind, and repairs it with --fix."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.test.utils import override_settings

from photos import services, storage
from photos.models import Photo
from tests.conftest import S3_PASS, s3_storages
from tests.factories import jpeg_bytes, upload, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_store(request):
    """On the S3 pass, give each test a key prefix of its own: reconcile audits everything."""
    if not S3_PASS:
        yield
        return
    prefix = f"reconcile-{uuid.uuid4().hex}"
    with override_settings(
        STORAGES=s3_storages(request.getfixturevalue("seaweedfs"), prefix=prefix)
    ):
        yield


def reconcile(*args) -> str:
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("reconcile_storage", *args, stdout=out)
    return out.getvalue()


def test_a_clean_store_matches(alice):
    upload(alice)
    assert "Everything matches." in reconcile()


def test_a_database_failure_after_the_blob_is_written_leaves_an_orphan_that_is_found(
    alice, monkeypatch
):
    def database_down(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Photo, "save", database_down)
    with pytest.raises(RuntimeError):
        services.photo_upload(owner=alice, file=uploaded(jpeg_bytes()), original_name="x.jpg")
    monkeypatch.undo()
    assert Photo.objects.count() == 0
    report = reconcile()
    assert "Orphan originals: 1" in report
    reconcile("--fix")
    assert "Everything matches." in reconcile()


def test_missing_renditions_are_regenerated(alice):
    photo = upload(alice, jpeg_bytes((1000, 700)))
    lost = photo.renditions.get(name="medium", format="webp")
    storage.delete_renditions([lost.key], public=True)
    assert f"Photos missing renditions: [{photo.pk}]" in reconcile()
    reconcile("--fix")
    photo.refresh_from_db()
    key = photo.renditions.get(name="medium", format="webp").key
    assert storage.rendition_exists(key, public=True)
    assert "Everything matches." in reconcile()


def test_a_photo_whose_original_is_gone_is_flagged(alice):
    photo = upload(alice)
    storage.delete_original(photo.original_key)
    assert f"Photos whose original is missing: [{photo.pk}]" in reconcile()
    reconcile("--fix")
    photo.refresh_from_db()
    assert photo.status == "failed" and "missing" in photo.failure_reason


def test_deleting_a_photo_never_deletes_a_blob_another_row_shares(alice, bob):
    a = upload(alice, jpeg_bytes(color=(5, 5, 5)))
    b = upload(bob, jpeg_bytes(color=(5, 5, 5)))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_delete(photo=a)
    assert storage.original_exists(b.original_key)
    assert "Everything matches." in reconcile()
