"""Photo pages."""

from django.urls import path, re_path

from photos import feeds, moderation, search_views, tag_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("photos/relicense/", views.photos_relicense, name="photos-relicense"),
    path("people/<str:username>/", views.person, name="person"),
    path("people/<str:username>/tags/", tag_views.person_tags, name="person-tags"),
    path("moderation/duplicates/", moderation.duplicate_queue, name="moderation-duplicates"),
    path(
        "moderation/duplicates/<int:match_id>/reviewed/",
        moderation.duplicate_reviewed,
        name="moderation-duplicate-reviewed",
    ),
    path("tags/", tag_views.tag_cloud, name="tags"),
    path("tags/<str:slug>/", tag_views.tag_detail, name="tag"),
    path(
        "tags/<str:slug>/remove-everywhere/",
        tag_views.tag_remove_everywhere,
        name="tag-remove-everywhere",
    ),
    path("feeds/tag/<str:slug>/", feeds.TagFeed(), name="tag-feed"),
    path("feeds/user/<str:username>/", feeds.UserFeed(), name="user-feed"),
    path("photos/bulk-tag/", tag_views.bulk_tag, name="photos-bulk-tag"),
    path("search/", search_views.search_page, name="search"),
    path("search/feed/", search_views.SearchFeed(), name="search-feed"),
    path("explore/", search_views.explore, name="explore"),
    path("photos/<int:photo_id>/", views.photo_detail, name="photo"),
    path("photos/<int:photo_id>/edit/", views.photo_edit, name="photo-edit"),
    path("photos/<int:photo_id>/delete/", views.photo_delete, name="photo-delete"),
    path("photos/<int:photo_id>/retry/", views.photo_retry, name="photo-retry"),
    path("photos/<int:photo_id>/favorite/", views.photo_favorite, name="photo-favorite"),
    path("photos/<int:photo_id>/comments/", views.photo_comment, name="photo-comment"),
    re_path(r"^media/renditions/(?P<path>.+)$", views.public_rendition, name="public-media"),
    path(
        "photos/<int:photo_id>/r/<str:name>.<str:fmt>",
        views.rendition,
        name="rendition",
    ),
]
