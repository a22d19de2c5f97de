"""Albums people curate together: members with roles, items that stay their owners' photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from photos.models import Photo, drop_bidi_controls


class Kind(models.TextChoices):
    PERSONAL = "personal", "Personal: one owner, their own photos"
    COMMUNITY = "community", "Community: members contribute, curators look after it"


class AlbumVisibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone can find it"
    UNLISTED = "unlisted", "Unlisted: anyone with the link"
    PRIVATE = "private", "Private: members only"


class JoinPolicy(models.TextChoices):
    OPEN = "open", "Open: anyone signed in joins as a contributor"
    REQUEST = "request", "By request: curators approve new members"
    INVITE = "invite", "By invitation only"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    CURATOR = "curator", "Curator"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "Member"
    REQUESTED = "requested", "Asked to join"
    INVITED = "invited", "Invited"


class ItemStatus(models.TextChoices):
    APPROVED = "approved", "In the album"
    PENDING = "pending", "Waiting for a curator"
    REJECTED = "rejected", "Not accepted"


class Album(models.Model):
    """A titled, ordered set of photos with its own visibility, membership and license policy."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_albums"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMUNITY)
    visibility = models.CharField(
        max_length=10, choices=AlbumVisibility.choices, default=AlbumVisibility.PUBLIC
    )
    join_policy = models.CharField(
        max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    moderated = models.BooleanField(
        default=False, help_text="Contributions wait for a curator before they appear."
    )
    licenses = models.JSONField(
        default=list, blank=True, help_text="License ids or family slugs accepted; empty: any."
    )
    license_types = models.JSONField(
        default=list, blank=True, help_text="License types every photo must meet (commercial…)."
    )
    cover = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="album_kind_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=AlbumVisibility.values),
                name="album_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(join_policy__in=JoinPolicy.values), name="album_join_policy_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("album", args=[self.pk])

    def clean(self) -> None:
        drop_bidi_controls(self, "title", "description")

    @property
    def is_community(self) -> bool:
        return self.kind == Kind.COMMUNITY

    @property
    def has_license_policy(self) -> bool:
        return bool(self.licenses or self.license_types)


class Membership(models.Model):
    """A person's place in an album: their role, and whether they are in, invited or asking."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="album_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CONTRIBUTOR)
    status = models.CharField(
        max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["album", "user"], name="membership_once"),
            models.UniqueConstraint(
                fields=["album"], condition=Q(role="owner"), name="membership_one_owner"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="membership_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.album_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


class AlbumItem(models.Model):
    """A photo in an album: who put it there, where it sits, and whether it is accepted."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="items")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="album_items")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        max_length=10, choices=ItemStatus.choices, default=ItemStatus.APPROVED
    )
    reason = models.CharField(max_length=500, blank=True, help_text="Why a curator rejected it.")
    flagged_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it no longer fits the album's license policy."
    )
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["album", "photo"], name="album_item_once"),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="album_item_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["album", "status", "position"], name="album_item_order")]

    def __str__(self) -> str:
        return f"photo {self.photo_id} in album {self.album_id} ({self.status})"


class ActivityLog(models.Model):
    """One thing someone did to an album, for its members to read."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(max_length=40)
    target = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.target}"


class Notification(models.Model):
    """A message for one person on the site (an approval, a rejection, an invitation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text
