"""API shapes of photos, as promised in API.md."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from config.openapi import ErrorDetailSerializer
from licensing import catalogue
from licensing.serializers import LicenseSerializer
from photos import hooks, renditions, tagging
from photos.attribution import absolute_url as absolute
from photos.attribution import work_of
from photos.models import CommentPolicy, Photo, Tagging, Visibility
from photos.selectors import can_edit


class OwnerSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    url = serializers.CharField()


class TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    machine = serializers.BooleanField()
    added_by = serializers.CharField(allow_null=True)
    added_at = serializers.DateTimeField()


class AttributionSerializer(serializers.Serializer):
    text = serializers.CharField()
    html = serializers.CharField()
    markdown = serializers.CharField()


class PhotoSerializer(serializers.ModelSerializer):
    """A photo as anyone who may see it receives it; owners also get its settings."""

    url = serializers.SerializerMethodField()
    # Blank when unknown, so a string rather than a URI (an empty string is not a URI).
    creator_url = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    source_url = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    owner = serializers.SerializerMethodField()
    license = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    favorites = serializers.SerializerMethodField()
    albums = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Photo
        fields = [
            "id", "url", "title", "description", "owner", "license", "tags", "width",
            "height", "format", "creator_name", "creator_url", "source_url", "taken_at",
            "uploaded_at", "visibility", "status",
            "renditions", "placeholder", "attribution", "download_url", "favorites", "albums",
        ]  # fmt: skip
        read_only_fields = fields

    owner_fields = [
        "location_visible", "allow_original_download", "comment_policy", "failure_reason",
        "gps_lat", "gps_lon", "suggestions", "tagging", "tag_review",
    ]  # fmt: skip
    # What owner_fields look like; the schema lists them as optional (config.openapi).
    optional_fields = {
        "location_visible": serializers.BooleanField(),
        "allow_original_download": serializers.BooleanField(),
        "comment_policy": serializers.ChoiceField(choices=CommentPolicy.choices),
        "failure_reason": serializers.CharField(),
        "gps_lat": serializers.FloatField(allow_null=True, help_text="Also public if shown."),
        "gps_lon": serializers.FloatField(allow_null=True, help_text="Also public if shown."),
        "suggestions": serializers.DictField(help_text="What the file's metadata suggested."),
        "tagging": serializers.ChoiceField(choices=Tagging.choices),
        "tag_review": serializers.BooleanField(),
    }

    def to_representation(self, photo: Photo) -> dict:
        data = super().to_representation(photo)
        request = self.context.get("request")
        if can_edit(photo, getattr(request, "user", None)):
            data.update({name: getattr(photo, name) for name in self.owner_fields})
        elif photo.location_visible:
            data.update(gps_lat=photo.gps_lat, gps_lon=photo.gps_lon)
        return data

    def get_url(self, photo: Photo) -> str:
        return absolute(self.context.get("request"), photo.get_absolute_url())

    @extend_schema_field(OwnerSerializer)
    def get_owner(self, photo: Photo) -> dict:
        profile = getattr(photo.owner, "profile", None)
        path = reverse("person", args=[photo.owner.username])
        return {
            "username": photo.owner.username,
            "display_name": profile.name if profile else photo.owner.username,
            "url": absolute(self.context.get("request"), path),
        }

    @extend_schema_field(LicenseSerializer)
    def get_license(self, photo: Photo) -> dict:
        return LicenseSerializer(catalogue.get(photo.license)).data

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, photo: Photo) -> list[dict]:
        return [
            {
                "name": item.tag.name,
                "slug": item.tag.slug,
                "machine": item.tag.is_machine,
                "added_by": item.added_by.username if item.added_by else None,
                "added_at": item.added_at,
            }
            for item in photo.tagged.all()
        ]

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_renditions(self, photo: Photo) -> dict:
        request = self.context.get("request")
        return {k: absolute(request, v) for k, v in renditions.urls_for(photo).items()}

    @extend_schema_field(AttributionSerializer)
    def get_attribution(self, photo: Photo) -> dict:
        from licensing import attribution

        work = work_of(photo, request=self.context.get("request"))
        return {
            "text": attribution.as_text(work),
            "html": attribution.as_html(work),
            "markdown": attribution.as_markdown(work),
        }

    def get_download_url(self, photo: Photo) -> str:
        path = reverse("api-photo-download", args=[photo.pk])
        return absolute(self.context.get("request"), path)

    def get_favorites(self, photo: Photo) -> int:
        count = getattr(photo, "favorite_count", None)
        return count if count is not None else photo.favorites.count()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_albums(self, photo: Photo) -> list[int]:
        return hooks.album_ids(photo, getattr(self.context.get("request"), "user", None))


class FacetsSerializer(serializers.Serializer):
    license = serializers.DictField(
        child=serializers.IntegerField(), help_text="Matches per license id, most first."
    )
    license_type = serializers.DictField(
        child=serializers.IntegerField(), help_text="Matches per license type (commercial…)."
    )
    orientation = serializers.DictField(
        child=serializers.IntegerField(), help_text="Matches per orientation: tall, wide, square."
    )


@extend_schema_serializer(many=False)  # one page object, not a list to paginate again
class SearchPageSerializer(serializers.Serializer):
    """GET /api/v1/photos/: one page of the photos you may see, and facets over every match."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PhotoSerializer(many=True)
    facets = FacetsSerializer()


