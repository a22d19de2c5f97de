from django.urls import path

from licensing import api

urlpatterns = [path("licenses/", api.LicenseList.as_view(), name="api-licenses")]
