"""Brouette's URL map: pages, the v1 API, accounts, admin, oEmbed and the sitemap."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from albums.selectors import album_list_visible_to
from config.ratelimit import limit, login_form_key
from photos import accounts, oembed, sitemaps

# Albums are the one app photos may not import, so their sitemap section is wired here.
SITEMAPS = sitemaps.public_sitemaps(
    albums=sitemaps.CollectionSitemap(
        items=lambda: album_list_visible_to(None), cover=lambda album: album.cover
    )
)

api_v1 = [
    path("auth/token/", accounts.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("licensing.api_urls")),
    path("", include("photos.api_urls")),
    path("", include("albums.api_urls")),
]

urlpatterns = [
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("photos.urls")),
    path("", include("albums.urls")),
    path("accounts/", include("photos.account_urls")),
    path("api/v1/", include(api_v1)),
    path("admin/login/", limit("login", login_form_key)(admin.site.login)),  # same limit
    path("admin/", admin.site.urls),
    path("oembed/", oembed.oembed, name="oembed"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": sitemaps.TEMPLATE},
        name="sitemap",
    ),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
handler403 = "config.views.forbidden"
