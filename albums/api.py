"""The album endpoints of API v1: thin views over selectors and services."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from albums import contributions, credits, export, policies, selectors, services
from albums.errors import AlbumError
from albums.models import AlbumItem
from albums.serializers import (
    AlbumAddPhotoSerializer,
    AlbumCreateSerializer,
    AlbumDecisionSerializer,
    AlbumDetailSerializer,
    AlbumItemSerializer,
    AlbumJoinSerializer,
    AlbumMemberSerializer,
    AlbumMemberUpdateSerializer,
    AlbumMovePhotoSerializer,
    AlbumSerializer,
    AlbumUpdateSerializer,
)
from config.api import ApiError, Pagination
from config.openapi import error
from photos import selectors as photo_selectors


def translated(method):
    """Turn album refusals into the contract's error shape, keeping their sentence."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except AlbumError as exc:
            raise ApiError(exc.message, code=exc.code, status_code=exc.status) from exc
        except PermissionDenied as exc:
            message = str(exc) or "You are not allowed to do this."
            raise ApiError(message, code="permission_denied", status_code=403) from exc

    return wrapper


def _item(album, photo_id: int) -> AlbumItem:
    item = AlbumItem.objects.filter(album=album, photo_id=photo_id).select_related("photo").first()
    if item is None:
        raise Http404("This photo is not in this album.")
    return item


