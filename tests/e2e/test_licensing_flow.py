"""Choose a license with the chooser, copy the credit, change the license, see the history."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.conftest import IMMEDIATE_TASKS
from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_choosing_copying_and_changing_a_license(page, alice, output_dir):
    photo = upload(alice, jpeg_bytes((1400, 900)), title="Harbour", license="CC-BY-4.0")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "alice")

    page.goto(photo.get_absolute_url())
    page.get_by_role("button", name="Copy text").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('"Harbour"') and "Alice Liddell" in copied and "CC BY 4.0" in copied

    page.goto(f"/photos/{photo.pk}/edit/")
    chooser = page.locator(".chooser")
    chooser.get_by_label("Yes, as long as others share alike").check()
    chooser.get_by_label("No", exact=True).last.check()  # no commercial uses
    expect(chooser.locator(".chooser-name")).to_have_text("CC BY-NC-SA 4.0")
    expect(chooser.locator(".chooser-summary")).to_contain_text("non-commercial purposes only")
    expect(page.locator("#id_license")).to_have_value("CC-BY-NC-SA-4.0")
    page.screenshot(path=output_dir / "license-chooser.png", full_page=True)
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("Confirm the new license.")).to_be_visible()
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    history = page.locator(".history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Offered under CC BY 4.0 from")
    expect(history.first).to_contain_text("copies obtained then may still be used under it")
    expect(history.last).to_contain_text("CC BY-NC-SA 4.0")
    page.screenshot(path=output_dir / "license-history.png", full_page=True)


def test_the_chooser_offers_public_domain_and_all_rights_reserved(page, alice):
    log_in(page, "alice")
    page.goto("/upload/")
    chooser = page.locator(".chooser")
    chooser.get_by_label("Dedicate it to the public domain (CC0)").check()
    expect(page.locator("#id_license")).to_have_value("CC0-1.0")
    expect(chooser.locator(".chooser-cc")).to_be_hidden()
    chooser.get_by_label("All rights reserved").check()
    expect(page.locator("#id_license")).to_have_value("all-rights-reserved")
    expect(chooser.locator(".chooser-summary")).to_contain_text("permission")
