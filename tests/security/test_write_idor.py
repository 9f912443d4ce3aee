"""Write-IDOR: a therapist who posts another therapist's client, note, plan or
appointment id, in the URL or in a form field, changes nothing of theirs."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.test import Client as HttpClient
from django.urls import resolve

from tests.security.html_forms import HtmlForm, post_forms
from tests.security.world import (
    CLIENT_RECORD_KWARGS,
    browser_for,
    changes_describe,
    changes_touching,
    corner_pages,
    post_isolated,
    route_is_client_scoped,
    route_url,
    routes,
    world_build,
)

pytestmark = pytest.mark.django_db

# Form fields and query parameters that carry a record's id, by the word in their name.
ID_FIELDS = {
    "client": "client",
    "appointment": "appointment",
    "plan": "plan",
    "retest": "assessment",
    "assessment": "assessment",
    "screening": "screening",
    "note": "note",
}


@pytest.fixture
def world():
    return world_build()


def _harvest(browser: HttpClient, corner) -> dict[str, HtmlForm]:
    """The POST forms of every page of `corner`'s records, as its therapist sees them."""
    forms: dict[str, HtmlForm] = {}
    for url in corner_pages(corner):
        response = browser.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for form in post_forms(response.content.decode(), page_url=url):
                forms.setdefault(form.action, form)
    return forms


def _names_a_record(url: str) -> bool:
    """True for a URL that points at a client's record, in its path or its query string."""
    kwargs = resolve(urlsplit(url).path).kwargs
    return bool(set(kwargs) & CLIENT_RECORD_KWARGS or urlsplit(url).query)


def _form_routes(forms) -> set[str]:
    return {resolve(urlsplit(action).path).view_name for action in forms}


def test_posting_another_therapists_forms_to_their_urls_is_refused_and_changes_nothing(world):
    forms = _harvest(browser_for(world.other.therapist), world.other)
    posted = _form_routes(forms)
    # The harvest found the forms of the pages that write (not a vacuous pass).
    assert {
        "intake:client_edit",
        "intake:screening_create",
        "intake:assessment_create",
        "sessions:note_edit",
        "sessions:note_sign",
        "sessions:note_amend",
        "sessions:appointment_cancel",
        "sessions:appointment_book",
    } <= posted

    attacker = browser_for(world.own.therapist)
    problems = []
    for action, form in forms.items():
        if not _names_a_record(action):
            continue  # logout, a new client: forms that name nobody's record
        response, changes = post_isolated(attacker, action, form.data())
        status = response.status_code
        if status != 404 or changes:
            problems.append(f"POST {action}: {status} {changes_describe(changes)}")
    # POST routes whose form the other therapist's pages did not show: an empty POST.
    for route in routes():
        if route.name in posted or not route_is_client_scoped(route):
            continue
        url = route_url(route, world.other)
        response, changes = post_isolated(attacker, url, {})
        status = response.status_code
        if status not in {404, 405} or changes:
            problems.append(f"POST {url}: {status} {changes_describe(changes)}")
    assert problems == []


def _with_their_ids(form: HtmlForm, theirs: dict[str, int]) -> list[tuple[str, dict]]:
    """Variants of one of my forms, each with one id field or parameter set to theirs."""
    variants = []
    data = form.data()
    for name in [*data, *form.selects]:
        kind = next((kind for word, kind in ID_FIELDS.items() if word in name), None)
        if kind and name in data | dict.fromkeys(form.selects):
            variants.append((form.action, data | {name: [str(theirs[kind])]}))
    scheme, netloc, path, query, fragment = urlsplit(form.action)
    params = dict(parse_qsl(query))
    for name in params:
        kind = next((kind for word, kind in ID_FIELDS.items() if word in name), None)
        if kind:
            url = urlunsplit(
                (scheme, netloc, path, urlencode(params | {name: theirs[kind]}), fragment)
            )
            variants.append((url, data))
    return variants


def test_my_forms_carrying_another_therapists_ids_change_nothing_of_theirs(world):
    me = browser_for(world.own.therapist)
    forms = _harvest(me, world.own)
    theirs = {
        "client": world.other.client.pk,
        "appointment": world.other.appointment.pk,
        "plan": world.other.plan.pk,
        "assessment": world.other.assessment.pk,
        "screening": world.other.screening.pk,
        "note": world.other.note.pk,
    }
    variants = [variant for form in forms.values() for variant in _with_their_ids(form, theirs)]
    tried = {resolve(urlsplit(url).path).view_name for url, _ in variants}
    # The forms that name another record: the booking forms (query string), the plan form's
    # hidden appointment, the note form's appointment, plan and re-test choices.
    assert {
        "sessions:appointment_book",
        "sessions:appointment_series_book",
        "sessions:plan_review",
        "sessions:note_edit",
    } <= tried

    problems = []
    for url, data in variants:
        _response, changes = post_isolated(me, url, data)
        problems += [f"POST {url}: {problem}" for problem in changes_touching(changes, world.other)]
    assert problems == []
