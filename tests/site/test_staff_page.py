"""The manager's staff page: add a therapist or manager (who chooses their own password
through a one-time link emailed to them), correct details, deactivate and reactivate, and
hand a departing therapist's clients to a colleague."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.forms import ACCOUNT_DEACTIVATED
from accounts.services import LAST_MANAGER_REFUSED, staff_create
from core.models import AuditEvent
from core.roles import MANAGER, THERAPIST, user_is_manager
from intake.models import Client
from sciatica_clinic.reassign import REASSIGN_REASON
from sessions.models import Appointment
from tests.core.form_tokens import TokenClient
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

NEW = {
    "first_name": "Dana",
    "last_name": "Reyes",
    "email": "dana.reyes@clinic.example",
    "licence_number": "LMT-20931",
    "role": THERAPIST,
}
PASSWORD = "sacral-nerve-glide-7"


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _add(browser, **changes):
    return browser.post(reverse("staff_add"), NEW | changes, follow=True)


def test_the_manager_adds_a_therapist_who_sets_a_password_and_signs_in(manager_client, smtp_server):
    response = _add(manager_client)
    assert "a link to choose a password was emailed to dana.reyes@clinic.example" in _html(response)
    dana = User.objects.get(email="dana.reyes@clinic.example")
    assert (dana.username, dana.get_full_name()) == ("dana.reyes", "Dana Reyes")
    assert dana.staff_profile.licence_number == "LMT-20931"
    assert not user_is_manager(dana) and dana.groups.filter(name=THERAPIST).exists()
    assert not dana.has_usable_password()
    assert "Invited: no password yet" in _html(manager_client.get(reverse("staff_list")))

    (welcome,) = smtp_server.to("dana.reyes@clinic.example")
    assert welcome.subject == "Your staff account at Sciatica Clinic"
    assert "Your username is: dana.reyes" in welcome.body
    assert "Carol has made you a staff account" in welcome.body
    browser = HttpClient()
    page = browser.get(welcome.link(), follow=True)
    assert "Welcome: choose your password" in _html(page)
    browser.post(page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    signed_in = browser.post(reverse("login"), {"username": "dana.reyes", "password": PASSWORD})
    assert signed_in.status_code == 302
    # One time only.
    assert "This link no longer works" in _html(HttpClient().get(welcome.link(), follow=True))


def test_a_manager_can_be_added(manager_client, smtp_server):
    _add(manager_client, role=MANAGER, licence_number="")
    assert user_is_manager(User.objects.get(email="dana.reyes@clinic.example"))


def test_the_form_names_what_is_wrong(manager_client, therapist):
    therapist.email = "alice@clinic.example"
    therapist.save()
    response = _add(manager_client, email="ALICE@clinic.example", first_name="", role="Boss")
    html = _html(response)
    assert "Another staff account already uses ALICE@clinic.example" in html
    assert "This field is required" in html
    assert "Select a valid choice. Boss is not one of the available choices." in html
    assert not User.objects.filter(last_name="Reyes").exists()


def test_a_double_click_makes_one_account_and_sends_one_email(manager, smtp_server):
    browser = TokenClient()
    browser.force_login(manager)
    page = browser.get(reverse("staff_add"))
    token = page.context["form"]["form_token"].value()
    for _ in range(2):
        browser.post(reverse("staff_add"), NEW | {"form_token": token})
    assert User.objects.filter(email="dana.reyes@clinic.example").count() == 1
    assert len(smtp_server.messages) == 1


def test_a_mail_server_that_fails_leaves_the_account_and_says_so(manager_client, settings):
    from tests.accounts.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    response = _add(manager_client)
    assert "could not be sent" in _html(response)
    assert "Send a new sign-in link" in _html(response)
    assert User.objects.filter(email="dana.reyes@clinic.example").exists()


def test_a_new_link_can_be_sent(manager_client, smtp_server):
    dana = staff_create(**NEW)
    response = manager_client.post(reverse("staff_invite", args=[dana.pk]), follow=True)
    assert "A new sign-in link was emailed to dana.reyes@clinic.example" in _html(response)
    assert len(smtp_server.to("dana.reyes@clinic.example")) == 1


def test_the_manager_corrects_details_and_role(manager_client):
    dana = staff_create(**NEW)
    response = manager_client.post(
        reverse("staff_edit", args=[dana.pk]),
        NEW | {"last_name": "Reyes-Ortiz", "licence_number": "LMT-1", "role": MANAGER},
        follow=True,
    )
    assert "Dana Reyes-Ortiz's details are saved" in _html(response)
    dana.refresh_from_db()
    assert dana.last_name == "Reyes-Ortiz" and dana.staff_profile.licence_number == "LMT-1"
    assert user_is_manager(dana)


def test_the_last_manager_keeps_the_role(manager_client, manager):
    response = manager_client.post(
        reverse("staff_edit", args=[manager.pk]),
        {"first_name": "Carol", "last_name": "C", "email": "c@x.example", "role": THERAPIST},
    )
    assert LAST_MANAGER_REFUSED.format(name="Carol") in _html(response)
    assert user_is_manager(User.objects.get(pk=manager.pk))


# Deactivating ----------------------------------------------------------------------------------


def test_a_deactivated_therapist_cannot_sign_in_and_keeps_their_records(manager_client, therapist):
    client = ClientFactory(therapist=therapist)
    response = manager_client.post(reverse("staff_deactivate", args=[therapist.pk]), follow=True)
    html = _html(response)
    assert "Alice's account is deactivated" in html
    assert "They still have 1 client(s): hand them over." in html
    assert response.redirect_chain[-1][0] == reverse("staff_reassign", args=[therapist.pk])
    therapist.refresh_from_db()
    assert not therapist.is_active
    assert therapist.staff_profile.deactivated_by.username == "carol"
    assert Client.objects.get(pk=client.pk).therapist == therapist
    refused = HttpClient().post(
        reverse("login"), {"username": "alice", "password": "alice-password-1"}
    )
    assert ACCOUNT_DEACTIVATED in _html(refused)
    listed = _html(manager_client.get(reverse("staff_list")))
    assert "Deactivated" in listed and "by Carol" in listed


def test_the_manager_cannot_deactivate_themselves(manager_client, manager):
    response = manager_client.post(reverse("staff_deactivate", args=[manager.pk]), follow=True)
    assert "You cannot deactivate your own account" in _html(response)
    manager.refresh_from_db()
    assert manager.is_active


def test_reactivating_lets_them_sign_in_again(manager_client, therapist):
    manager_client.post(reverse("staff_deactivate", args=[therapist.pk]))
    response = manager_client.post(reverse("staff_reactivate", args=[therapist.pk]), follow=True)
    assert "Alice's account is active again" in _html(response)
    signed_in = HttpClient().post(
        reverse("login"), {"username": "alice", "password": "alice-password-1"}
    )
    assert signed_in.status_code == 302


# Handing clients over --------------------------------------------------------------------------


def test_a_departing_therapists_clients_and_booked_visits_go_to_a_colleague(
    manager_client, therapist, colleague
):
    first, second = ClientFactory(therapist=therapist), ClientFactory(therapist=therapist)
    theirs = ClientFactory(therapist=colleague)
    past = AppointmentFactory(client=first, therapist=therapist, starts_at=clinic_time(-3, 10))
    coming = AppointmentFactory(client=first, therapist=therapist, starts_at=clinic_time(3, 10))
    later = AppointmentFactory(client=second, therapist=therapist, starts_at=clinic_time(4, 11))
    manager_client.post(reverse("staff_deactivate", args=[therapist.pk]))
    response = manager_client.post(
        reverse("staff_reassign", args=[therapist.pk]), {"colleague": colleague.pk}, follow=True
    )
    assert "2 client(s) and 2 booked visit(s) of Alice are now Bob's" in _html(response)
    assert set(Client.objects.filter(therapist=colleague)) == {first, second, theirs}
    assert Appointment.objects.get(pk=coming.pk).therapist == colleague
    assert Appointment.objects.get(pk=later.pk).therapist == colleague
    assert Appointment.objects.get(pk=past.pk).therapist == therapist
    # In each client's history, with who and why; and in the audit trail.
    record = first.history.latest()
    assert record.therapist_id == colleague.pk
    assert record.history_user.username == "carol"
    assert record.history_change_reason == REASSIGN_REASON.format(
        old="Alice", new="Bob", by="Carol"
    )
    events = AuditEvent.objects.filter(url_name="staff_reassign")
    assert {(e.client_id, e.action, e.user.username) for e in events} == {
        (first.pk, "change", "carol"),
        (second.pk, "change", "carol"),
    }
    # The colleague now sees them; a repeat finds nothing to move.
    bob = HttpClient()
    bob.force_login(colleague)
    assert bob.get(reverse("intake:client_chart", args=[first.pk])).status_code == 200
    again = manager_client.post(
        reverse("staff_reassign", args=[therapist.pk]), {"colleague": colleague.pk}
    )
    assert "Alice has no clients to hand over." in _html(again)


def test_a_clash_in_the_colleagues_calendar_moves_nothing(manager_client, therapist, colleague):
    client = ClientFactory(therapist=therapist, first_name="Ada", last_name="Moss")
    AppointmentFactory(client=client, therapist=therapist, starts_at=clinic_time(3, 10))
    AppointmentFactory(
        client=ClientFactory(therapist=colleague), therapist=colleague, starts_at=clinic_time(3, 10)
    )
    response = manager_client.post(
        reverse("staff_reassign", args=[therapist.pk]), {"colleague": colleague.pk}
    )
    assert "Nothing was handed over: 1 booked visit(s) clash with Bob's calendar" in _html(response)
    assert Client.objects.get(pk=client.pk).therapist == therapist
    assert not AuditEvent.objects.filter(url_name="staff_reassign").exists()


def test_only_an_active_colleague_can_take_them(manager_client, therapist, colleague):
    ClientFactory(therapist=therapist)
    manager_client.post(reverse("staff_deactivate", args=[colleague.pk]))
    response = manager_client.post(
        reverse("staff_reassign", args=[therapist.pk]), {"colleague": colleague.pk}
    )
    assert "Select a valid choice" in _html(response)
    assert not Client.objects.filter(therapist=colleague).exists()


# Who may -------------------------------------------------------------------------------------


PAGES = ("staff_list", "staff_add", "staff_edit", "staff_reassign")


def _url(name, user):
    return (
        reverse(name, args=[user.pk]) if name in {"staff_edit", "staff_reassign"} else reverse(name)
    )


@pytest.mark.parametrize("name", PAGES)
def test_the_manager_opens_every_staff_page(manager_client, therapist, name):
    assert manager_client.get(_url(name, therapist)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_therapist_is_refused_every_staff_page(therapist_client, therapist, name):
    response = therapist_client.get(_url(name, therapist))
    assert response.status_code == 403
    assert "Only the clinic manager manages staff accounts" in _html(response)


@pytest.mark.parametrize("name", PAGES)
def test_nobody_signed_out_reaches_them(client, therapist, name):
    response = client.get(_url(name, therapist))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_therapist_cannot_deactivate_anyone(therapist_client, colleague):
    assert (
        therapist_client.post(reverse("staff_deactivate", args=[colleague.pk])).status_code == 403
    )
    colleague.refresh_from_db()
    assert colleague.is_active


def test_only_the_manager_sees_the_staff_link(manager, therapist):
    for user, shown in ((manager, True), (therapist, False)):
        browser = HttpClient()
        browser.force_login(user)
        assert (f'href="{reverse("staff_list")}"' in _html(browser.get(reverse("home")))) is shown


def test_the_staff_list_costs_the_same_queries_for_many_staff(
    manager_client, django_assert_max_num_queries
):
    for number in range(30):
        user = staff_create(
            first_name=f"T{number}", last_name="X", email=f"t{number}@x.example", role=THERAPIST
        )
        ClientFactory(therapist=user)
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("staff_list"))
    assert "31 accounts" in _html(response)


def test_the_handover_page_says_only_visits_booked_from_now_on_move(
    manager_client, therapist, colleague
):
    client = ClientFactory(therapist=therapist)
    AppointmentFactory(client=client, therapist=therapist, starts_at=clinic_time(3, 10))

    page = _html(manager_client.get(reverse("staff_reassign", args=[therapist.pk])))

    assert "Only visits still booked from now on move." in page
    assert "a visit whose start time has already passed, even today" in page
    assert "a visit in progress (checked in): Alice finishes it and signs its note" in page


def test_todays_visit_whose_start_has_passed_stays_with_the_departing_therapist(
    manager_client, therapist, colleague
):
    client = ClientFactory(therapist=therapist)
    started = AppointmentFactory(
        client=client, therapist=therapist, starts_at=timezone.now() - timedelta(minutes=10)
    )
    in_progress = AppointmentFactory(
        client=client,
        therapist=therapist,
        starts_at=timezone.now() - timedelta(minutes=90),
        status=Appointment.Status.CHECKED_IN,
    )

    manager_client.post(reverse("staff_reassign", args=[therapist.pk]), {"colleague": colleague.pk})

    assert Client.objects.get(pk=client.pk).therapist == colleague
    assert Appointment.objects.get(pk=started.pk).therapist == therapist
    assert Appointment.objects.get(pk=in_progress.pk).therapist == therapist
