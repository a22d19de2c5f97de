"""Browser fixtures: Debian's Chromium driven by Playwright, never a downloaded browser."""

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (imported by browser tests)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
