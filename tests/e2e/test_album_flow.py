"""Two people curate one community album: bob joins and contributes, alice approves,
reorders by drag and drop, and exports it."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from albums import contributions, services
from albums.models import AlbumItem
from tests.albums.conftest import photo_of

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


def grid_order(page) -> list[int]:
    return [int(x) for x in page.locator("#album-grid > li").evaluate_all(
        "items => items.map(li => li.dataset.photo)"
    )]  # fmt: skip


def test_two_people_curate_one_album(page, alice, bob, output_dir):
    album = services.album_create(
        owner=alice, title="Harbours of the North", join_policy="open", moderated=True,
        license_types=["commercial"],
    )  # fmt: skip
    firsts = [photo_of(alice, title=t, size=(900, 600)) for t in ("Pier", "Nets")]
    for photo in firsts:
        contributions.album_add_photo(album=album, actor=alice, photo=photo)
    quay = photo_of(bob, title="Quay at dawn", size=(900, 600), license="CC-BY-SA-4.0")

    # Bob joins the open album and contributes his photo from its page.
    log_in(page, "bob")
    page.goto(album.get_absolute_url())
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".messages")).to_contain_text("You are a member")
    page.goto(quay.get_absolute_url())
    page.get_by_label("Add to album").select_option(str(album.pk))
    page.get_by_role("button", name="Add to album").click()
    expect(page.locator(".messages")).to_contain_text("Waiting for a curator")
    page.goto(album.get_absolute_url())
    expect(page.locator(".waiting-item")).to_contain_text("Waiting for a curator.")
    page.screenshot(path=output_dir / "album-waiting.png", full_page=True)
    log_out(page)

    # Alice sees the notification, approves in the moderation queue.
    log_in(page, "alice")
    expect(page.locator(".notifications-link")).to_contain_text("1")
    page.goto(album.get_absolute_url())
    page.get_by_role("link", name="Moderation").click()
    expect(page.locator(".pending-item")).to_contain_text("Quay at dawn")
    page.screenshot(path=output_dir / "album-moderation.png", full_page=True)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Approved.")
    page.goto(album.get_absolute_url())
    expect(page.locator("#album-grid > li")).to_have_count(3)
    expect(page.locator("#license-summary")).to_contain_text(
        "3 photos: 2 CC BY 4.0, 1 CC BY-SA 4.0; all allow commercial use; 1 requires share-alike"
    )
    assert grid_order(page) == [firsts[0].pk, firsts[1].pk, quay.pk]

    # She drags Bob's photo to the front.
    last = page.locator(f"#album-grid > li[data-photo='{quay.pk}']")
    first = page.locator(f"#album-grid > li[data-photo='{firsts[0].pk}']")
    last.drag_to(first)
    expect(page.locator("#reorder-status")).to_have_text("The new order is saved.")
    assert grid_order(page) == [quay.pk, firsts[0].pk, firsts[1].pk]
    saved = AlbumItem.objects.filter(album=album, status="approved").order_by("position")
    assert [item.photo_id for item in saved] == [quay.pk, firsts[0].pk, firsts[1].pk]
    page.reload()
    assert grid_order(page) == [quay.pk, firsts[0].pk, firsts[1].pk]

    # The keyboard alternative: move Nets up one place.
    page.get_by_role("button", name="Move “Nets” earlier").click()
    assert grid_order(page) == [quay.pk, firsts[1].pk, firsts[0].pk]
    page.screenshot(path=output_dir / "album-page.png", full_page=True)

    # And she exports it.
    page.locator("#export-size").select_option("medium")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download ZIP").click()
    download = info.value
    assert download.suggested_filename == "harbours-of-the-north-medium.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    assert archive.namelist() == [
        f"001-quay-at-dawn-{quay.pk}.jpg",
        f"002-nets-{firsts[1].pk}.jpg",
        f"003-pier-{firsts[0].pk}.jpg",
        "CREDITS.txt",
        "credits.html",
    ]
    assert "by Bob Builder is licensed under CC BY-SA 4.0" in archive.read("CREDITS.txt").decode()

    page.get_by_role("link", name="Credits").click()
    expect(page.locator(".credits-list li")).to_have_count(3)
    page.screenshot(path=output_dir / "album-credits.png", full_page=True)
    page.get_by_role("link", name="← Harbours of the North").click()
    page.get_by_role("link", name="Activity").click()
    expect(page.locator(".log")).to_contain_text("approved “Quay at dawn”")
    page.screenshot(path=output_dir / "album-activity.png", full_page=True)
