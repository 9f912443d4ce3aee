"""`manage.py clinic_manager_create`: the clinic's first manager, asked for or read from the
environment; safe to run again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accounts.services import staff_create
from core.roles import MANAGER, THERAPIST, user_is_manager

pytestmark = pytest.mark.django_db

ENVIRONMENT = {
    "CLINIC_MANAGER_FIRST_NAME": "Maria",
    "CLINIC_MANAGER_LAST_NAME": "Lopez",
    "CLINIC_MANAGER_EMAIL": "maria.lopez@clinic.example",
    "CLINIC_MANAGER_PASSWORD": "a-long-and-unusual-passphrase",
}


@pytest.fixture
def environment(monkeypatch):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_the_manager_is_created_from_the_environment_and_can_sign_in(environment, capsys):
    call_command("clinic_manager_create", "--no-input")
    user = User.objects.get(email="maria.lopez@clinic.example")
    assert user.username == "maria.lopez"
    assert user.get_full_name() == "Maria Lopez"
    assert user_is_manager(user)
    assert user.check_password("a-long-and-unusual-passphrase")
    assert "sign in as 'maria.lopez'" in capsys.readouterr().out


def test_the_new_manager_signs_in(environment, client):
    call_command("clinic_manager_create", "--no-input")
    response = client.post(
        "/accounts/login/",
        {"username": "maria.lopez", "password": "a-long-and-unusual-passphrase"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_a_username_can_be_chosen(environment):
    environment.setenv("CLINIC_MANAGER_USERNAME", "boss")
    call_command("clinic_manager_create", "--no-input")
    assert User.objects.get(username="boss").email == "maria.lopez@clinic.example"


def test_running_it_again_changes_nothing(environment, capsys):
    call_command("clinic_manager_create", "--no-input")
    environment.setenv("CLINIC_MANAGER_EMAIL", "someone.else@clinic.example")
    call_command("clinic_manager_create", "--no-input")
    assert User.objects.count() == 1
    assert "already has a manager (maria.lopez): nothing changed" in capsys.readouterr().out


def test_missing_variables_are_named(environment):
    environment.delenv("CLINIC_MANAGER_PASSWORD")
    environment.delenv("CLINIC_MANAGER_EMAIL")
    with pytest.raises(CommandError, match="Set CLINIC_MANAGER_EMAIL, CLINIC_MANAGER_PASSWORD"):
        call_command("clinic_manager_create", "--no-input")
    assert not User.objects.exists()


def test_a_weak_password_is_refused_by_the_validators(environment):
    environment.setenv("CLINIC_MANAGER_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="Password: This password is too common"):
        call_command("clinic_manager_create", "--no-input")
    assert not User.objects.exists()


def test_a_bad_or_used_email_is_refused(environment):
    staff_create(
        first_name="T", last_name="One", email="maria.lopez@clinic.example", role=THERAPIST
    )
    with pytest.raises(CommandError, match="an account already uses maria.lopez@clinic.example"):
        call_command("clinic_manager_create", "--no-input")
    environment.setenv("CLINIC_MANAGER_EMAIL", "not-an-address")
    with pytest.raises(CommandError, match="is not an email address"):
        call_command("clinic_manager_create", "--no-input")
    assert not User.objects.filter(groups__name=MANAGER).exists()


def test_interactive_asks_again_for_a_weak_or_mistyped_password(monkeypatch, capsys):
    answers = iter(["Maria", "Lopez", "maria@clinic.example"])
    passwords = iter(
        ["password", "password", "one-long-passphrase", "another", *["one-long-passphrase"] * 2]
    )
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("clinic_manager_create")
    errors = capsys.readouterr().err
    assert "This password is too common" in errors
    assert "The two passwords differ" in errors
    user = User.objects.get(username="maria")
    assert user.check_password("one-long-passphrase")
    assert user_is_manager(user)
