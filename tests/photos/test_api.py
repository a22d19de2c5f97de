"""The photo endpoints keep the contract in API.md."""

import pytest

from photos.models import Photo
from tests.factories import jpeg_bytes, upload, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_alice(api, alice):
    api.force_authenticate(alice)
    return api


def post_photo(client, data=None, name="photo.jpg", **fields):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/api/v1/photos/",
            {
                "file": uploaded(data if data is not None else jpeg_bytes((1000, 700)), name),
                **fields,
            },
            format="multipart",
        )


def test_uploading_returns_201_and_the_photo_in_the_contracts_shape(as_alice):
    response = post_photo(
        as_alice, title="Harbour", tags='boats "north sea"', license="CC-BY-SA-4.0"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Harbour"
    assert body["owner"]["username"] == "alice"
    assert body["owner"]["display_name"] == "Alice Liddell"
    assert body["license"]["id"] == "CC-BY-SA-4.0"
    assert body["license"]["allows_modification"] is True
    assert {t["name"] for t in body["tags"]} == {"boats", "north sea"}
    assert body["tags"][0]["added_by"] == "alice"
    assert (body["width"], body["height"], body["format"]) == (1000, 700, "JPEG")
    assert body["visibility"] == "public"
    assert body["url"].endswith(f"/photos/{body['id']}/")
    assert "Alice Liddell" in body["attribution"]["text"]
    assert "CC BY-SA 4.0" in body["attribution"]["html"]
    assert body["download_url"].endswith(f"/api/v1/photos/{body['id']}/download/")


def test_the_photo_is_ready_with_its_renditions(as_alice):
    photo_id = post_photo(as_alice).json()["id"]
    body = as_alice.get(f"/api/v1/photos/{photo_id}/").json()
    assert body["status"] == "ready"
    assert set(body["renditions"]) == {"square", "small", "medium"}


def test_uploading_the_same_bytes_twice_answers_409_with_the_existing_photo(as_alice):
    first = post_photo(as_alice).json()
    response = post_photo(as_alice)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"
    assert response.json()["error"]["photo"]["id"] == first["id"]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" * 5, 415, "unsupported_type"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            415,
            "unsupported_type",
        ),
        (b"PK\x03\x04" + b"\0" * 100, 415, "unsupported_type"),
        (b"GIF89a" + b"\0" * 40, 400, "corrupt"),
    ],
)
def test_files_that_are_not_photos_are_refused_with_a_sentence(as_alice, data, status, code):
    response = post_photo(as_alice, data=data, name="holiday.jpg")
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 20
    assert Photo.objects.count() == 0


def test_an_empty_file_is_a_400_saying_so(as_alice):
    response = post_photo(as_alice, data=b"")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "empty"
    assert "empty" in response.json()["error"]["message"]


def test_an_unknown_license_is_a_400_naming_the_field(as_alice):
    response = post_photo(as_alice, license="CC-BY-9.0")
    assert response.status_code == 400
    assert "license" in response.json()["error"]["fields"]


