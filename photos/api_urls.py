from django.urls import path
from rest_framework.routers import SimpleRouter

from photos.api import DirectUploadFinish, DirectUploadStart, PhotoViewSet

router = SimpleRouter()
router.register("photos", PhotoViewSet, basename="api-photo")
urlpatterns = [
    path("photos/uploads/", DirectUploadStart.as_view(), name="api-upload-start"),
    path("photos/uploads/finish/", DirectUploadFinish.as_view(), name="api-upload-finish"),
    *router.urls,
]
