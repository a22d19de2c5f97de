"""The license catalogue over the API."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import catalogue
from licensing.serializers import LicenseSerializer


class LicenseList(APIView):
    """List every license Brouette knows; `?selectable=true` for those offered to new photos."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses=LicenseSerializer(many=True),
        parameters=[OpenApiParameter("selectable", bool, required=False)],
    )
    def get(self, request):
        licenses = catalogue.all_licenses()
        if request.query_params.get("selectable", "").lower() in {"1", "true", "yes"}:
            licenses = catalogue.selectable()
        return Response(LicenseSerializer(licenses, many=True).data)
