"""Photos, their renditions, tags, favourites, comments, and the photographer's profile."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from licensing.fields import LicenseField

DEFAULT_LICENSE = "CC-BY-4.0"
# Bidi embeddings, overrides and isolates make "Holiday \u202egpj.exe" read "Holiday exe.jpg";
# right-to-left words lay themselves out without them, so free text is saved without them.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text: str) -> str:
    """Return the text without bidi embedding, override and isolate characters."""
    return text.translate(_BIDI_CONTROLS)


def drop_bidi_controls(instance: models.Model, *names: str) -> None:
    """Remove bidi embedding, override and isolate characters from text fields, in place."""
    for name in names:
        setattr(instance, name, getattr(instance, name).translate(_BIDI_CONTROLS))


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone can find it"
    UNLISTED = "unlisted", "Unlisted: anyone with the link"
    PRIVATE = "private", "Private: only you"


class Status(models.TextChoices):
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Tagging(models.TextChoices):
    OWNER = "owner", "Only me"
    SIGNED_IN = "signed-in", "Anyone signed in"
    ALBUM_MEMBERS = "album-members", "Members of the albums it is in"


class CommentPolicy(models.TextChoices):
    SIGNED_IN = "signed-in", "Anyone signed in"
    NOBODY = "nobody", "Nobody"


class Profile(models.Model):
    """What a person shows of themselves, and the defaults they choose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=100, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    website = models.URLField(blank=True)
    default_license = LicenseField(default=DEFAULT_LICENSE)
    default_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    default_tagging = models.CharField(
        max_length=15, choices=Tagging.choices, default=Tagging.SIGNED_IN
    )
    default_tag_review = models.BooleanField(
        default=True, help_text="Others' tags wait for your approval before they appear."
    )

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person", args=[self.user.get_username()])

    def clean(self) -> None:
        drop_bidi_controls(self, "display_name", "bio")

    @property
    def name(self) -> str:
        """Return the name used in credits: the display name, else the username."""
        return self.display_name or self.user.get_username()


class Photo(models.Model):
    """One uploaded image: its original, what we know of it, and who may see it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos"
    )
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=5000, blank=True)
    license = LicenseField(default=DEFAULT_LICENSE)
    creator_name = models.CharField(
        max_length=200, blank=True, help_text="Who made the photo, when it is not the uploader."
    )
    creator_url = models.URLField(max_length=500, blank=True)
    source_url = models.URLField(
        max_length=500, blank=True, help_text="Where the photo was first published, if elsewhere."
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROCESSING)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=10)
    bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    frames = models.PositiveIntegerField(default=1)
    placeholder = models.CharField(max_length=7, default="#d0d0d0")
    phash = models.CharField(
        max_length=16, blank=True, db_index=True, help_text="Perceptual hash (64-bit, hex)."
    )

    taken_at = models.DateTimeField(null=True, blank=True)
    taken_offset = models.CharField(max_length=6, blank=True)
    camera_make = models.CharField(max_length=100, blank=True)
    camera_model = models.CharField(max_length=100, blank=True)
    lens = models.CharField(max_length=150, blank=True)
    exposure_time = models.CharField(max_length=20, blank=True)
    f_number = models.FloatField(null=True, blank=True)
    iso = models.PositiveIntegerField(null=True, blank=True)
    focal_length = models.FloatField(null=True, blank=True)
    gps_lat = models.FloatField(null=True, blank=True)
    gps_lon = models.FloatField(null=True, blank=True)
    location_visible = models.BooleanField(default=False)
    suggestions = models.JSONField(default=dict, blank=True)

    comment_policy = models.CharField(
        max_length=10, choices=CommentPolicy.choices, default=CommentPolicy.SIGNED_IN
    )
    tagging = models.CharField(max_length=15, choices=Tagging.choices, default=Tagging.SIGNED_IN)
    tag_review = models.BooleanField(default=True)
    allow_original_download = models.BooleanField(default=True)
    rights_version = models.PositiveIntegerField(
        default=1, help_text="Bumped when the credit or license changes; renditions are re-stamped."
    )
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through="TaggedPhoto", blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="photo_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="photo_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="photo_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "-uploaded_at"], name="photo_public_stream"),
            models.Index(fields=["owner", "-uploaded_at"], name="photo_owner_stream"),
        ]

    def __str__(self) -> str:
        return self.title or f"Photo {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("photo", args=[self.pk])

    def clean(self) -> None:
        drop_bidi_controls(self, "title", "description", "creator_name")

    @property
    def display_title(self) -> str:
        """Return the title, or a neutral stand-in for untitled photos."""
        return self.title or "Untitled"

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def license_info(self):
        """Return the catalogue entry of the photo's license."""
        from licensing import catalogue

        return catalogue.get(self.license)

    @property
    def original_key(self) -> str:
        """Return the content-addressed key of the original (shared by identical bytes)."""
        return f"{self.sha256[:2]}/{self.sha256}.{self.format.lower()}"

    @property
    def orientation(self) -> str:
        if self.width == self.height:
            return "square"
        return "wide" if self.width > self.height else "tall"


