"""A person signs up, logs out and logs back in, in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_up_logging_out_and_in_again(page, output_dir):
    page.goto("/")
    page.screenshot(path=output_dir / "home-anonymous.png", full_page=True)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Email").fill("erin@example.org")
    page.locator("#id_password1").fill("a long and unusual passphrase")
    page.locator("#id_password2").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome to Brouette, erin!")).to_be_visible()
    page.screenshot(path=output_dir / "home-signed-in.png", full_page=True)

    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Account menu")).to_contain_text("erin")
