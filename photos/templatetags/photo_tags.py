"""Template helpers for photo pages."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from photos import renditions

register = template.Library()
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def rendition_url(photo, name: str, fmt: str = "jpg") -> str:
    """Return the URL of one rendition of a photo, or '' while it is being made."""
    cache = photo.__dict__.setdefault("_rendition_urls", {})
    if fmt not in cache:
        cache[fmt] = renditions.urls_for(photo, fmt)
    return cache[fmt].get(name, "")


@register.simple_tag
def ld_json(data: dict):
    """Render JSON-LD safely inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
