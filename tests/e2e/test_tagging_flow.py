"""Someone tags another person's photo with autocomplete; the owner accepts it."""

import pytest
from playwright.sync_api import expect

from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Account menu")).to_be_visible()


def log_out(page) -> None:
    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Log out").click()


def test_suggesting_a_tag_with_autocomplete_and_the_owner_accepting_it(
    page, alice, bob, output_dir
):
    upload(bob, jpeg_bytes(color=(20, 90, 160)), tags='lighthouse "Pointe du Raz"')
    photo = upload(alice, jpeg_bytes((1200, 800), color=(160, 90, 20)), title="Cliffs")
    log_in(page, "bob")
    page.goto(photo.get_absolute_url())
    field = page.locator("#tag-input")
    field.fill("light")
    expect(page.locator("#tag-options option[value=lighthouse]")).to_have_count(1)
    field.fill("lighthouse")
    field.press("Enter")
    expect(page.locator("#tag-status")).to_contain_text("Suggested to the owner: lighthouse")
    page.screenshot(path=output_dir / "tag-suggested.png", full_page=True)
    log_out(page)

    log_in(page, "alice")
    page.goto(photo.get_absolute_url())
    queue = page.locator("#suggestion-list li")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("by bob")
    queue.first.get_by_role("button", name="Accept").click()
    expect(page.locator("#tag-list")).to_contain_text("lighthouse")
    expect(page.locator("#suggestions")).to_be_hidden()
    page.screenshot(path=output_dir / "tag-accepted.png", full_page=True)
    page.reload()
    expect(page.locator("#tag-list a[title^='added by bob']")).to_have_text("lighthouse")


def test_the_owner_adds_and_removes_a_tag_without_reloading(page, alice):
    photo = upload(alice, jpeg_bytes(color=(10, 120, 60)), tags="forest")
    log_in(page, "alice")
    page.goto(photo.get_absolute_url())
    page.locator("#tag-input").fill("moss, fern")
    page.locator("#tag-input").press("Enter")
    expect(page.locator("#tag-list li")).to_have_count(3)
    page.get_by_role("button", name="Remove tag moss").click()
    expect(page.locator("#tag-list li")).to_have_count(2)
    assert set(photo.tagged.values_list("tag__name", flat=True)) == {"forest", "fern"}
