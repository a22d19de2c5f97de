"""A person uploads three photos with progress bars and finds them on their photostream."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from photos.models import Photo
from tests.conftest import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db(transaction=True)
UPLOADS = Path(__file__).resolve().parent.parent / "data" / "uploads"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_uploading_three_photos_with_progress_and_seeing_them(page, alice, output_dir):
    log_in(page, "alice")
    page.get_by_role("link", name="Upload").click()
    page.get_by_label("Tags").fill('garden "summer light"')
    page.locator("#id_license").select_option("CC-BY-SA-4.0")
    files = sorted(UPLOADS.glob("*.jpg"))
    page.set_input_files("#id_file", [str(f) for f in files])
    page.get_by_role("button", name="Upload").click()
    items = page.locator(".upload-item")
    expect(items).to_have_count(3)
    expect(page.locator(".upload-item[data-result=done]")).to_have_count(3, timeout=30000)
    expect(page.locator(".upload-item progress")).to_have_count(3)
    assert all(
        v == "100"
        for v in page.locator(".upload-item progress").evaluate_all(
            "bars => bars.map(b => String(b.value))"
        )
    )
    page.screenshot(path=output_dir / "upload-done.png", full_page=True)

    page.get_by_role("link", name="See your photostream").click()
    expect(page.locator(".grid .tile img")).to_have_count(3)
    page.screenshot(path=output_dir / "photostream.png", full_page=True)
    assert Photo.objects.filter(owner=alice, license="CC-BY-SA-4.0").count() == 3
    assert set(Photo.objects.first().tags.names()) == {"garden", "summer light"}


def test_a_refused_file_shows_its_reason_beside_the_others(page, alice, tmp_path, output_dir):
    bad = tmp_path / "notes.jpg"
    bad.write_text("this is a shopping list")
    log_in(page, "alice")
    page.goto("/upload/")
    page.set_input_files("#id_file", [str(bad), str(sorted(UPLOADS.glob("*.jpg"))[0])])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".upload-item[data-result=refused]")).to_contain_text("plain text")
    expect(page.locator(".upload-item[data-result=done]")).to_have_count(1)
    page.screenshot(path=output_dir / "upload-refused.png", full_page=True)


def test_the_photo_page_of_a_demo_photo_shows_its_credit(page, output_dir):
    call_command("load_demo", verbosity=0)
    photo = Photo.objects.get(creator_name="vultilion")
    page.goto(photo.get_absolute_url())
    expect(page.locator("#credit-text")).to_contain_text("vultilion")
    page.screenshot(path=output_dir / "photo-page.png", full_page=True)
