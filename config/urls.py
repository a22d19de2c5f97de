"""Brouette's URL map: pages, the v1 API, accounts and admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from photos import accounts

api_v1 = [
    path("auth/token/", accounts.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("licensing.api_urls")),
    path("", include("photos.api_urls")),
    path("", include("albums.api_urls")),
]

urlpatterns = [
    path("", include("photos.urls")),
    path("", include("albums.urls")),
    path("accounts/", include("photos.account_urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.forbidden"
