"""The shared choices behind every surface: which rendition fits, which URL is absolute."""

from __future__ import annotations

from photos.reach import Image, absolute, fit

IMAGES = {
    name: Image(name, f"/r/{name}.jpg", width, height, 1)
    for name, width, height in (
        ("small", 320, 240),
        ("medium", 800, 600),
        ("large", 1600, 1200),
        ("xlarge", 2048, 1536),
    )
}


def test_no_bounds_means_medium():
    assert fit(IMAGES, maxwidth=None, maxheight=None).name == "medium"


def test_no_bounds_and_no_medium_means_the_largest_there_is():
    only_small = {"small": IMAGES["small"]}
    assert fit(only_small, maxwidth=None, maxheight=None).name == "small"


def test_the_largest_image_within_both_bounds_wins():
    assert fit(IMAGES, maxwidth=1700, maxheight=None).name == "large"
    assert fit(IMAGES, maxwidth=3000, maxheight=3000).name == "xlarge"
    assert fit(IMAGES, maxwidth=3000, maxheight=700).name == "medium"
    assert fit(IMAGES, maxwidth=800, maxheight=600).name == "medium"


def test_a_box_too_small_for_all_gets_the_smallest():
    assert fit(IMAGES, maxwidth=10, maxheight=None).name == "small"


def test_no_images_means_no_answer():
    assert fit({}, maxwidth=None, maxheight=None) is None


def test_absolute_keeps_absolute_urls_and_roots_paths_at_the_site(settings):
    settings.SITE_URL = "https://photos.example.org/"
    assert absolute(None, "https://cdn.example/x.jpg") == "https://cdn.example/x.jpg"
    assert absolute(None, "/photos/1/") == "https://photos.example.org/photos/1/"
