"""Template tags for the reach surfaces: oEmbed discovery, social cards and the embed box."""

from __future__ import annotations

from django import template
from django.conf import settings

from photos import oembed, reach, selectors

register = template.Library()


def social_card(*, title: str, description: str, url: str, image, og_type: str) -> dict:
    """Return the Open Graph / Twitter card facts of a page."""
    return {
        "site_name": settings.SITE_NAME,
        "title": title,
        "description": description,
        "url": url,
        "image": image,
        "type": og_type,
    }


@register.inclusion_tag("photos/_social.html", takes_context=True)
def photo_head(context, photo) -> dict:
    """Render a photo page's oEmbed discovery links and social card (none when private)."""
    request = context["request"]
    if not reach.is_reachable(photo):
        return {}
    # Unlisted photos have no public file: their own route checks and redirects instead.
    image = reach.image_of(photo, "large", request=request, stable=not photo.is_public)
    card = social_card(
        title=photo.display_title,
        description=reach.credit_text(photo, request),
        url=reach.page_url(photo, request),
        image=image,
        og_type="article",
    )
    return {
        "card": card,
        "oembed_json": oembed.discovery_url(photo, request, "json"),
        "oembed_xml": oembed.discovery_url(photo, request, "xml"),
    }


@register.inclusion_tag("photos/_social.html", takes_context=True)
def page_card(context, *, title: str, url: str, description: str = "", photo=None) -> dict:
    """Render a social card for another page (an album): its image only if the photo is public."""
    request = context["request"]
    image = None
    if photo is not None and selectors.can_list(photo, None):
        image = reach.image_of(photo, "large", request=request)
    card = social_card(
        title=title,
        description=description,
        url=reach.absolute(request, url),
        image=image,
        og_type="website",
    )
    return {"card": card}


@register.inclusion_tag("photos/_embed.html", takes_context=True)
def embed_box(context, photo) -> dict:
    """Render the embed box: an HTML snippet per size, image plus credit, ready to paste."""
    request = context["request"]
    if not reach.is_reachable(photo):
        return {"private": True}
    images = reach.images_of(photo, request=request, stable=True)
    choices = [
        {
            "name": name,
            "image": images[name],
            "code": reach.embed_code(photo, images[name], request),
        }
        for name in reach.EMBED_SIZES
        if name in images
    ]
    if not choices:
        return {"choices": []}
    default = next((c for c in choices if c["name"] == "medium"), choices[-1])
    return {"choices": choices, "default": default}
