"""Template tags that put albums on pages the albums app does not own (base, photo page)."""

from django import template

from albums import selectors

register = template.Library()


@register.inclusion_tag("albums/_nav.html", takes_context=True)
def album_nav(context) -> dict:
    """Render the Albums link, and the notifications link with its unread count."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"user": user, "unread": selectors.unread_count(user)}


@register.inclusion_tag("albums/_photo_albums.html", takes_context=True)
def photo_albums(context, photo) -> dict:
    """Render the albums holding a photo, and an "add to album" form for members."""
    request = context.get("request")
    user = getattr(request, "user", None)
    holding = list(selectors.albums_holding(photo, user))
    choices = []
    if user is not None and user.is_authenticated:
        held = {album.pk for album in holding}
        choices = [a for a in selectors.albums_accepting_from(user) if a.pk not in held]
    return {
        "photo": photo,
        "albums": holding,
        "choices": choices,
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def album_cover(context, album):
    """Return the album's cover photo if the viewer may open it, else None."""
    request = context.get("request")
    return selectors.cover_for(album, getattr(request, "user", None))