def test_a_missing_file_is_a_400_naming_the_field(as_alice):
    response = as_alice.post("/api/v1/photos/", {"title": "x"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_owner_can_patch_and_others_get_403(as_alice, api, bob, alice):
    photo = upload(alice)
    response = as_alice.patch(
        f"/api/v1/photos/{photo.pk}/", {"title": "New", "license": "CC0-1.0"}, format="json"
    )
    assert response.json()["title"] == "New" and response.json()["license"]["id"] == "CC0-1.0"
    api.force_authenticate(bob)
    response = api.patch(f"/api/v1/photos/{photo.pk}/", {"title": "Mine"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_private_photos_are_404_to_others_and_absent_from_lists(api, alice, bob):
    photo = upload(alice, visibility="private")
    api.force_authenticate(bob)
    assert api.get(f"/api/v1/photos/{photo.pk}/").status_code == 404
    assert api.get("/api/v1/photos/").json()["count"] == 0
    api.force_authenticate(alice)
    assert api.get("/api/v1/photos/").json()["count"] == 1


def test_unlisted_photos_open_by_id_but_are_never_listed(api, alice):
    photo = upload(alice, visibility="unlisted")
    assert api.get(f"/api/v1/photos/{photo.pk}/").status_code == 200
    assert api.get("/api/v1/photos/").json()["count"] == 0
    assert api.get("/api/v1/photos/?owner=alice").json()["count"] == 0


def test_location_is_only_shown_to_others_when_the_owner_turns_it_on(api, alice):
    photo = upload(alice)
    photo.gps_lat, photo.gps_lon = 48.85, 2.29
    photo.save()
    assert "gps_lat" not in api.get(f"/api/v1/photos/{photo.pk}/").json()
    photo.location_visible = True
    photo.save()
    assert api.get(f"/api/v1/photos/{photo.pk}/").json()["gps_lat"] == 48.85


def test_deleting_answers_204_and_the_photo_is_gone(as_alice, alice):
    photo = upload(alice)
    assert as_alice.delete(f"/api/v1/photos/{photo.pk}/").status_code == 204
    assert as_alice.get(f"/api/v1/photos/{photo.pk}/").status_code == 404


def fetch_download(response) -> bytes:
    """Return the bytes of a download: followed to S3, or streamed by Django."""
    if response.status_code == 302:
        import urllib.request

        return urllib.request.urlopen(response["Location"]).read()
    return b"".join(response.streaming_content)


def test_the_original_download_has_the_same_pixels_and_carries_its_license(api, alice):
    import io

    from PIL import Image

    data = jpeg_bytes((900, 600))
    photo = upload(alice, data, license="CC-BY-SA-4.0")
    got = fetch_download(api.get(f"/api/v1/photos/{photo.pk}/download/"))
    assert Image.open(io.BytesIO(got)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    assert b"creativecommons.org/licenses/by-sa/4.0/" in got
    assert b"Alice Liddell" in got


def test_full_size_is_403_when_the_owner_does_not_offer_it(api, alice):
    photo = upload(alice, jpeg_bytes((2400, 1600)))
    photo.allow_original_download = False
    photo.save()
    for size in ("original", "xlarge"):
        response = api.get(f"/api/v1/photos/{photo.pk}/download/?size={size}")
        assert response.status_code == 403
        assert "large are available" in response.json()["error"]["message"]
    assert api.get(f"/api/v1/photos/{photo.pk}/download/?size=large").status_code == 302
    api.force_authenticate(alice)
    assert api.get(f"/api/v1/photos/{photo.pk}/download/").status_code in (200, 302)


def test_all_rights_reserved_photos_offer_no_full_size_download(api, alice):
    photo = upload(alice, license="all-rights-reserved")
    response = api.get(f"/api/v1/photos/{photo.pk}/download/")
    assert response.status_code == 403
    assert "All rights are reserved" in response.json()["error"]["message"]


def test_a_new_license_reaches_new_downloads(api, alice):
    from django.test import TestCase

    from photos import services

    photo = upload(alice, license="CC-BY-4.0")
    first = fetch_download(api.get(f"/api/v1/photos/{photo.pk}/download/"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_update(photo=photo, license="CC0-1.0")
    second = fetch_download(api.get(f"/api/v1/photos/{photo.pk}/download/"))
    assert b"licenses/by/4.0/" in first and b"publicdomain/zero/1.0/" in second


def test_an_unknown_size_is_a_400(api, alice):
    photo = upload(alice)
    assert api.get(f"/api/v1/photos/{photo.pk}/download/?size=huge").status_code == 400


def test_attribution_in_every_format(api, alice):
    photo = upload(alice, title="Harbour", license="CC-BY-4.0")
    text = api.get(f"/api/v1/photos/{photo.pk}/attribution/?format=text")
    assert text["Content-Type"].startswith("text/plain")
    assert "Harbour" in text.content.decode() and "CC BY 4.0" in text.content.decode()
    data = api.get(f"/api/v1/photos/{photo.pk}/attribution/").json()
    assert data["license"]["id"] == "CC-BY-4.0"
    assert data["creator"]["name"] == "Alice Liddell"
    assert data["attribution_required"] is True
    markdown = api.get(f"/api/v1/photos/{photo.pk}/attribution/?format=markdown")
    assert "[Harbour](" in markdown.content.decode()
    assert api.get(f"/api/v1/photos/{photo.pk}/attribution/?format=pdf").status_code == 400


def test_favouriting_needs_a_login_and_counts(api, alice, bob):
    photo = upload(alice)
    assert api.post(f"/api/v1/photos/{photo.pk}/favorite/").status_code == 401
    api.force_authenticate(bob)
    assert api.post(f"/api/v1/photos/{photo.pk}/favorite/").status_code == 201
    assert api.get(f"/api/v1/photos/{photo.pk}/").json()["favorites"] == 1
    assert api.delete(f"/api/v1/photos/{photo.pk}/favorite/").status_code == 204
    assert api.get(f"/api/v1/photos/{photo.pk}/").json()["favorites"] == 0


def test_a_non_numeric_id_is_a_404_not_a_crash(api):
    assert api.get("/api/v1/photos/abc/").status_code == 404


def test_direct_uploads_are_presigned_in_s3_mode_and_explained_otherwise(as_alice, settings):
    response = as_alice.post("/api/v1/photos/uploads/")
    if settings.STORAGES["originals"]["BACKEND"].endswith("S3Storage"):
        body = response.json()
        assert response.status_code == 200
        assert body["fields"]["key"].startswith("originals/uploads/")
        assert body["token"]
    else:
        assert response.status_code == 409
        assert "POST /api/v1/photos/" in response.json()["error"]["message"]
