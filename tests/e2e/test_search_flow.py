"""Someone searches, ticks "Allow commercial use", and every result's badge agrees."""

import re

import pytest
from playwright.sync_api import expect

from licensing import catalogue
from tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_then_allow_commercial_use_keeps_only_commercial_licenses(page, alice, output_dir):
    for n, license_id in enumerate(["CC-BY-4.0", "CC-BY-NC-4.0", "CC0-1.0", "CC-BY-NC-ND-4.0"]):
        upload(alice, jpeg_bytes((96, 64), color=(40 * n, 90, 200 - 30 * n)),
               name=f"harbour{n}.jpg", title=f"Harbour view {n}", license=license_id)  # fmt: skip
    page.goto("/")
    page.get_by_label("Search photos").fill("harbour")
    page.get_by_label("Search photos").press("Enter")
    results = page.locator("#results li.result")
    expect(results).to_have_count(4)
    page.get_by_label("Allow commercial use").check()
    expect(page).to_have_url(re.compile(r"license_type=commercial"))
    expect(results).to_have_count(2)
    page.screenshot(path=output_dir / "search-commercial.png", full_page=True)
    commercial = {lic.name for lic in catalogue.all_licenses() if lic.allows_commercial_use}
    for i in range(results.count()):
        badge = results.nth(i).locator(".license-name").inner_text()
        assert badge in commercial, badge
    expect(page.locator("#result-count")).to_contain_text("2 photos")
