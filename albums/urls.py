"""Album pages, notifications and the album feed."""

from django.urls import path

from albums import feeds, views

urlpatterns = [
    path("albums/", views.album_list, name="albums"),
    path("albums/new/", views.album_create, name="album-create"),
    path("albums/add-photo/", views.album_add_photo, name="album-add-photo"),
    path("albums/<int:album_id>/", views.album_detail, name="album"),
    path("albums/<int:album_id>/edit/", views.album_edit, name="album-edit"),
    path("albums/<int:album_id>/delete/", views.album_delete, name="album-delete"),
    path("albums/<int:album_id>/join/", views.album_join, name="album-join"),
    path("albums/<int:album_id>/leave/", views.album_leave, name="album-leave"),
    path("albums/<int:album_id>/members/", views.album_members, name="album-members"),
    path(
        "albums/<int:album_id>/members/act/",
        views.album_member_action,
        name="album-member-action",
    ),
    path("albums/<int:album_id>/moderation/", views.album_moderation, name="album-moderation"),
    path(
        "albums/<int:album_id>/photos/<int:photo_id>/",
        views.album_item_action,
        name="album-item-action",
    ),
    path("albums/<int:album_id>/reorder/", views.album_reorder, name="album-reorder"),
    path("albums/<int:album_id>/activity/", views.album_activity, name="album-activity"),
    path("albums/<int:album_id>/credits/", views.album_credits, name="album-credits"),
    path("albums/<int:album_id>/export/", views.album_export, name="album-export"),
    path("feeds/album/<int:album_id>/", feeds.AlbumFeed(), name="album-feed"),
    path("notifications/", views.notifications, name="notifications"),
]
