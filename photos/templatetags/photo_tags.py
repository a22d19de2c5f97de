"""Template helpers for photo pages."""

from django import template

from photos import renditions

register = template.Library()


@register.simple_tag
def rendition_url(photo, name: str, fmt: str = "jpg") -> str:
    """Return the URL of one rendition of a photo, or '' while it is being made."""
    cache = photo.__dict__.setdefault("_rendition_urls", {})
    if fmt not in cache:
        cache[fmt] = renditions.urls_for(photo, fmt)
    return cache[fmt].get(name, "")
