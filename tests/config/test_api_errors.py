"""Every API error has the contract's shape, including 404 and 500."""

import pytest
from django.test import override_settings
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config import urls as site_urls


@api_view(["GET"])
@permission_classes([AllowAny])
def explode(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/v1/explode/", explode), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def assert_error(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"].strip()
    return body["error"]


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404(client):
    assert_error(client.get("/api/v1/nothing-here/"), 404, "not_found")


@pytest.mark.django_db
def test_unknown_page_answers_html_404(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert b"Not found" in response.content


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_unexpected_api_failure_answers_json_500(client):
    client.raise_request_exception = False
    assert_error(client.get("/api/v1/explode/"), 500, "server_error")


@pytest.mark.django_db
def test_writing_without_credentials_answers_401(api):
    error = assert_error(api.post("/api/v1/photos/", {}), 401, "not_authenticated")
    assert "credentials" in error["message"].lower()


@pytest.mark.django_db
def test_bad_token_credentials_answer_400_with_fields(api, alice):
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"})
    error = assert_error(response, 400, "invalid")
    assert error["fields"]["non_field_errors"]


@pytest.mark.django_db
def test_token_from_username_and_password_authenticates_requests(api, alice):
    response = api.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "correct horse battery"}
    )
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/photos/").status_code == 200


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/photos/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn.jsdelivr" not in docs and "unpkg.com" not in docs


@pytest.mark.django_db
def test_license_catalogue_lists_every_license_with_its_flags(client):
    licenses = client.get("/api/v1/licenses/").json()
    by_id = {lic["id"]: lic for lic in licenses}
    assert by_id["CC-BY-NC-4.0"]["allows_commercial_use"] is False
    assert by_id["CC-BY-SA-4.0"]["allows_modification"] is True
    assert by_id["CC0-1.0"]["is_public_domain"] is True
    assert by_id["CC-BY-2.0"]["selectable"] is False
    assert "all-rights-reserved" in by_id
