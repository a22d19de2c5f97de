"""Tag endpoints of API v1: tagging a photo, suggestions, autocomplete and tag details."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ApiError, int_or_404
from config.openapi import error
from photos import selectors, tag_queries, tagging, tags
from photos.serializers import TagSerializer


class TagNamesSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=300), max_length=75)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])


class TagResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="added (201) or waiting_for_review (202).")
    added = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The tags now on the photo."
    )
    suggested = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Tags waiting for the owner."
    )


class DecisionResultSerializer(serializers.Serializer):
    tag = serializers.CharField()
    decision = serializers.CharField()


class TagSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    count = serializers.IntegerField()
    machine = serializers.BooleanField(source="is_machine")
    url = serializers.CharField(source="get_absolute_url")


def _tag_error(exc: tagging.TagError) -> ApiError:
    return ApiError(exc.message, code=exc.code, status_code=400)


class PhotoTags(APIView):
    """Add tags to a photo: 201 when added, 202 when they wait for the owner's review."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=TagNamesSerializer,
        responses={201: TagResultSerializer, 202: TagResultSerializer},
    )
    def post(self, request, pk):
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        form = TagNamesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            result = tags.photo_tag(
                photo=photo, user=request.user, names=form.validated_data["tags"]
            )
        except tagging.TagError as exc:
            raise _tag_error(exc) from exc
        if result.suggested:
            names = [t.name for t in result.suggested]
            body = {"status": "waiting_for_review", "suggested": names}
            return Response(body, status=status.HTTP_202_ACCEPTED)
        body = {"status": "added", "added": [t.name for t in result.added]}
        return Response(body, status=status.HTTP_201_CREATED)


class PhotoTag(APIView):
    """Remove one tag from a photo (owner, the person who added it, or a moderator)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, pk, slug):
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        tags.photo_untag(photo=photo, user=request.user, slug=slug)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoSuggestions(APIView):
    """The owner's review queue of tags others suggested for a photo."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: TagSerializer(many=True), 403: error(403)})
    def get(self, request, pk):
        photo = selectors.photo_get_for_editor(int_or_404(pk), viewer=request.user)
        items = photo.tag_suggestions.select_related("tag", "added_by")
        return Response([_suggestion(s) for s in items])


class PhotoSuggestion(APIView):
    """Accept or reject one suggested tag."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=DecisionSerializer, responses=DecisionResultSerializer)
    def post(self, request, pk, slug):
        photo = selectors.photo_get_for_editor(int_or_404(pk), viewer=request.user)
        form = DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        accept = form.validated_data["decision"] == "accept"
        try:
            tag = tags.suggestion_decide(photo=photo, user=request.user, slug=slug, accept=accept)
        except tagging.TagError as exc:
            raise _tag_error(exc) from exc
        return Response({"tag": tag.name, "decision": form.validated_data["decision"]})


def _suggestion(item) -> dict:
    tag = item.tag
    return {
        "name": tag.name,
        "slug": tag.slug,
        "machine": tag.is_machine,
        "added_by": item.added_by.username,
        "added_at": item.added_at,
    }


class TagList(APIView):
    """Autocomplete: tags starting with `prefix`, most used first."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("prefix", str, required=True)],
        responses=TagSummarySerializer(many=True),
    )
    def get(self, request):
        prefix = request.query_params.get("prefix", "")[:100]
        found = tag_queries.autocomplete(prefix)
        return Response(TagSummarySerializer(found, many=True).data)


class TagDetail(APIView):
    """One tag: how many public photos carry it, and its related tags."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "TagDetail",
            {
                "name": serializers.CharField(),
                "slug": serializers.CharField(),
                "count": serializers.IntegerField(),
                "machine": serializers.BooleanField(),
                "related": TagSummarySerializer(many=True),
            },
        )
    )
    def get(self, request, slug):
        tag = tag_queries.tag_get(slug)
        return Response(
            {
                "name": tag.name,
                "slug": tag.slug,
                "count": tag_queries.public_count(tag),
                "machine": tag.is_machine,
                "related": TagSummarySerializer(tag_queries.related(tag), many=True).data,
            }
        )
