"""Accounts: sign-up, log-in and out, password change and reset, profile and settings."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "dora",
    "email": "dora@example.org",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def test_signing_up_creates_the_person_with_a_profile_and_signs_them_in(client):
    response = client.post("/accounts/signup/", SIGNUP, follow=True)
    user = get_user_model().objects.get(username="dora")
    assert user.profile.name == "dora"
    assert response.context["user"] == user
    assert "Welcome to Brouette, dora" in response.content.decode()


def test_signing_up_with_mismatched_passwords_explains_the_problem(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "password2": "other"})
    assert response.status_code == 200
    assert "password fields didn’t match" in response.content.decode()
    assert not get_user_model().objects.filter(username="dora").exists()


def test_signing_up_twice_with_one_email_is_refused(client, alice):
    response = client.post("/accounts/signup/", {**SIGNUP, "email": "ALICE@example.org"})
    assert "already exists" in response.content.decode()


def test_logging_in_and_out(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == alice
    client.post("/accounts/logout/")
    assert client.get("/").context["user"].is_anonymous


def test_logging_in_with_a_wrong_password_says_so(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert "correct username and password" in response.content.decode()


def test_changing_the_password(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "correct horse battery",
            "new_password1": "another fine passphrase",
            "new_password2": "another fine passphrase",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another fine passphrase")


def test_resetting_a_forgotten_password_by_email(client, alice):
    client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "a brand new secret", "new_password2": "a brand new secret"}
    )
    alice.refresh_from_db()
    assert alice.check_password("a brand new secret")


def test_settings_page_changes_the_display_name_used_in_credits(client, alice):
    client.force_login(alice)
    client.post(
        "/accounts/settings/",
        {
            "display_name": "Alice P. Liddell",
            "bio": "",
            "website": "",
            "default_license": "CC-BY-SA-4.0",
            "default_visibility": "public",
            "default_tagging": "signed-in",
            "default_tag_review": "on",
        },
    )
    alice.profile.refresh_from_db()
    assert alice.profile.display_name == "Alice P. Liddell"
    assert alice.profile.default_license == "CC-BY-SA-4.0"
    page = client.get("/people/alice/").content.decode()
    assert "Alice P. Liddell" in page


def test_settings_refuse_a_license_not_offered_for_new_work(client, alice):
    client.force_login(alice)
    response = client.post(
        "/accounts/settings/",
        {"display_name": "", "default_license": "CC-BY-2.0", "default_visibility": "public"},
    )
    assert "Select a valid choice" in response.content.decode()


def test_settings_need_a_signed_in_person(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_profile_page_of_an_unknown_person_is_404(client):
    assert client.get("/people/nobody/").status_code == 404
