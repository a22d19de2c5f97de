"""The album activity log and the on-site notifications: written by services, never by views."""

from __future__ import annotations

from albums.models import ActivityLog, Album, Membership, MemberStatus, Notification


def log(album: Album, actor, verb: str, target: str = "") -> ActivityLog:
    """Write one line of the album's activity log."""
    return ActivityLog.objects.create(album=album, actor=actor, verb=verb, target=target[:300])


def notify(user, text: str, url: str = "") -> Notification | None:
    """Leave a message for a person (never for an anonymous or missing one)."""
    if user is None:
        return None
    return Notification.objects.create(user=user, text=text[:500], url=url[:300])


def notify_curators(album: Album, text: str, url: str = "", *, skip=None) -> None:
    """Leave a message for every active curator and the owner, except `skip`."""
    rows = Membership.objects.filter(
        album=album, status=MemberStatus.ACTIVE, role__in=["owner", "curator"]
    ).select_related("user")
    for row in rows:
        if skip is None or row.user_id != skip.pk:
            notify(row.user, text, url)


def name_of(user) -> str:
    """Return the name a person shows (display name, else username)."""
    if user is None:
        return "someone"
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_username()