class NearDuplicate(models.Model):
    """A new photo that looks like another person's earlier one: shown to both, and to
    moderators, so nobody re-licenses someone else's work unnoticed."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="looks_like")
    earlier = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="looked_like_by")
    distance = models.PositiveSmallIntegerField()
    found_at = models.DateTimeField(default=timezone.now)
    reviewed = models.BooleanField(default=False)

    class Meta:
        ordering = ["distance", "-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "earlier"], name="near_duplicate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.photo_id} looks like {self.earlier_id} ({self.distance})"


class Rendition(models.Model):
    """A resized copy of a photo, stored under its own key."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    name = models.CharField(max_length=10)
    format = models.CharField(max_length=4)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    key = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "name", "format"], name="rendition_unique_per_photo"
            )
        ]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_for(photo: Photo, name: str, fmt: str) -> str:
        """Return the key of one rendition: per photo and per rights version (files are stamped)."""
        sha = photo.sha256
        return f"{sha[:2]}/{sha}/{photo.pk}-v{photo.rights_version}/{name}.{fmt}"


class LicenseGrant(models.Model):
    """One period during which a photo was offered under a license: append-only."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="grants")
    license = LicenseField()
    granted_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    attribution_name = models.CharField(max_length=200)
    attribution_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["granted_at", "id"]
        indexes = [models.Index(fields=["photo", "granted_at"], name="grant_history")]

    def __str__(self) -> str:
        return f"{self.photo_id}: {self.license} from {self.granted_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        """Refuse to rewrite history: a grant, once recorded, is never edited."""
        if self.pk is not None:
            raise ValueError("License grants are append-only; record a new grant instead.")
        super().save(*args, **kwargs)


class PhotoSource(models.Model):
    """A photo on the site that another photo adapts (a remix, crop or composite)."""

    derivative = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="derivative_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["derivative", "source"], name="source_once"),
            models.CheckConstraint(
                condition=~Q(derivative=models.F("source")), name="source_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.derivative_id} adapts {self.source_id}"


class TagSource(models.TextChoices):
    OWNER = "owner", "the owner"
    OTHER = "other", "another person"
    METADATA = "metadata", "the file's metadata"


class Tag(TagBase):
    """A tag: its first display form, its canonical identity, and machine-tag parts."""

    canonical = models.CharField(max_length=100, unique=True)
    namespace = models.CharField(max_length=50, blank=True)
    predicate = models.CharField(max_length=50, blank=True)
    value = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["namespace", "predicate", "value"], name="machine_tag_parts"),
        ]

    @property
    def is_machine(self) -> bool:
        return bool(self.namespace)

    def get_absolute_url(self) -> str:
        return reverse("tag", args=[self.slug])


class TaggedPhoto(ItemBase):
    """A tag on a photo, with who added it, when and from where."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_photos")
    content_object = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="tagged")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=TagSource.choices, default=TagSource.OWNER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tag_once_per_photo")
        ]


class TagSuggestion(models.Model):
    """A tag someone proposed for a photo, waiting for the owner to accept or reject it."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="tag_suggestions")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="suggestions")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "tag"], name="suggestion_once_per_photo")
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.photo_id}"


class TagBlock(models.Model):
    """An owner's refusal to let one person tag their photos."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "blocked"], name="tag_block_once")]
        permissions = [("moderate_tags", "Can remove a tag across the site")]

    def __str__(self) -> str:
        return f"{self.owner_id} blocks {self.blocked_id}"


class Favorite(models.Model):
    """A person's star on a photo."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "photo"], name="favorite_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.photo_id}"


class Comment(models.Model):
    """A comment under a photo."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]

    def clean(self) -> None:
        drop_bidi_controls(self, "body")
