"""The photo endpoints of API v1: thin views over selectors and services."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from config.api import ApiError, error_body, int_or_404
from config.openapi import error
from config.ratelimit import ApiThrottle, UploadThrottle
from licensing import attribution as credit
from photos import direct, downloads, search, selectors, services, storage
from photos import licenses as photo_licenses
from photos.attribution import work_of
from photos.ingest import PhotoRejected
from photos.models import Photo, Visibility
from photos.search import api_schema as search_schema
from photos.serializers import (
    CreditSerializer,
    DirectUploadFinishSerializer,
    DirectUploadSerializer,
    DuplicateErrorSerializer,
    FavoriteSerializer,
    LicensePeriodSerializer,
    PhotoSerializer,
    PhotoUpdateSerializer,
    PhotoUploadSerializer,
    SearchPageSerializer,
)


def _store_down() -> ApiError:
    return ApiError(storage.StorageUnavailable.message, code="storage_unavailable", status_code=503)


class PhotoViewSet(GenericViewSet):
    """Photos: list, upload, read, change, delete, download, credit and favourite."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    throttle_classes = [ApiThrottle, UploadThrottle]  # uploads count like the upload page's
    serializer_class = PhotoSerializer
    queryset = Photo.objects.none()  # reads go through selectors; this only names the model

    def _serialize(self, photo, **kwargs) -> dict:
        return PhotoSerializer(photo, context={"request": self.request}, **kwargs).data

    @extend_schema(
        responses=SearchPageSerializer,
        parameters=search_schema.PARAMETERS,
        description=search_schema.DESCRIPTION,
    )
    def list(self, request):
        """Search the photos you may see: words, tags, licenses, dates; with facet counts."""
        try:
            params = search.parse(request.query_params)
            result = search.search(params, viewer=request.user)
        except search.SearchError as exc:  # 400 naming the parameter, in `fields` too
            raise ValidationError({exc.param: [exc.message]}) from exc
        return Response(
            {
                "count": result.count,
                "next": search_schema.next_link(request, result),
                "previous": search_schema.previous_link(request, result),
                "results": self._serialize(result.photos, many=True),
                "facets": result.facets,
            }
        )

    @extend_schema(
        request=PhotoUploadSerializer,
        responses={
            201: PhotoSerializer,
            409: error(409, DuplicateErrorSerializer),
            413: error(413),
            503: error(503),
        },
    )
    def create(self, request):
        """Upload a photo (multipart); 409 with the existing photo if you sent it before."""
        form = PhotoUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        upload = data.pop("file")
        data["sources"] = _visible_sources(data.get("sources", []), request.user)
        try:
            photo = services.photo_upload(
                owner=request.user, file=upload, original_name=upload.name, **data
            )
        except photo_licenses.LicenseNotAllowed as exc:
            raise ApiError(str(exc), code="license_not_allowed", status_code=400) from exc
        except PhotoRejected as exc:
            raise ApiError(exc.message, code=exc.code, status_code=exc.status) from exc
        except services.DuplicatePhoto as exc:
            body = error_body("duplicate", str(exc))
            body["error"]["photo"] = self._serialize(exc.photo)
            return Response(body, status=status.HTTP_409_CONFLICT)
        except storage.StorageUnavailable as exc:
            raise _store_down() from exc
        photo = selectors.photo_get_for_viewer(photo.pk, viewer=request.user)
        return Response(self._serialize(photo), status=status.HTTP_201_CREATED)

    @extend_schema(responses=PhotoSerializer)
    def retrieve(self, request, pk=None):
        """Read one photo."""
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        return Response(self._serialize(photo))

    @extend_schema(request=PhotoUpdateSerializer, responses={200: PhotoSerializer, 409: error(409)})
    def partial_update(self, request, pk=None):
        """Change a photo you own."""
        photo = selectors.photo_get_for_editor(int_or_404(pk), viewer=request.user)
        form = PhotoUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        try:
            services.photo_update(photo=photo, actor=request.user, **form.validated_data)
        except photo_licenses.ConfirmationRequired as exc:
            raise ApiError(str(exc) + ' Send "confirm": true.', code="confirmation_required",
                           status_code=409) from exc  # fmt: skip
        except photo_licenses.LicenseNotAllowed as exc:
            raise ApiError(str(exc), code="license_not_allowed", status_code=400) from exc
        photo = selectors.photo_get_for_viewer(photo.pk, viewer=request.user)
        return Response(self._serialize(photo))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Delete a photo you own, with its files."""
        photo = selectors.photo_get_for_editor(int_or_404(pk), viewer=request.user)
        services.photo_delete(photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("size", str, enum=[*downloads.SIZES])],
        responses={
            (200, "image/*"): bytes,
            302: None,
            403: error(403),
            503: error(503),
        },
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        """Download the original or one size, with its license embedded in the file."""
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        size = request.query_params.get("size", "original")
        if size not in downloads.SIZES:
            message = f"size must be one of {', '.join(downloads.SIZES)}."
            raise ApiError(message, code="invalid", status_code=400)
        try:
            found = downloads.download(photo, size, request.user)
        except downloads.DownloadRefused as exc:
            raise ApiError(str(exc), code="download_not_allowed", status_code=403) from exc
        except LookupError as exc:
            raise ApiError(str(exc), code="size_unavailable", status_code=404) from exc
        except storage.StorageUnavailable as exc:
            raise _store_down() from exc
        if found.url:
            response = HttpResponseRedirect(found.url)
        else:
            response = FileResponse(found.handle, as_attachment=True, filename=found.filename)
        if photo.visibility != Visibility.PUBLIC:
            response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["text", "html", "markdown", "json"]),
            OpenApiParameter("changes", str, description="Your changes, e.g. 'cropped'."),
        ],
        responses={(200, "application/json"): CreditSerializer, (200, "text/plain"): str},
    )
    @action(detail=True, methods=["get"], url_path="attribution", url_name="attribution")
    def attribution(self, request, pk=None):
        """Return the photo's credit line in the format you ask for."""
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        changes = request.query_params.get("changes", "")[:200]
        work = work_of(photo, request=request, changes=changes)
        fmt = request.query_params.get("format", "json")
        renderers = {"text": credit.as_text, "html": credit.as_html, "markdown": credit.as_markdown}
        if fmt == "json":
            return Response(credit.as_dict(work))
        if fmt not in renderers:
            raise ApiError(
                "format must be text, html, markdown or json.", code="invalid", status_code=400
            )
        # Raw text, ready to paste; text/plain so a browser never renders the HTML snippet.
        return HttpResponse(renderers[fmt](work), content_type="text/plain; charset=utf-8")

    @extend_schema(responses=LicensePeriodSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="licenses",
        url_name="licenses",
        pagination_class=None,  # the whole history, in one list
    )
    def licenses(self, request, pk=None):
        """Return the photo's license history, oldest first."""
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        periods = photo_licenses.history(photo)
        return Response(LicensePeriodSerializer(periods, many=True).data)

    @extend_schema(request=None, responses={201: FavoriteSerializer, 204: None})
    @action(detail=True, methods=["post", "delete"], url_path="favorite", url_name="favorite")
    def favorite(self, request, pk=None):
        """Star (POST) or unstar (DELETE) a photo."""
        photo = selectors.photo_get_for_viewer(int_or_404(pk), viewer=request.user)
        if request.method == "DELETE":
            services.photo_unfavorite(photo=photo, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        services.photo_favorite(photo=photo, user=request.user)
        return Response({"favorited": True}, status=status.HTTP_201_CREATED)


def _visible_sources(ids: list[int], viewer) -> list:
    """Return the photos named as sources, refusing any the uploader cannot see."""
    sources = []
    for source_id in ids:
        try:
            sources.append(selectors.photo_get_for_viewer(source_id, viewer=viewer))
        except Http404:
            raise ApiError(
                f"Source photo {source_id} does not exist or is not visible to you.",
                code="invalid",
                status_code=400,
            ) from None
    return sources


class DirectUploadStart(APIView):
    """Get a presigned POST to send one file straight to the S3 bucket (S3 mode only)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ApiThrottle, UploadThrottle]

    @extend_schema(
        request=None,
        responses={200: DirectUploadSerializer, 409: error(409), 503: error(503)},
    )
    def post(self, request):
        try:
            return Response(direct.direct_upload_start(owner=request.user))
        except direct.DirectUploadUnavailable as exc:
            raise ApiError(exc.message, code="direct_upload_unavailable", status_code=409) from exc
        except storage.StorageUnavailable as exc:
            raise _store_down() from exc


class DirectUploadFinish(APIView):
    """Turn a file the browser stored in the bucket into a photo, after the usual checks."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=DirectUploadFinishSerializer,
        responses={
            201: PhotoSerializer,
            409: error(409, DuplicateErrorSerializer),
            413: error(413),
            503: error(503),
        },
    )
    def post(self, request):
        form = DirectUploadFinishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            photo = direct.direct_upload_finish(owner=request.user, **form.validated_data)
        except PhotoRejected as exc:
            raise ApiError(exc.message, code=exc.code, status_code=exc.status) from exc
        except services.DuplicatePhoto as exc:
            body = error_body("duplicate", str(exc))
            body["error"]["photo"] = PhotoSerializer(exc.photo, context={"request": request}).data
            return Response(body, status=status.HTTP_409_CONFLICT)
        except storage.StorageUnavailable as exc:
            raise _store_down() from exc
        photo = selectors.photo_get_for_viewer(photo.pk, viewer=request.user)
        data = PhotoSerializer(photo, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)
