"""API shapes of albums, as promised in API.md."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from albums import credits, policies
from albums.errors import AlbumError
from albums.models import Album, AlbumVisibility, ItemStatus, JoinPolicy, Kind
from albums.selectors import cover_for, items_visible_to, membership_of
from albums.services import clean_policy
from photos.attribution import absolute_url
from photos.serializers import OwnerSerializer, PhotoSerializer


def person(user, request) -> dict | None:
    """Return {username, display_name, url} for a person."""
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    return {
        "username": user.username,
        "display_name": (profile.name if profile else user.username),
        "url": absolute_url(request, reverse("person", args=[user.username])),
    }


# A pattern, not an enum: drf-spectacular would name an enum after the field and collide with
# the photos' VisibilityEnum (same values, other labels); settings.ENUM_NAME_OVERRIDES could fix
# that, but settings belong to config/.
@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(public|unlisted|private)$",
        "description": "public: anyone can find it; unlisted: anyone with the link; "
        "private: members only.",
    }
)
class AlbumVisibilityField(serializers.ChoiceField):
    """An album's visibility; its own inline enum, since album and photo labels differ."""

    def __init__(self, **kwargs):
        super().__init__(choices=AlbumVisibility.choices, **kwargs)


class AlbumLicensePolicySerializer(serializers.Serializer):
    licenses = serializers.ListField(child=serializers.CharField(), required=False)
    license_type = serializers.ListField(child=serializers.CharField(), required=False)

    def validate(self, data: dict) -> dict:
        try:
            licenses, types = clean_policy(data.get("licenses"), data.get("license_type"))
        except AlbumError as exc:
            raise serializers.ValidationError(exc.message) from None
        return {"licenses": licenses, "license_types": types}


class AlbumSerializer(serializers.ModelSerializer):
    """An album as a viewer receives it, with their own role and the counts."""

    url = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    license_policy = serializers.SerializerMethodField()
    cover = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()
    membership = serializers.SerializerMethodField()
    visibility = AlbumVisibilityField(read_only=True)
    photo_count = serializers.SerializerMethodField()
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = Album
        fields = [
            "id", "url", "title", "description", "kind", "visibility", "join_policy",
            "moderated", "license_policy", "cover", "owner", "created", "photo_count",
            "member_count", "role", "membership",
        ]  # fmt: skip
        read_only_fields = fields

    def _request(self):
        return self.context.get("request")

    def get_url(self, album: Album) -> str:
        return absolute_url(self._request(), album.get_absolute_url())

    def get_owner(self, album: Album) -> dict:
        return OwnerSerializer(person(album.owner, self._request())).data

    def get_license_policy(self, album: Album) -> dict:
        return {"licenses": album.licenses, "license_type": album.license_types}

    def get_cover(self, album: Album) -> int | None:
        cover = cover_for(album, getattr(self._request(), "user", None))
        return cover.pk if cover is not None else None

    def get_role(self, album: Album) -> str | None:
        membership = membership_of(album, getattr(self._request(), "user", None))
        return membership.role if membership and membership.is_active else None

    def get_membership(self, album: Album) -> str | None:
        membership = membership_of(album, getattr(self._request(), "user", None))
        return membership.status if membership else None

    def get_photo_count(self, album: Album) -> int:
        count = getattr(album, "photo_count", None)
        if count is None:  # the photos this viewer may open, as album_list_visible_to counts
            count = items_visible_to(album, getattr(self._request(), "user", None)).count()
        return count

    def get_member_count(self, album: Album) -> int:
        count = getattr(album, "member_count", None)
        return count if count is not None else album.memberships.filter(status="active").count()


class AlbumCreateSerializer(serializers.Serializer):
    """What POST /api/v1/albums/ accepts."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    visibility = AlbumVisibilityField(required=False)
    join_policy = serializers.ChoiceField(choices=JoinPolicy.choices, required=False)
    moderated = serializers.BooleanField(required=False)
    license_policy = AlbumLicensePolicySerializer(required=False)

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        data.update(data.pop("license_policy", {}))
        return data


class AlbumUpdateSerializer(AlbumCreateSerializer):
    """What PATCH /api/v1/albums/{id}/ accepts."""

    title = serializers.CharField(max_length=200, required=False)
    kind = None
    cover = serializers.IntegerField(required=False, allow_null=True)


class AlbumItemSerializer(serializers.Serializer):
    """A photo in an album, with where it sits and whether it is accepted."""

    photo = serializers.SerializerMethodField()
    status = serializers.CharField()
    position = serializers.IntegerField()
    added_by = serializers.SerializerMethodField()
    added_at = serializers.DateTimeField()
    reason = serializers.CharField()
    flagged_reason = serializers.CharField()

    def get_photo(self, item) -> dict:
        return PhotoSerializer(item.photo, context=self.context).data

    def get_added_by(self, item) -> str | None:
        return item.added_by.username if item.added_by else None

    def to_representation(self, item) -> dict:
        data = super().to_representation(item)
        if item.status == ItemStatus.PENDING:
            data["message"] = "Waiting for a curator."
        return data


class AlbumAddPhotoSerializer(serializers.Serializer):
    photo = serializers.IntegerField(min_value=1)


class AlbumMovePhotoSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=0)


class AlbumMemberSerializer(serializers.Serializer):
    """A member, a request to join, or an invitation."""

    user = serializers.SerializerMethodField()
    role = serializers.CharField()
    status = serializers.CharField()
    created = serializers.DateTimeField()

    def get_user(self, membership) -> dict:
        return person(membership.user, self.context.get("request"))


class AlbumJoinSerializer(serializers.Serializer):
    """POST …/members/: empty to join or ask; with `username` to invite (curators)."""

    username = serializers.CharField(required=False)
    role = serializers.ChoiceField(choices=policies.ROLES, required=False)


class AlbumMemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=policies.ROLES, required=False)
    status = serializers.ChoiceField(choices=["active"], required=False)


class AlbumDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AlbumDetailSerializer(AlbumSerializer):
    """One album, with its license summary."""

    license_summary = serializers.SerializerMethodField()

    class Meta(AlbumSerializer.Meta):
        fields = [*AlbumSerializer.Meta.fields, "license_summary"]
        read_only_fields = fields

    def get_license_summary(self, album: Album) -> str:
        return self.context.get("license_summary") or credits.license_summary([])
