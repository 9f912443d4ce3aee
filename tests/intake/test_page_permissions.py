"""Who may open each intake page: the owner and the manager; a colleague gets 404; anonymous
users go to the login page. The clinical forms (history, screening, assessment) are the
owner's alone: the manager gets 403. GET and POST alike, and a refused POST saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.models import Assessment, Client, HealthHistory, Screening
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db

CLIENT_PAGES = [
    "intake:client_chart",
    "intake:client_edit",
    "intake:health_history_edit",
    "intake:screening_create",
    "intake:assessment_create",
]
WRITE_PAGES = CLIENT_PAGES[1:]
CLINICAL_PAGES = CLIENT_PAGES[2:]


@pytest.fixture
def record(therapist):
    return ClientFactory(therapist=therapist)


@pytest.mark.parametrize("name", CLIENT_PAGES)
def test_the_owning_therapist_opens_the_page(therapist_client, record, name):
    assert therapist_client.get(reverse(name, args=[record.pk])).status_code == 200


@pytest.mark.parametrize("name", ["intake:client_chart", "intake:client_edit"])
def test_the_manager_opens_the_chart_and_the_contact_details(manager_client, record, name):
    assert manager_client.get(reverse(name, args=[record.pk])).status_code == 200


@pytest.mark.parametrize("name", CLINICAL_PAGES)
def test_the_manager_is_refused_the_clinical_forms_with_the_reason(manager_client, record, name):
    response = manager_client.get(reverse(name, args=[record.pk]))
    assert response.status_code == 403
    assert "this client&#x27;s therapist, records clinical information" in response.content.decode()


@pytest.mark.parametrize("name", CLIENT_PAGES)
def test_a_colleague_gets_not_found(colleague_client, record, name):
    assert colleague_client.get(reverse(name, args=[record.pk])).status_code == 404


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_a_colleague_posting_gets_not_found_and_nothing_changes(colleague_client, record, name):
    response = colleague_client.post(
        reverse(name, args=[record.pk]), {"first_name": "Changed", "last_name": "Name"}
    )
    assert response.status_code == 404
    assert Client.objects.get(pk=record.pk).first_name == record.first_name
    assert not Screening.objects.exists()
    assert not Assessment.objects.exists()
    assert not HealthHistory.objects.exists()


@pytest.mark.parametrize("name", CLIENT_PAGES)
def test_an_anonymous_visitor_is_sent_to_login(client, record, name):
    url = reverse(name, args=[record.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["intake:client_list", "intake:client_create"])
def test_the_list_and_the_new_client_page_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["intake:client_list", "intake:client_create"])
def test_therapist_and_manager_open_the_list_and_the_new_client_page(
    therapist, manager, client, name
):
    for user in (therapist, manager):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 200


def test_an_unknown_client_is_not_found(therapist_client):
    assert therapist_client.get(reverse("intake:client_chart", args=[999999])).status_code == 404


def test_the_chart_refuses_post(therapist_client, record):
    response = therapist_client.post(reverse("intake:client_chart", args=[record.pk]))
    assert response.status_code == 405
