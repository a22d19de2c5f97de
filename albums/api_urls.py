"""Album endpoints of API v1 (see API.md)."""

from django.urls import path

from albums import api

urlpatterns = [
    path("albums/", api.AlbumList.as_view(), name="api-albums"),
    path("albums/<int:album_id>/", api.AlbumDetail.as_view(), name="api-album"),
    path("albums/<int:album_id>/photos/", api.AlbumPhotos.as_view(), name="api-album-photos"),
    path(
        "albums/<int:album_id>/photos/<int:photo_id>/",
        api.AlbumPhoto.as_view(),
        name="api-album-photo",
    ),
    path("albums/<int:album_id>/members/", api.AlbumMembers.as_view(), name="api-album-members"),
    path(
        "albums/<int:album_id>/members/<str:username>/",
        api.AlbumMember.as_view(),
        name="api-album-member",
    ),
    path("albums/<int:album_id>/pending/", api.AlbumPending.as_view(), name="api-album-pending"),
    path(
        "albums/<int:album_id>/pending/<int:photo_id>/",
        api.AlbumPendingDecision.as_view(),
        name="api-album-decision",
    ),
    path("albums/<int:album_id>/credits/", api.AlbumCredits.as_view(), name="api-album-credits"),
    path("albums/<int:album_id>/export/", api.AlbumExport.as_view(), name="api-album-export"),
]
