from django.urls import path
from rest_framework.routers import SimpleRouter

from photos import tag_api
from photos.api import DirectUploadFinish, DirectUploadStart, PhotoViewSet

router = SimpleRouter()
router.register("photos", PhotoViewSet, basename="api-photo")
urlpatterns = [
    path("photos/uploads/", DirectUploadStart.as_view(), name="api-upload-start"),
    path("photos/uploads/finish/", DirectUploadFinish.as_view(), name="api-upload-finish"),
    path("photos/<int:pk>/tags/", tag_api.PhotoTags.as_view(), name="api-photo-tags"),
    path("photos/<int:pk>/tags/<str:slug>/", tag_api.PhotoTag.as_view(), name="api-photo-tag"),
    path(
        "photos/<int:pk>/suggestions/",
        tag_api.PhotoSuggestions.as_view(),
        name="api-photo-suggestions",
    ),
    path(
        "photos/<int:pk>/suggestions/<str:slug>/",
        tag_api.PhotoSuggestion.as_view(),
        name="api-photo-suggestion",
    ),
    path("tags/", tag_api.TagList.as_view(), name="api-tags"),
    path("tags/<str:slug>/", tag_api.TagDetail.as_view(), name="api-tag"),
    *router.urls,
]
