"""What other software reads about a photo: its images, absolute URLs, credit and embed code.

Shared by the oEmbed provider, the Atom feeds, the sitemaps, the embed box and the social
cards, so every surface names the same rendition and carries the same credit.

Two kinds of image URL:
- `direct`: where the file is stored now (public bucket or /media/renditions/...). Best for
  feeds and sitemaps, which are re-read and only ever list public photos.
- `stable`: the photo's own /photos/<id>/r/<size>.jpg route, which checks visibility and
  redirects to the current file. Used in anything pasted elsewhere (embed code, oEmbed,
  social cards): rendition keys change when the credit or license changes, and an unlisted
  photo's signed S3 URL expires, but the route keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from licensing import attribution as credit
from licensing.attribution import Work
from photos import renditions
from photos.attribution import absolute_url, work_of
from photos.models import Photo, Visibility

FORMAT = "jpg"
DISPLAY_SIZES = ("small", "medium", "large", "xlarge")  # the square one is a crop
EMBED_SIZES = ("small", "medium", "large")


@dataclass(frozen=True)
class Image:
    """One rendition of a photo as others see it: an absolute URL and its pixel size."""

    name: str
    url: str
    width: int
    height: int
    bytes: int
    mime_type: str = "image/jpeg"


absolute = absolute_url  # one rule for absolute URLs, shared with the credits


def is_reachable(photo: Photo) -> bool:
    """Say whether a photo may be embedded or previewed: public, or unlisted (by its URL)."""
    return photo.visibility != Visibility.PRIVATE


def images_of(photo: Photo, *, request=None, stable: bool = False) -> dict[str, Image]:
    """Return the photo's display renditions by size name, smallest first (cached per photo)."""
    cache = photo.__dict__.setdefault("_reach_images", {})
    key = (stable, request.get_host() if request is not None else "")
    if key not in cache:
        cache[key] = _images(photo, request=request, stable=stable)
    return cache[key]


def _images(photo: Photo, *, request, stable: bool) -> dict[str, Image]:
    rows = {r.name: r for r in photo.renditions.all() if r.format == FORMAT}
    direct = {} if stable else renditions.urls_for(photo, FORMAT)
    found = {}
    for name in DISPLAY_SIZES:
        row = rows.get(name)
        if row is None:
            continue
        url = direct.get(name) or reverse("rendition", args=[photo.pk, name, FORMAT])
        found[name] = Image(name, absolute(request, url), row.width, row.height, row.bytes)
    return found


def image_of(photo: Photo, name: str, *, request=None, stable: bool = False) -> Image | None:
    """Return one size, else the largest smaller one, else the smallest there is (or None)."""
    found = images_of(photo, request=request, stable=stable)
    if name in found:
        return found[name]
    smaller = [found[n] for n in DISPLAY_SIZES[: DISPLAY_SIZES.index(name)] if n in found]
    if smaller:
        return smaller[-1]
    return next(iter(found.values()), None)


def fit(images: dict[str, Image], *, maxwidth: int | None, maxheight: int | None):
    """Return the largest image within the bounds, else the smallest one (None if no image).

    Without bounds the medium size is the answer: big enough for a blog column.
    """
    if not images:
        return None
    if maxwidth is None and maxheight is None:
        return images.get("medium") or list(images.values())[-1]
    fitting = [
        image
        for image in images.values()
        if (maxwidth is None or image.width <= maxwidth)
        and (maxheight is None or image.height <= maxheight)
    ]
    return fitting[-1] if fitting else next(iter(images.values()))


def page_url(photo: Photo, request=None) -> str:
    """Return the absolute URL of the photo's page."""
    return absolute(request, photo.get_absolute_url())


def work(photo: Photo, request=None) -> Work:
    """Return the licensing Work of a photo, computed once per photo object."""
    cache = photo.__dict__.setdefault("_reach_work", {})
    key = request.get_host() if request is not None else ""
    if key not in cache:
        cache[key] = work_of(photo, request=request)
    return cache[key]


def credit_html(photo: Photo, request=None) -> str:
    """Return the TASL credit with links and RDFa (licensing.attribution.as_html)."""
    return credit.as_html(work(photo, request))


def credit_text(photo: Photo, request=None) -> str:
    """Return the TASL credit as one plain-text paragraph."""
    return credit.as_text(work(photo, request))


def embed_code(photo: Photo, image: Image, request=None) -> str:
    """Return the HTML a blogger pastes: the image linked to its page, then its credit."""
    return format_html(
        '<figure class="brouette-embed" style="margin:0;max-width:{}px">'
        '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}" '
        'style="max-width:100%;height:auto"></a>'
        "<figcaption>{}</figcaption></figure>",
        image.width,
        page_url(photo, request),
        image.url,
        image.width,
        image.height,
        photo.display_title,
        mark_safe(credit_html(photo, request)),  # noqa: S308 - as_html escapes user text
    )
