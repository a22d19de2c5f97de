"""Photos stored in a real SeaweedFS: public sizes at plain URLs, private ones signed only."""

import urllib.error
import urllib.request

import pytest
import urllib3
from django.test import TestCase
from django.test.utils import override_settings

from photos import services
from photos.models import Photo
from tests.conftest import s3_storages
from tests.factories import jpeg_bytes, upload

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def s3(seaweedfs):
    with override_settings(STORAGES=s3_storages(seaweedfs)):
        yield seaweedfs


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def objects(s3, bucket: str, sha: str) -> list[str]:
    listing = s3.client().list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in listing.get("Contents", []) if sha in o["Key"]]


def test_public_photo_pages_point_at_the_public_bucket(s3, client, alice):
    photo = upload(alice, jpeg_bytes((1700, 1000), color=(1, 99, 7)))
    page = client.get(photo.get_absolute_url()).content.decode()
    key = photo.renditions.get(name="large", format="jpg").key
    large = f"{s3.endpoint}/brouette-test-public/{key}"
    assert large in page
    assert status_of(large) == 200
    assert "/media/" not in page


def test_private_photos_get_short_lived_signed_urls_and_no_public_copy(s3, client, alice):
    photo = upload(alice, jpeg_bytes(color=(3, 4, 5)), visibility="private")
    assert objects(s3, "brouette-test-public", photo.sha256) == []
    client.force_login(alice)
    body = client.get(f"/api/v1/photos/{photo.pk}/").json()
    small = body["renditions"]["small"]
    assert "X-Amz-Signature" in small and status_of(small) == 200
    plain = small.split("?")[0]
    assert status_of(plain) == 403


def test_originals_are_only_reachable_through_the_download_endpoint(s3, api, alice):
    data = jpeg_bytes(color=(7, 7, 7))
    photo = upload(alice, data)
    plain = f"{s3.endpoint}/brouette-test/originals/{photo.original_key}"
    assert status_of(plain) == 403
    response = api.get(f"/api/v1/photos/{photo.pk}/download/")
    assert response.status_code == 302
    assert "X-Amz-Signature" in response["Location"]
    stamped = urllib.request.urlopen(response["Location"]).read()
    assert b"creativecommons.org/licenses/by/4.0/" in stamped


def test_deleting_a_photo_removes_its_blobs_from_seaweedfs(s3, alice):
    photo = upload(alice, jpeg_bytes((1000, 900), color=(11, 12, 13)))
    assert len(objects(s3, "brouette-test-public", photo.sha256)) == 6
    assert len(objects(s3, "brouette-test", photo.sha256)) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_delete(photo=photo)
    assert objects(s3, "brouette-test-public", photo.sha256) == []
    assert objects(s3, "brouette-test", photo.sha256) == []


def test_making_a_photo_private_removes_its_public_copies(s3, alice):
    photo = upload(alice, jpeg_bytes(color=(21, 22, 23)))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_update(photo=photo, visibility="private")
    assert objects(s3, "brouette-test-public", photo.sha256) == []
    assert len(objects(s3, "brouette-test", photo.sha256)) == 1 + 4


def browser_post(presigned: dict, data: bytes) -> int:
    """Send a file the way the upload page does: multipart POST straight to the bucket."""
    fields = {**presigned["fields"], "file": ("photo.jpg", data, "image/jpeg")}  # file last
    return urllib3.request("POST", presigned["url"], fields=fields, timeout=30).status


def test_direct_upload_goes_to_the_bucket_and_is_verified_like_any_upload(s3, api, alice):
    api.force_authenticate(alice)
    presigned = api.post("/api/v1/photos/uploads/").json()
    data = jpeg_bytes((900, 700), color=(40, 50, 60))
    assert browser_post(presigned, data) in (200, 201, 204)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api.post(
            "/api/v1/photos/uploads/finish/",
            {"token": presigned["token"], "title": "Direct", "original_name": "d.jpg"},
            format="json",
        )
    assert response.status_code == 201, response.content
    photo = Photo.objects.get(pk=response.json()["id"])
    assert photo.title == "Direct" and photo.status == "ready"
    staged = [k for k in _all_keys(s3, "brouette-test") if "/uploads/" in k]
    assert staged == []


def _all_keys(s3, bucket):
    return [o["Key"] for o in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_a_direct_upload_that_is_not_an_image_is_refused_and_removed(s3, api, alice):
    api.force_authenticate(alice)
    presigned = api.post("/api/v1/photos/uploads/").json()
    browser_post(presigned, b"<html><script>alert(1)</script></html>")
    response = api.post(
        "/api/v1/photos/uploads/finish/", {"token": presigned["token"]}, format="json"
    )
    assert response.status_code == 415
    assert not [k for k in _all_keys(s3, "brouette-test") if "/uploads/" in k]
    assert Photo.objects.count() == 0


def test_direct_uploads_over_the_size_limit_are_refused_by_the_bucket(s3, api, alice):
    api.force_authenticate(alice)
    with override_settings(BROUETTE_MAX_UPLOAD_BYTES=2000):
        presigned = api.post("/api/v1/photos/uploads/").json()
    assert browser_post(presigned, jpeg_bytes((800, 800))) in (400, 403)


def test_a_forged_upload_token_is_refused(s3, api, alice, bob):
    api.force_authenticate(alice)
    presigned = api.post("/api/v1/photos/uploads/").json()
    api.force_authenticate(bob)
    response = api.post(
        "/api/v1/photos/uploads/finish/", {"token": presigned["token"]}, format="json"
    )
    assert response.status_code == 400
    assert "someone else" in response.json()["error"]["message"]
