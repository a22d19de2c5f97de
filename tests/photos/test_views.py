"""Photo pages: upload, photo page, photostream, edit, delete, favourite, comment."""

import pytest
from django.test import TestCase

from photos.models import Photo
from tests.factories import jpeg_bytes, upload, uploaded

pytestmark = pytest.mark.django_db

BATCH = {
    "title": "",
    "description": "",
    "tags": "sea",
    "license": "CC-BY-4.0",
    "visibility": "public",
}


def post_upload(client, *files, json=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/upload/", {**BATCH, "file": list(files)}, **headers)


def test_the_upload_page_offers_current_licenses_and_the_owners_default(client, alice):
    alice.profile.default_license = "CC0-1.0"
    alice.profile.save()
    client.force_login(alice)
    page = client.get("/upload/").content.decode()
    assert '<option value="CC0-1.0" selected>' in page
    assert "CC-BY-2.0" not in page
    assert "multiple" in page and "upload.js" in page


def test_uploading_one_file_from_the_page_answers_json_for_the_progress_list(client, alice):
    client.force_login(alice)
    response = post_upload(client, uploaded(jpeg_bytes(), "beach.jpg"))
    assert response.status_code == 201
    body = response.json()
    assert body["ok"] is True and body["name"] == "beach.jpg"
    assert body["url"] == Photo.objects.get().get_absolute_url()


def test_a_refused_file_answers_its_reason_without_losing_anything(client, alice):
    client.force_login(alice)
    post_upload(client, uploaded(jpeg_bytes(), "good.jpg"))
    response = post_upload(client, uploaded(b"not an image at all" * 10, "bad.jpg"))
    assert response.status_code == 415
    assert response.json()["ok"] is False
    assert "not" in response.json()["message"].lower()
    assert Photo.objects.count() == 1


def test_a_duplicate_from_the_page_is_a_notice_pointing_at_the_existing_photo(client, alice):
    client.force_login(alice)
    post_upload(client, uploaded(jpeg_bytes(), "a.jpg"))
    body = post_upload(client, uploaded(jpeg_bytes(), "b.jpg")).json()
    assert body["ok"] is True and "already uploaded" in body["message"]
    assert Photo.objects.count() == 1


def test_without_javascript_many_files_upload_in_one_post(client, alice):
    client.force_login(alice)
    files = [uploaded(jpeg_bytes(color=(i * 40, 10, 10)), f"{i}.jpg") for i in range(3)]
    response = post_upload(client, *files, json=False)
    assert response.status_code == 302
    assert Photo.objects.filter(owner=alice).count() == 3


def test_upload_needs_a_login(client):
    assert client.get("/upload/").status_code == 302


def test_the_photo_page_shows_the_image_credit_details_and_tags(client, alice):
    photo = upload(alice, jpeg_bytes((1800, 1200)), title="Harbour at dusk", tags="boats")
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "Harbour at dusk" in page and "Alice Liddell" in page
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "boats" in page and "added by alice" in page
    assert "1800 × 1200" in page
    assert "/large.jpg" in page or "large.jpg" in page


def test_a_private_photo_page_is_404_to_others_and_shown_to_its_owner(client, alice, bob):
    photo = upload(alice, visibility="private")
    assert client.get(photo.get_absolute_url()).status_code == 404
    client.force_login(bob)
    assert client.get(photo.get_absolute_url()).status_code == 404
    client.force_login(alice)
    assert client.get(photo.get_absolute_url()).status_code == 200


def test_the_photostream_lists_public_photos_and_the_owner_sees_all(client, alice):
    upload(alice, jpeg_bytes(color=(1, 2, 3)), title="Open")
    upload(alice, jpeg_bytes(color=(9, 9, 9)), title="Hidden", visibility="private")
    upload(alice, jpeg_bytes(color=(5, 5, 5)), title="Link only", visibility="unlisted")
    page = client.get("/people/alice/").content.decode()
    assert "Open" in page and "Hidden" not in page and "Link only" not in page
    client.force_login(alice)
    page = client.get("/people/alice/").content.decode()
    assert "Hidden" in page and "Link only" in page


def test_the_home_page_never_lists_unlisted_or_private_photos(client, alice):
    upload(alice, jpeg_bytes(color=(9, 9, 9)), title="Secret", visibility="private")
    upload(alice, jpeg_bytes(color=(5, 5, 5)), title="Link only", visibility="unlisted")
    page = client.get("/").content.decode()
    assert "Secret" not in page and "Link only" not in page


def test_private_renditions_on_local_disk_are_served_only_to_the_owner(client, alice, bob):
    photo = upload(alice, visibility="private")
    url = f"/photos/{photo.pk}/r/small.jpg"
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code in (200, 302)


def test_editing_changes_the_photo_and_refuses_strangers(client, alice, bob):
    photo = upload(alice)
    client.force_login(bob)
    assert client.get(f"/photos/{photo.pk}/edit/").status_code == 403
    client.force_login(alice)
    form = {
        "title": "Renamed", "description": "", "license": "CC-BY-SA-4.0", "visibility": "public",
        "creator_name": "", "creator_url": "", "source_url": "", "comment_policy": "signed-in",
        "tagging": "signed-in", "tag_review": "on",
        "allow_original_download": "on", "tags": 'sea "north sea"', "confirm": "yes",
    }  # fmt: skip
    client.post(f"/photos/{photo.pk}/edit/", form)
    photo.refresh_from_db()
    assert photo.title == "Renamed" and photo.license == "CC-BY-SA-4.0"
    assert set(photo.tags.names()) == {"sea", "north sea"}


def test_deleting_from_the_page_asks_first_then_removes(client, alice):
    photo = upload(alice)
    client.force_login(alice)
    assert "Delete" in client.get(f"/photos/{photo.pk}/delete/").content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/photos/{photo.pk}/delete/")
    assert not Photo.objects.exists()


def test_favourite_button_toggles(client, alice, bob):
    photo = upload(alice)
    client.force_login(bob)
    client.post(f"/photos/{photo.pk}/favorite/")
    assert photo.favorites.count() == 1
    client.post(f"/photos/{photo.pk}/favorite/")
    assert photo.favorites.count() == 0


def test_comments_are_escaped_on_the_page(client, alice, bob):
    photo = upload(alice)
    client.force_login(bob)
    client.post(f"/photos/{photo.pk}/comments/", {"body": "<script>alert(1)</script>"})
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_failed_photo_shows_the_reason_and_a_retry_button_to_its_owner(client, alice):
    photo = upload(alice)
    photo.renditions.all().delete()
    Photo.objects.filter(pk=photo.pk).update(status="failed", failure_reason="store down")
    client.force_login(alice)
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "store down" in page and "Retry" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/photos/{photo.pk}/retry/")
    photo.refresh_from_db()
    assert photo.status == "ready"


def test_a_photo_by_someone_else_credits_its_creator_not_the_uploader(client, alice):
    photo = upload(
        alice,
        title="Dahlia",
        license="CC-BY-2.0",
        creator_name="vultilion",
        creator_url="https://www.flickr.com/people/vultilion/",
        source_url="https://www.flickr.com/photos/vultilion/",
    )
    page = client.get(photo.get_absolute_url()).content.decode()
    assert (
        'by <a href="https://www.flickr.com/people/vultilion/" rel="nofollow">vultilion</a>' in page
    )
    assert "uploaded by" in page
    credit = page.split('id="credit-text"')[1].split("</textarea>")[0]
    assert "vultilion" in credit and "CC BY 2.0" in credit and "Alice" not in credit


def test_the_owner_sees_contradictory_claims_in_the_file_as_a_warning(client, alice):
    from pathlib import Path

    data = (Path(__file__).parent.parent / "data" / "xmp_conflicting_license.jpg").read_bytes()
    photo = upload(alice, data, "conflict.jpg")
    client.force_login(alice)
    page = client.get(photo.get_absolute_url()).content.decode()
    assert "contradicts itself" in page and "CC BY-NC 4.0" in page
    client.logout()
    assert "contradicts itself" not in client.get(photo.get_absolute_url()).content.decode()
