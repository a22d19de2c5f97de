"""The load_demo command: demo people and credited photos, uploaded once through the service."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

import photos
from licensing import catalogue
from photos.models import Photo

DEMO = Path(photos.__file__).parent / "demo"


def demo_rows() -> list[dict[str, str]]:
    with open(DEMO / "photos.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_uploads_every_row_as_a_public_photo_with_its_true_credit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        output = load_demo()

    rows = demo_rows()
    assert f"Demo content: {len(rows)} photos added, 0 already there." in output
    assert Photo.objects.filter(visibility="public").count() == len(rows) >= 20
    flower = Photo.objects.get(original_name="orange-dahlia.jpg")
    assert (flower.creator_name, flower.license) == ("vultilion", "CC-BY-2.0")
    assert flower.source_url == "https://www.flickr.com/photos/vultilion/6056698931/"
    assert flower.owner.username == "ines"
    kleiber = Photo.objects.get(original_name="kleiber.jpg")
    assert (kleiber.creator_name, kleiber.license) == ("Lukas Baubkus", "CC-BY-SA-3.0")
    assert Photo.objects.get(original_name="falcon-9-dscovr.jpg").license == "CC-PDM-1.0"
    lake = Photo.objects.get(title="Lake Sherburne")
    assert "glacier national park" in set(lake.tags.names())


@pytest.mark.django_db
def test_every_demo_photo_gets_its_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    statuses = dict(Photo.objects.values_list("original_name", "status"))
    assert statuses and set(statuses.values()) == {"ready"}, statuses
    assert all(photo.renditions.exists() for photo in Photo.objects.all())


@pytest.mark.django_db
def test_load_demo_creates_the_demo_people_and_the_known_login():
    load_demo()

    users = get_user_model().objects.in_bulk(field_name="username")
    assert users["demo"].check_password("brouette-demo")
    assert not users["ines"].check_password("brouette-demo")
    names = {name: users[name].profile.display_name for name in ("demo", "ines", "tomas")}
    assert names == {"demo": "Demo Photographer", "ines": "Inès Moreau", "tomas": "Tomás Ruiz"}
    assert {row["owner"] for row in demo_rows()} == {"demo", "ines", "tomas"}


@pytest.mark.django_db
def test_running_load_demo_twice_adds_nothing():
    load_demo()
    before = Photo.objects.count()

    output = load_demo()

    assert Photo.objects.count() == before == len(demo_rows())
    assert get_user_model().objects.count() == 3
    assert f"Demo content: 0 photos added, {before} already there." in output


@pytest.mark.parametrize("row", demo_rows(), ids=lambda row: row["file"])
def test_demo_row_names_a_known_license_and_a_small_clean_file(row):
    assert catalogue.get(row["license"]).id == row["license"]
    assert row["creator"] and row["title"] and row["source_url"].startswith("http")
    with Image.open(DEMO / row["file"]) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 1600
        assert not image.getexif() and "icc_profile" not in image.info


def test_demo_folder_stays_small_and_carries_its_license_notices():
    total = sum(path.stat().st_size for path in DEMO.glob("*.jpg"))
    assert total < 6_000_000
    assert {row["file"] for row in demo_rows()} == {path.name for path in DEMO.glob("*.jpg")}
    assert (DEMO / "README.md").is_file() and any((DEMO / "licenses").iterdir())