class DuplicateDetailSerializer(ErrorDetailSerializer):
    photo = PhotoSerializer(help_text="The photo you uploaded before.")


class DuplicateErrorSerializer(serializers.Serializer):
    """409 for a file its uploader sent before: the error, with the existing photo."""

    error = DuplicateDetailSerializer()


class CreditCreatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField(help_text="An http(s) URL, or empty.")


class CreditLicenseSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()


class CreditFactsSerializer(serializers.Serializer):
    """The data behind an attribution (licensing.attribution)."""

    title = serializers.CharField()
    creator = CreditCreatorSerializer()
    source_url = serializers.CharField(help_text="An http(s) URL, or empty.")
    license = CreditLicenseSerializer()
    attribution_required = serializers.BooleanField()
    changes = serializers.CharField()
    modified_by = serializers.CharField()
    adapted_from = serializers.ListField(
        child=serializers.DictField(), help_text="The same facts for each work this adapts."
    )


class CreditSerializer(CreditFactsSerializer):
    """GET /api/v1/photos/{id}/attribution/ in JSON: the facts and their three renderings."""

    text = serializers.CharField()
    html = serializers.CharField()
    markdown = serializers.CharField()


class FavoriteSerializer(serializers.Serializer):
    favorited = serializers.BooleanField()


class PhotoUploadSerializer(serializers.Serializer):
    """What POST /api/v1/photos/ accepts."""

    file = serializers.FileField(allow_empty_file=True)  # the service explains empty files
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    tags = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    license = serializers.CharField(required=False)
    creator_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    creator_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=20,
        help_text="Ids of photos on this site that this photo adapts.",
    )

    def validate_license(self, value: str) -> str:
        return _license_id(value)

    def validate_tags(self, value: str) -> str:
        return _tags(value)


class PhotoUpdateSerializer(serializers.Serializer):
    """What PATCH /api/v1/photos/{id}/ accepts."""

    confirm = serializers.BooleanField(
        required=False, help_text="Confirm a change to more restrictive license terms."
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    license = serializers.CharField(required=False)
    creator_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    creator_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    location_visible = serializers.BooleanField(required=False)
    allow_original_download = serializers.BooleanField(required=False)
    comment_policy = serializers.ChoiceField(choices=CommentPolicy.choices, required=False)
    tagging = serializers.ChoiceField(choices=Tagging.choices, required=False)
    tag_review = serializers.BooleanField(required=False)

    def validate_license(self, value: str) -> str:
        return _license_id(value)


class LicensePeriodSerializer(serializers.Serializer):
    """One period of a photo's license history."""

    license = LicenseSerializer()
    attribution_name = serializers.CharField()
    attribution_url = serializers.CharField()

    def get_fields(self) -> dict:
        # `from` is a Python keyword, so the contract's names are added here, not as attributes.
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(source="start")
        fields["until"] = serializers.DateTimeField(source="end", allow_null=True)
        return fields


class DirectUploadSerializer(serializers.Serializer):
    """A presigned POST: send `fields` plus `file` to `url`, then finish with `token`."""

    url = serializers.URLField()
    fields = serializers.DictField(child=serializers.CharField())
    token = serializers.CharField()


class DirectUploadFinishSerializer(serializers.Serializer):
    """What POST /api/v1/photos/uploads/finish/ accepts."""

    token = serializers.CharField()
    original_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    tags = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    license = serializers.CharField(required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)

    def validate_license(self, value: str) -> str:
        return _license_id(value)


def _tags(value: str) -> str:
    """Refuse tag input that breaks a tagging rule, naming the tag."""
    try:
        tagging.parse(value)
    except tagging.TagError as exc:
        raise serializers.ValidationError(exc.message) from None
    return value


def _license_id(value: str) -> str:
    """Return the catalogue's spelling of a license id, or refuse it with a sentence."""
    try:
        return catalogue.get(value).id
    except catalogue.UnknownLicense as exc:
        raise serializers.ValidationError(str(exc)) from None
