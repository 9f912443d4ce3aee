import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_is_served(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_the_health_check_answers_without_login(client):
    assert client.get(reverse("healthz")).content == b"ok"


def test_an_anonymous_user_is_redirected_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_therapist_logs_in_with_a_password_and_sees_the_home_page(client, therapist):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "alice-password-1"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == therapist
    assert b"Welcome, Alice" in response.content


def test_a_wrong_password_is_refused_with_a_message(client, therapist):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert b"correct username and password" in response.content


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.models import User

    from sciatica_clinic import settings as configured

    # The suite hashes with MD5 for speed (conftest.py); put the configured hashers back.
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user = User.objects.create_user(username="dora", password="dora-password-1")
    assert user.password.startswith("argon2$")


def test_logout_ends_the_session(therapist_client):
    therapist_client.post(reverse("logout"))
    assert therapist_client.get(reverse("home")).status_code == 302


def test_the_manager_sees_the_manager_navigation(manager_client):
    assert b"Clinic manager" in manager_client.get(reverse("home")).content


def test_both_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Therapist", "Clinic manager"}


def test_an_unknown_page_shows_the_friendly_404(therapist_client):
    response = therapist_client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
