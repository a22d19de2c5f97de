"""photo_upload and friends: one service behind every upload route."""

import pytest
from django.test import override_settings

from photos import services, storage
from photos.ingest import PhotoRejected
from photos.models import Photo, Status
from tests.factories import jpeg_bytes, upload, uploaded

pytestmark = pytest.mark.django_db


def test_uploading_keeps_the_original_byte_for_byte_under_its_digest(alice):
    data = jpeg_bytes((1200, 800))
    photo = upload(alice, data, "harbour.jpg")
    assert photo.original_key == f"{photo.sha256[:2]}/{photo.sha256}.jpeg"
    with storage.open_original(photo.original_key) as fh:
        assert fh.read() == data


def test_upload_makes_the_rendition_ladder_and_becomes_ready(alice):
    photo = upload(alice, jpeg_bytes((2400, 1600)))
    assert photo.status == Status.READY
    sizes = {(r.name, r.format): (r.width, r.height) for r in photo.renditions.all()}
    assert sizes[("square", "jpg")] == (150, 150)
    assert sizes[("small", "webp")] == (320, 213)
    assert sizes[("large", "jpg")] == (1600, 1067)
    assert sizes[("xlarge", "jpg")] == (2048, 1365)
    assert photo.placeholder.startswith("#") and len(photo.placeholder) == 7


def test_small_originals_are_never_upscaled(alice):
    photo = upload(alice, jpeg_bytes((500, 400)))
    names = set(photo.renditions.values_list("name", flat=True))
    assert names == {"square", "small"}


def test_title_defaults_to_the_file_name_and_license_to_the_owners_default(alice):
    alice.profile.default_license = "CC-BY-SA-4.0"
    alice.profile.save()
    photo = upload(alice, name="IMG_0042.jpg")
    assert photo.title == "IMG 0042"
    assert photo.license == "CC-BY-SA-4.0"


def test_tags_record_who_added_them(alice):
    photo = upload(alice, tags='harbour "tour eiffel" night')
    items = {item.tag.name: item for item in photo.tagged.all()}
    assert set(items) == {"harbour", "tour eiffel", "night"}
    assert items["harbour"].added_by == alice and items["harbour"].source == "owner"


def test_the_same_person_uploading_the_same_bytes_gets_the_existing_photo(alice):
    first = upload(alice, jpeg_bytes())
    with pytest.raises(services.DuplicatePhoto) as caught:
        upload(alice, jpeg_bytes())
    assert caught.value.photo == first
    assert Photo.objects.count() == 1


def test_two_people_may_upload_the_same_bytes_and_share_the_blob(alice, bob):
    a = upload(alice, jpeg_bytes())
    b = upload(bob, jpeg_bytes())
    assert a.original_key == b.original_key and a.pk != b.pk


def test_an_unknown_license_is_refused(alice):
    with pytest.raises(Exception, match="license"):
        upload(alice, license="CC-BY-5.0")
    assert Photo.objects.count() == 0


@override_settings(BROUETTE_MAX_UPLOAD_BYTES=1000)
def test_files_over_the_size_limit_are_refused_with_413(alice):
    with pytest.raises(PhotoRejected) as caught:
        upload(alice, jpeg_bytes((800, 600)))
    assert caught.value.status == 413
    assert "limit is 1000" in caught.value.message


@override_settings(BROUETTE_MAX_PIXELS=10_000)
def test_images_over_the_pixel_limit_are_refused_with_400(alice):
    with pytest.raises(PhotoRejected) as caught:
        upload(alice, jpeg_bytes((200, 100)))
    assert caught.value.status == 400 and caught.value.code == "too_many_pixels"


def test_a_text_file_named_jpg_is_refused_with_415(alice):
    with pytest.raises(PhotoRejected) as caught:
        upload(alice, b"hello, this is not a photo\n" * 20, "holiday.jpg")
    assert caught.value.status == 415
    assert Photo.objects.count() == 0


def test_a_truncated_jpeg_is_refused_after_decoding(alice):
    data = jpeg_bytes((800, 600))
    with pytest.raises(PhotoRejected) as caught:
        upload(alice, data[: len(data) // 2])
    assert caught.value.status == 400 and caught.value.code == "corrupt"


def test_deleting_a_photo_removes_its_blobs_after_commit(alice):
    photo = upload(alice, jpeg_bytes((1000, 800)))
    keys = [r.key for r in photo.renditions.all()]
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_delete(photo=photo)
    assert not storage.original_exists(photo.original_key)
    assert not any(storage.rendition_exists(k, public=True) for k in keys)


def test_deleting_one_of_two_identical_uploads_keeps_the_shared_blobs(alice, bob):
    a = upload(alice, jpeg_bytes())
    b = upload(bob, jpeg_bytes())
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_delete(photo=a)
    assert storage.original_exists(b.original_key)
    assert all(storage.rendition_exists(r.key, public=True) for r in b.renditions.all())


def test_making_a_photo_private_moves_its_renditions_out_of_the_public_store(alice):
    photo = upload(alice, jpeg_bytes())
    keys = [r.key for r in photo.renditions.all()]
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_update(photo=photo, visibility="private")
    assert not any(storage.rendition_exists(k, public=True) for k in keys)
    assert all(storage.rendition_exists(k, public=False) for k in keys)


def test_a_rollback_after_the_blob_is_written_leaves_no_photo_row(alice, monkeypatch):
    def broken_save(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Photo, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.photo_upload(owner=alice, file=uploaded(jpeg_bytes()), original_name="x.jpg")
    monkeypatch.undo()
    assert Photo.objects.count() == 0


def test_comments_follow_the_owners_policy(alice, bob):
    photo = upload(alice)
    services.photo_comment(photo=photo, author=bob, body="Lovely light")
    photo.comment_policy = "nobody"
    photo.save()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.photo_comment(photo=photo, author=bob, body="Again")
    assert photo.comments.count() == 1


def test_favouriting_twice_counts_once(alice, bob):
    photo = upload(alice)
    assert services.photo_favorite(photo=photo, user=bob) is True
    assert services.photo_favorite(photo=photo, user=bob) is False
    assert photo.favorites.count() == 1


def test_license_claims_in_the_file_are_offered_never_applied(alice):
    from tests.photos.imaging_helpers import corpus_path

    data = corpus_path("C/derived_xmp_cc0_license.jpg").read_bytes()
    photo = upload(alice, data, "xmp.jpg", license="CC-BY-4.0")
    assert photo.license == "CC-BY-4.0"
    assert "publicdomain/zero/1.0" in photo.suggestions["license_url"]


def test_contradictory_license_claims_are_a_warning_never_applied(alice):
    from pathlib import Path

    data = (Path(__file__).parent.parent / "data" / "xmp_conflicting_license.jpg").read_bytes()
    photo = upload(alice, data, "conflict.jpg", license="CC-BY-4.0")
    assert photo.license == "CC-BY-4.0"
    assert photo.suggestions["conflicts"] == [
        "the file claims CC BY-NC 4.0",
        "the file claims CC0 1.0",
    ]
    assert photo.suggestions["creator"] == "Test Crafter"
