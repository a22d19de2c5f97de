"""oEmbed provider (oembed.com): a photo page URL in, a `photo` embed with its credit out."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_GET

from config.api import error_body
from photos import reach, selectors

FORMATS = {"json": "application/json", "xml": "text/xml"}
DISCOVERY_TYPES = {"json": "application/json+oembed", "xml": "text/xml+oembed"}
CACHE_AGE = 3600


class OEmbedError(Exception):
    """A request we answer with a 4xx and the API's error document."""

    def __init__(self, status: int, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def response(self) -> JsonResponse:
        fields = {self.field: [self.message]} if self.field else None
        return JsonResponse(error_body(self.code, self.message, fields), status=self.status)


def discovery_url(photo, request, fmt: str = "json") -> str:
    """Return the absolute oEmbed endpoint URL for a photo page, as discovery links give it."""
    query = urlencode({"url": reach.page_url(photo, request), "format": fmt})
    return reach.absolute(request, f"{reverse('oembed')}?{query}")


@require_GET
def oembed(request):
    """Answer an oEmbed request for one photo page: JSON or XML, type `photo`.

    Who gets an answer: the endpoint is anonymous by design (consumers are other servers
    that hold no session), so it answers as an anonymous visitor would see the page:
    - public photos: always;
    - unlisted photos: yes, to any caller, because a caller can only ask with the photo's
      URL, and holding the URL is exactly what "anyone with the link" grants. Nothing lists
      unlisted photos (feeds, sitemaps and search leave them out), so this reveals nothing
      new, and a blogger pasting an unlisted link still gets an embed with a correct credit;
    - private photos: 404, even for the owner's browser, exactly like a photo that does not
      exist, so the answer reveals nothing.

    Errors use the API's error document. A `format` other than json/xml is answered 400
    (the caller's mistake) rather than the spec's 501, which is meant for formats a
    provider could serve but does not.
    """
    try:
        fmt = _format(request.GET.get("format", "json"))
        maxwidth = _dimension(request.GET, "maxwidth")
        maxheight = _dimension(request.GET, "maxheight")
        photo = _photo_for(request, request.GET.get("url", ""))
    except OEmbedError as exc:
        return _cors(exc.response())
    data = embed_data(photo, request, maxwidth=maxwidth, maxheight=maxheight)
    if data is None:
        message = "This photo has no image yet; try again once it is processed."
        return _cors(OEmbedError(404, "not_ready", message).response())
    if fmt == "xml":
        return _cors(HttpResponse(as_xml(data), content_type="text/xml; charset=utf-8"))
    return _cors(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


def embed_data(photo, request, *, maxwidth=None, maxheight=None) -> dict | None:
    """Return the oEmbed response fields for a photo, or None while it has no image."""
    images = reach.images_of(photo, request=request, stable=True)
    image = reach.fit(images, maxwidth=maxwidth, maxheight=maxheight)
    if image is None:
        return None
    width, height = _within(image, maxwidth, maxheight)
    work = reach.work(photo, request)
    lic = photo.license_info
    data = {
        "version": "1.0",
        "type": "photo",
        "title": photo.display_title,
        "url": image.url,
        "width": width,
        "height": height,
        "author_name": work.creator_name,
        "author_url": work.creator_url,
        "provider_name": settings.SITE_NAME,
        "provider_url": reach.absolute(request, reverse("home")),
        "cache_age": CACHE_AGE,
        "web_page": reach.page_url(photo, request),
        "license": lic.name,
        "license_id": lic.id,
        "license_url": lic.url,
        "attribution": reach.credit_html(photo, request),
    }
    thumbnail = images.get("small")
    if thumbnail is not None:
        data.update(
            thumbnail_url=thumbnail.url,
            thumbnail_width=thumbnail.width,
            thumbnail_height=thumbnail.height,
        )
    return data


def as_xml(data: dict) -> bytes:
    """Render oEmbed fields as the spec's <oembed> document."""
    root = ElementTree.Element("oembed")
    for key, value in data.items():
        ElementTree.SubElement(root, key).text = str(value)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n{body}'.encode()


def _within(image: reach.Image, maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """Return the size to show the image at: its own, scaled down if even the smallest is
    too big for the consumer's box (the spec forbids answering larger than asked)."""
    scale = min(
        1.0,
        maxwidth / image.width if maxwidth else 1.0,
        maxheight / image.height if maxheight else 1.0,
    )
    return max(1, round(image.width * scale)), max(1, round(image.height * scale))


def _format(value: str) -> str:
    if value not in FORMATS:
        message = "format must be json or xml."
        raise OEmbedError(400, "invalid", message, field="format")
    return value


def _dimension(params, name: str) -> int | None:
    """Return a positive pixel bound from the query, None when absent, 400 otherwise."""
    value = params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise OEmbedError(400, "invalid", f"{name} must be a whole number of pixels.", name)
    return int(value)


def _photo_for(request, url: str):
    """Return the photo a page URL of this site names, as an anonymous visitor may open it."""
    if not url.strip():
        raise OEmbedError(400, "invalid", "Give the photo page's address as url.", "url")
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not _is_ours(parts, request):
        raise OEmbedError(404, "not_found", "This address is not a photo page of this site.")
    photo_id = _photo_id(parts.path)
    try:
        return selectors.photo_get_for_viewer(photo_id, viewer=None)
    except Http404:
        raise OEmbedError(404, "not_found", "No such photo, or it is not public.") from None


def _is_ours(parts, request) -> bool:
    """Say whether a URL's host is this site (as requested, or as configured)."""
    hosts = {request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
    return parts.netloc.lower() in hosts


def _photo_id(path: str) -> int:
    """Return the photo id of a photo page path, else 404."""
    for candidate in (path, path + "/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if match.url_name == "photo":
            return match.kwargs["photo_id"]
    raise OEmbedError(404, "not_found", "This address is not a photo page of this site.")


def _cors(response: HttpResponse) -> HttpResponse:
    """Let browser-side consumers read the answer: it holds only what the page shows."""
    response["Access-Control-Allow-Origin"] = "*"
    return response
