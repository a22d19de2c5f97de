"""Template helpers for search: "more like this" on the photo page."""

from __future__ import annotations

from django import template

from photos.search.related import more_like_this as related_to

register = template.Library()
SECTIONS = [
    ("tags", "Sharing tags"),
    ("album", "In the same album"),
    ("owner", "By the same person"),
]


@register.inclusion_tag("search/_more_like_this.html", takes_context=True)
def more_like_this(context, photo) -> dict:
    """Render photos sharing tags, an album or the owner with this one, as the viewer sees them."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {"related": related_to(photo, viewer=viewer), "sections": SECTIONS}


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, [])