def _person(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiError(f"There is nobody called {username!r}.", code="not_found", status_code=404)
    return user


def _detail(album, request) -> dict:
    photos = selectors.items_visible_to(album, request.user).values_list(
        "photo__license", flat=True
    )
    context = {"request": request, "license_summary": credits.license_summary(list(photos))}
    return AlbumDetailSerializer(album, context=context).data


class AlbumList(APIView):
    """Albums you may see (public ones and yours), and creating one."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = Pagination  # so the schema documents the page around the list

    @extend_schema(
        responses=AlbumSerializer(many=True),
        parameters=[
            OpenApiParameter("member", str, description="Albums this person belongs to."),
            OpenApiParameter("owner", str, description="Albums this person owns."),
            OpenApiParameter("q", str, description="Words in the title or description."),
        ],
    )
    def get(self, request):
        qs = selectors.album_list_visible_to(request.user)
        params = request.query_params
        if member := params.get("member"):
            qs = qs.filter(memberships__user__username=member, memberships__status="active")
        if owner := params.get("owner"):
            qs = qs.filter(owner__username=owner)
        for word in params.get("q", "").split()[:10]:
            qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs.distinct(), request, view=self)
        data = AlbumSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=AlbumCreateSerializer, responses={201: AlbumDetailSerializer})
    @translated
    def post(self, request):
        form = AlbumCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        album = services.album_create(owner=request.user, **form.to_service())
        return Response(_detail(album, request), status=status.HTTP_201_CREATED)


class AlbumDetail(APIView):
    """Read, change or delete one album."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=AlbumDetailSerializer)
    def get(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        return Response(_detail(album, request))

    @extend_schema(request=AlbumUpdateSerializer, responses=AlbumDetailSerializer)
    @translated
    def patch(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        form = AlbumUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        fields = form.to_service()
        if "cover" in fields:
            cover_id = fields.pop("cover")
            fields["cover"] = None
            if cover_id is not None:
                item = album.items.filter(photo_id=cover_id, status="approved").first()
                if item is None:
                    raise AlbumError("The cover must be one of the photos in this album.")
                fields["cover"] = item.photo
        services.album_update(album=album, actor=request.user, **fields)
        return Response(_detail(album, request))

    @extend_schema(responses={204: None})
    @translated
    def delete(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        services.album_delete(album=album, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumPhotos(APIView):
    """The album's photos (GET), and adding one (POST {"photo": id})."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = Pagination

    @extend_schema(
        responses=AlbumItemSerializer(many=True),
        parameters=[OpenApiParameter("order", str, enum=list(selectors.ORDERINGS))],
    )
    def get(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        order = request.query_params.get("order", "manual")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.items_visible_to(album, request.user, order=order), request, view=self
        )
        data = AlbumItemSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=AlbumAddPhotoSerializer,
        responses={201: AlbumItemSerializer, 202: AlbumItemSerializer, 409: error(409)},
    )
    @translated
    def post(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        form = AlbumAddPhotoSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            photo = photo_selectors.photo_get_for_viewer(
                form.validated_data["photo"], viewer=request.user
            )
        except Http404:
            raise ApiError(
                "This photo does not exist or is not visible to you.",
                code="invalid",
                status_code=400,
            ) from None
        item = contributions.album_add_photo(album=album, actor=request.user, photo=photo)
        code = status.HTTP_202_ACCEPTED if item.status == "pending" else status.HTTP_201_CREATED
        return Response(AlbumItemSerializer(item, context={"request": request}).data, status=code)


class AlbumPhoto(APIView):
    """Move (PATCH {"position": n}) or take out (DELETE) one photo of an album."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AlbumMovePhotoSerializer, responses=AlbumItemSerializer)
    @translated
    def patch(self, request, album_id: int, photo_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        form = AlbumMovePhotoSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = _item(album, photo_id)
        contributions.album_move_photo(item=item, actor=request.user, **form.validated_data)
        item.refresh_from_db()
        return Response(AlbumItemSerializer(item, context={"request": request}).data)

    @extend_schema(responses={204: None})
    @translated
    def delete(self, request, album_id: int, photo_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        contributions.album_remove_photo(item=_item(album, photo_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumMembers(APIView):
    """The members (GET); joining, asking to join, or inviting someone (POST)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=AlbumMemberSerializer(many=True))
    def get(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        members = selectors.members_of(album, request.user)
        return Response(
            AlbumMemberSerializer(members, many=True, context={"request": request}).data
        )

    @extend_schema(
        request=AlbumJoinSerializer,
        responses={201: AlbumMemberSerializer, 202: AlbumMemberSerializer, 409: error(409)},
    )
    @translated
    def post(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        form = AlbumJoinSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        username = form.validated_data.get("username")
        if username and username != request.user.username:
            role = form.validated_data.get("role", policies.CONTRIBUTOR)
            membership = services.album_invite(
                album=album, actor=request.user, user=_person(username), role=role
            )
        else:
            membership = services.album_join(album=album, user=request.user)
        data = AlbumMemberSerializer(membership, context={"request": request}).data
        code = status.HTTP_201_CREATED if membership.is_active else status.HTTP_202_ACCEPTED
        return Response(data, status=code)


class AlbumMember(APIView):
    """Change a member's role or let in a request (PATCH); remove, refuse or leave (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AlbumMemberUpdateSerializer, responses=AlbumMemberSerializer)
    @translated
    def patch(self, request, album_id: int, username: str):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        form = AlbumMemberUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = _person(username)
        if not form.validated_data:
            raise ApiError('Send "role", or "status": "active".', code="invalid", status_code=400)
        membership = selectors.membership_of(album, user)
        if (
            form.validated_data.get("status") == "active"
            and membership
            and membership.status == "requested"
        ):
            membership = services.album_approve_member(album=album, actor=request.user, user=user)
        if role := form.validated_data.get("role"):
            membership = services.album_change_role(
                album=album, actor=request.user, user=user, role=role
            )
        if membership is None:
            raise ApiError(
                f"{username} is not a member of this album.", code="invalid", status_code=400
            )
        membership.refresh_from_db()
        return Response(AlbumMemberSerializer(membership, context={"request": request}).data)

    @extend_schema(responses={204: None})
    @translated
    def delete(self, request, album_id: int, username: str):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        user = _person(username)
        membership = selectors.membership_of(album, user)
        if user == request.user:
            services.album_leave(album=album, user=user)
        elif membership is not None and membership.status == "requested":
            services.album_refuse_member(album=album, actor=request.user, user=user)
        else:
            services.album_remove_member(album=album, actor=request.user, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumPending(APIView):
    """The moderation queue, for curators."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: AlbumItemSerializer(many=True), 403: error(403)})
    @translated
    def get(self, request, album_id: int):
        album = selectors.album_get_for_editor(
            album_id, viewer=request.user, action=policies.MODERATE
        )
        items = selectors.pending_items(album, request.user)
        return Response(AlbumItemSerializer(items, many=True, context={"request": request}).data)


class AlbumPendingDecision(APIView):
    """Approve or reject one waiting photo."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AlbumDecisionSerializer, responses=AlbumItemSerializer)
    @translated
    def post(self, request, album_id: int, photo_id: int):
        album = selectors.album_get_for_editor(
            album_id, viewer=request.user, action=policies.MODERATE
        )
        form = AlbumDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = contributions.album_moderate(
            item=_item(album, photo_id), actor=request.user, **form.validated_data
        )
        return Response(AlbumItemSerializer(item, context={"request": request}).data)


class AlbumCredits(APIView):
    """The attribution of every photo in the album."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(credits.FORMATS))],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/plain"): str},
    )
    def get(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        fmt = request.query_params.get("format", "json")
        if fmt not in credits.FORMATS:
            raise ApiError(
                "format must be text, html, markdown or json.", code="invalid", status_code=400
            )
        entries = credits.entries(selectors.items_visible_to(album, request.user), request=request)
        if fmt == "json":
            return Response(credits.as_json(album.title, entries))
        body, content_type = credits.render(fmt, album.title, entries)
        return HttpResponse(body, content_type=content_type)


class AlbumExport(APIView):
    """The album as a streamed ZIP of one size, with its credits."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("size", str, enum=list(export.SIZES))],
        responses={(200, "application/zip"): bytes},
    )
    def get(self, request, album_id: int):
        album = selectors.album_get_for_viewer(album_id, viewer=request.user)
        size = request.query_params.get("size", export.DEFAULT_SIZE)
        if size not in export.SIZES:
            message = f"size must be one of {', '.join(export.SIZES)}."
            raise ApiError(message, code="invalid", status_code=400)
        return export.response(album, request, size)
