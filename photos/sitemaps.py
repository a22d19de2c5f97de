"""Sitemaps (django.contrib.sitemaps) of public pages, with Google image-sitemap entries.

Only what an anonymous visitor finds in lists is listed: public photos, people and tags
with at least one public photo, and whatever public collections a later app passes in
(config/urls.py gives albums; photos never imports albums). Unlisted and private pages
never appear, and an image is listed only when its photo is public.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from photos import renditions, selectors, tag_queries
from photos.models import Tag

IMAGE_SIZES = ("large", "medium", "small")  # the large rendition, else the biggest there is
TEMPLATE = "photos/sitemap.xml"


def large_image_url(photo) -> str | None:
    """Return the URL of a public photo's large rendition (or the biggest smaller one)."""
    if not selectors.can_list(photo, None):
        return None
    urls = renditions.urls_for(photo)
    return next((urls[name] for name in IMAGE_SIZES if name in urls), None)


class ImageSitemap(Sitemap):
    """A sitemap whose entries may list images (`image:image`/`image:loc`, absolute URLs)."""

    def image_urls(self, item) -> list[str]:
        """Return the image URLs (paths or absolute) to list under one page."""
        return []

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for info in urls:
            found = self.image_urls(info["item"])
            info["images"] = [url if "://" in url else base + url for url in found]
        return urls


class PhotoSitemap(ImageSitemap):
    """Public photo pages, each with its large rendition."""

    changefreq = "monthly"

    def items(self):
        return selectors.photo_list_visible_to(None).order_by("pk")

    def lastmod(self, photo):
        return photo.updated_at

    def image_urls(self, photo) -> list[str]:
        url = large_image_url(photo)
        return [url] if url else []


class PersonSitemap(ImageSitemap):
    """Photostreams of people with at least one public photo."""

    changefreq = "weekly"

    def items(self):
        owners = selectors.photo_list_visible_to(None).values("owner")
        users = get_user_model().objects.filter(is_active=True, pk__in=owners)
        return users.order_by("username")

    def location(self, user) -> str:
        return reverse("person", args=[user.get_username()])


class TagSitemap(ImageSitemap):
    """Pages of tags carried by at least one public photo."""

    changefreq = "weekly"

    def items(self):
        return tag_queries.with_public_counts(Tag.objects.all()).order_by("slug")


class CollectionSitemap(ImageSitemap):
    """Pages of collections defined by another app (albums), given by callables.

    `items` returns the public collections (from that app's own selector); `cover` returns
    the photo that stands for one, listed as its image only when that photo is public.
    """

    changefreq = "weekly"

    def __init__(self, *, items: Callable, cover: Callable | None = None) -> None:
        self._items, self._cover = items, cover

    def items(self):
        return self._items()

    def image_urls(self, item) -> list[str]:
        photo = self._cover(item) if self._cover else None
        url = large_image_url(photo) if photo is not None else None
        return [url] if url else []


def public_sitemaps(**collections: CollectionSitemap) -> dict[str, ImageSitemap]:
    """Return the site's sitemaps by section name, with any collections another app adds."""
    return {
        "photos": PhotoSitemap(),
        "people": PersonSitemap(),
        "tags": TagSitemap(),
        **collections,
    }
