"""Extension points for apps that build on photos (albums), so photos never imports them.

Dependencies point one way (licensing <- photos <- albums): albums registers here in its
AppConfig.ready(), and photos calls whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable

from django.dispatch import Signal

# Sent after commit when a photo's license changed: sender=Photo, photo=<Photo>, old=<id>.
photo_license_changed = Signal()

_album_ids: list[Callable] = []
_album_members: list[Callable] = []


def register_album_ids(provider: Callable) -> None:
    """Register provider(photo, viewer) -> ids of albums holding the photo that viewer sees."""
    if provider not in _album_ids:
        _album_ids.append(provider)


def album_ids(photo, viewer) -> list[int]:
    """Return the ids of albums the photo is in that the viewer may see."""
    return sorted({i for provider in _album_ids for i in provider(photo, viewer)})


def register_album_membership(check: Callable) -> None:
    """Register check(photo, user) -> bool: is user a member of an album holding the photo."""
    if check not in _album_members:
        _album_members.append(check)


def shares_album(photo, user) -> bool:
    """Say whether the user belongs to an album the photo is in."""
    return any(check(photo, user) for check in _album_members)
