"""Atom feeds of public photos, each entry carrying its image, author, license and credit.

Every entry has:
- `title`, `author` (name and uri of the creator, as the credit names them);
- `<link rel="enclosure">` and Media RSS `media:content` of the medium rendition (with its
  width, height and size), `media:thumbnail`, `media:credit`, `media:license`;
- `<link rel="license">` to the license deed (RFC 4946), `<rights>` with the credit text;
- `<content type="html">`: the image, the description and the TASL credit with RDFa.

Feeds are public documents, cached and shared by readers: they list public photos only,
whoever asks (the owner's own unlisted and private photos included never appear).
"""

from __future__ import annotations

import copy
import html

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html, linebreaks

from licensing.attribution import safe_url
from photos import reach, selectors, tag_queries
from photos.models import Photo, Status

MEDIA_NS = "http://search.yahoo.com/mrss/"


class MediaAtomFeed(Atom1Feed):
    """Atom 1.0 with Media RSS elements, a license link and HTML content per entry."""

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        license_ = item["license"]
        if license_.url:
            handler.addQuickElement("link", "", {"rel": "license", "href": license_.url})
        image, thumbnail = item.get("image"), item.get("thumbnail")
        if image is not None:
            handler.addQuickElement("media:content", "", _media_attrs(image))
        if thumbnail is not None:
            attrs = {"url": thumbnail.url, "width": str(thumbnail.width)}
            handler.addQuickElement(
                "media:thumbnail", "", {**attrs, "height": str(thumbnail.height)}
            )
        if item.get("credit_name"):
            attrs = {"role": "photographer", "scheme": "urn:ebu"}
            handler.addQuickElement("media:credit", item["credit_name"], attrs)
        attrs = {"type": "text/html", "href": license_.url} if license_.url else {}
        handler.addQuickElement("media:license", license_.name, attrs)


def _media_attrs(image: reach.Image) -> dict:
    return {
        "url": image.url,
        "type": image.mime_type,
        "medium": "image",
        "width": str(image.width),
        "height": str(image.height),
        "fileSize": str(image.bytes),
    }


class PhotoFeed(Feed):
    """A feed of public photos: subclass it and say which photos, with what title and link.

    Subclasses define `get_object(request, ...)`, `title(obj)`, `link(obj)` and
    `photos(obj)`, a queryset from photos.selectors (or built on one) of the photos to list,
    newest first. `self.request` is the current request (each request works on its own
    copy of the feed, so this is thread-safe). The search feed subclasses it like this:

        class SearchFeed(PhotoFeed):
            def get_object(self, request):
                return search.parse(request.GET)       # the same parameters as /search/
            def title(self, query):
                return f"Search: {query}"
            def link(self, query):
                return f"{reverse('search')}?{self.request.GET.urlencode()}"
            def photos(self, query):
                return search.photos(query, viewer=None)   # anonymous: public only
    """

    feed_type = MediaAtomFeed
    limit = 30
    request = None

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def photos(self, obj):
        """Return the photos this feed lists, newest first; subclasses say which."""
        return Photo.objects.none()

    def items(self, obj) -> list:
        """Return the newest ready photos, keeping only those anyone may find in lists."""
        found = self.photos(obj).filter(status=Status.READY)[: self.limit]
        return [photo for photo in found if selectors.can_list(photo, None)]

    def item_title(self, photo) -> str:
        return photo.display_title

    def item_description(self, photo) -> str:
        return html.escape(reach.credit_text(photo, self.request))

    def item_author_name(self, photo) -> str:
        return reach.work(photo, self.request).creator_name

    def item_author_link(self, photo) -> str:
        return safe_url(reach.work(photo, self.request).creator_url) or None

    def item_pubdate(self, photo):
        return photo.uploaded_at

    def item_updateddate(self, photo):
        return photo.updated_at

    def item_categories(self, photo) -> list[str]:
        return [item.tag.name for item in photo.tagged.all()]

    def item_copyright(self, photo) -> str:
        return reach.credit_text(photo, self.request)

    def item_enclosures(self, photo) -> list[Enclosure]:
        image = self._image(photo)
        if image is None:
            return []
        return [Enclosure(image.url, str(image.bytes), image.mime_type)]

    def item_extra_kwargs(self, photo) -> dict:
        images = reach.images_of(photo, request=self.request)
        return {
            "content_html": self._content(photo),
            "license": photo.license_info,
            "image": self._image(photo),
            "thumbnail": images.get("small"),
            "credit_name": reach.work(photo, self.request).creator_name,
        }

    def _image(self, photo) -> reach.Image | None:
        return reach.image_of(photo, "medium", request=self.request)

    def _content(self, photo) -> str:
        """Return the entry's HTML: the linked image, the description, then the credit."""
        image = self._image(photo)
        parts = []
        if image is not None:
            parts.append(
                format_html(
                    '<p><a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a></p>',
                    reach.page_url(photo, self.request),
                    image.url,
                    image.width,
                    image.height,
                    photo.display_title,
                )
            )
        if photo.description:
            parts.append(linebreaks(photo.description, autoescape=True))
        parts.append(reach.credit_html(photo, self.request))
        return "\n".join(parts)


class UserFeed(PhotoFeed):
    """The newest public photos of one person."""

    def get_object(self, request, username: str):
        return selectors.person_get(username)

    def title(self, owner) -> str:
        return f"Photos by {selectors.profile_of(owner).name}"

    def link(self, owner) -> str:
        return reverse("person", args=[owner.get_username()])

    def subtitle(self, owner) -> str:
        return f"The newest public photos of {selectors.profile_of(owner).name}, with credits."

    def photos(self, owner):
        return selectors.photo_stream_of(owner, viewer=None)


class TagFeed(PhotoFeed):
    """The newest public photos with a tag."""

    def get_object(self, request, slug: str):
        return tag_queries.tag_get(slug)

    def title(self, tag) -> str:
        return f"Photos tagged “{tag.name}”"

    def link(self, tag) -> str:
        return reverse("tag", args=[tag.slug])

    def subtitle(self, tag) -> str:
        return f"The newest public photos tagged {tag.name}, each with its license."

    def photos(self, tag):
        return tag_queries.photos_tagged(tag, viewer=None)
