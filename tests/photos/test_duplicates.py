"""Near-duplicates across people: resized, recompressed and cropped copies are flagged."""

import io
from pathlib import Path

import pytest
from PIL import Image

from photos import similarity
from photos.models import NearDuplicate
from tests.factories import upload

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "photos" / "demo"
ORIGINAL = DEMO / "lake-sherburne.jpg"  # CC0, Budgie backgrounds (see photos/demo/README.md)
OTHER = DEMO / "canyon-wren.jpg"


def variant(path: Path, *, scale=1.0, quality=90, crop=0.0) -> bytes:
    """Return a changed copy of a photo: resized, recompressed and/or cropped at the edges."""
    with Image.open(path) as image:
        image = image.convert("RGB")
        w, h = image.size
        dx, dy = int(w * crop), int(h * crop)
        image = image.crop((dx, dy, w - dx, h - dy))
        if scale != 1.0:
            image = image.resize((int(image.width * scale), int(image.height * scale)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        return buffer.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        {"scale": 0.5},
        {"quality": 35},
        {"crop": 0.04},
        {"scale": 0.7, "quality": 60, "crop": 0.02},
    ],
    ids=["resized", "recompressed", "cropped", "all-three"],
)
def test_a_changed_copy_of_someone_elses_photo_is_flagged(alice, bob, client, change):
    first = upload(alice, ORIGINAL.read_bytes(), "lake.jpg", license="CC-BY-NC-4.0")
    copy = upload(bob, variant(ORIGINAL, **change), "mine.jpg", license="CC0-1.0")
    match = NearDuplicate.objects.get(photo=copy)
    assert match.earlier == first and match.distance <= similarity.NEAR
    client.force_login(bob)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "This looks like a photo first published by Alice Liddell" in page
    assert "CC BY-NC 4.0" in page


def test_a_different_photo_is_not_flagged(alice, bob):
    upload(alice, ORIGINAL.read_bytes(), "lake.jpg")
    other = upload(bob, OTHER.read_bytes(), "wren.jpg")
    assert not NearDuplicate.objects.filter(photo=other).exists()


def test_ones_own_copies_are_not_flagged(alice):
    upload(alice, ORIGINAL.read_bytes(), "lake.jpg")
    again = upload(alice, variant(ORIGINAL, scale=0.5), "small-lake.jpg")
    assert not NearDuplicate.objects.filter(photo=again).exists()


def test_others_do_not_see_the_warning_and_moderators_get_a_queue(alice, bob, carol, client):
    upload(alice, ORIGINAL.read_bytes(), "lake.jpg")
    copy = upload(bob, variant(ORIGINAL, quality=40), "mine.jpg")
    client.force_login(carol)
    assert "first published by" not in client.get(copy.get_absolute_url()).content.decode()
    assert client.get("/moderation/duplicates/").status_code == 302  # not staff
    carol.is_staff = True
    carol.save()
    queue = client.get("/moderation/duplicates/").content.decode()
    assert "mine" in queue and "lake" in queue
    match = NearDuplicate.objects.get()
    client.post(f"/moderation/duplicates/{match.pk}/reviewed/")
    assert NearDuplicate.objects.get().reviewed is True


def test_hash_distance_counts_differing_bits():
    assert similarity.distance("ffffffffffffffff", "fffffffffffffff0") == 4
    assert similarity.nearest("0000000000000000", [(1, "0000000000000003"), (2, "ffff")]) == [
        (1, 2)
    ]
