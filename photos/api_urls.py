from rest_framework.routers import SimpleRouter

from photos.api import PhotoViewSet

router = SimpleRouter()
router.register("photos", PhotoViewSet, basename="api-photo")
urlpatterns = router.urls
