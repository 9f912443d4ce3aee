"""The authorization matrix: every URL of the project, walked from the resolver, x
role (anonymous, owner therapist, other therapist, manager) x object (the owner's, someone
else's) x method: the expected status, and a therapist never sees the other therapist's client.

Every URL name needs an entry below: a new URL without one fails
`test_every_url_of_the_project_has_an_entry`.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.utils.html import escape

from intake.access import CLINICAL_WRITE_REFUSED
from tests.security.world import (
    OTHER_NAME,
    OWN_NAME,
    route_is_client_scoped,
    route_url,
    routes,
    world_build,
)
from tests.sessions.documents.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


class Expect(NamedTuple):
    """Statuses by who asks: nobody signed in, the therapist who owns the record, another
    therapist, the clinic manager. On a URL that names no client's record both therapists
    ask as "owner" (the object does not matter there)."""

    anonymous: int
    owner: int
    other: int
    manager: int


LOGIN = 302  # to the login page
REFUSED = Expect(405, 405, 405, 405)  # the method is not allowed, whoever asks
OWNER_AND_MANAGER = Expect(LOGIN, 200, 404, 200)  # a client's page: a colleague gets 404
OWNER_AND_MANAGER_REDIRECT = Expect(LOGIN, 302, 404, 302)  # a client's action, then back
# Clinical writes (README "Roles"): the client's own therapist only; the manager, who reads
# the whole record, gets 403 with the reason (intake.access.CLINICAL_WRITE_REFUSED).
OWNER_ONLY = Expect(LOGIN, 200, 404, 403)
OWNER_ONLY_REDIRECT = Expect(LOGIN, 302, 404, 403)
STAFF = Expect(LOGIN, 200, 200, 200)  # any signed-in staff member
MANAGER_ONLY = Expect(LOGIN, 403, 403, 200)
EVERYONE = Expect(200, 200, 200, 200)
MANAGER_ONLY_REDIRECT = Expect(LOGIN, 403, 403, 302)

# URL name -> (GET, POST). A POST is sent empty: a form answers 200 with its errors, an
# action redirects (302) with its message.
MATRIX: dict[str, tuple[Expect, Expect]] = {
    "home": (STAFF, REFUSED),
    "healthz": (Expect(200, 200, 200, 200), REFUSED),
    "readyz": (Expect(200, 200, 200, 200), REFUSED),
    "login": (Expect(200, 302, 302, 302), Expect(200, 302, 302, 302)),
    "logout": (REFUSED, Expect(302, 302, 302, 302)),
    "audit_log": (MANAGER_ONLY, REFUSED),
    # accounts: one's own password; a forgotten one, asked for signed out (or in)
    # the staff page: the manager's alone
    "staff_list": (MANAGER_ONLY, REFUSED),
    "staff_add": (MANAGER_ONLY, MANAGER_ONLY),
    "staff_edit": (MANAGER_ONLY, MANAGER_ONLY),
    "staff_deactivate": (REFUSED, MANAGER_ONLY_REDIRECT),
    "staff_reactivate": (REFUSED, MANAGER_ONLY_REDIRECT),
    "staff_invite": (REFUSED, MANAGER_ONLY_REDIRECT),
    "staff_reassign": (MANAGER_ONLY, MANAGER_ONLY),
    "staff_two_factor_reset": (REFUSED, MANAGER_ONLY_REDIRECT),
    "accounts:account": (STAFF, REFUSED),
    "accounts:clinic_profile": (MANAGER_ONLY, MANAGER_ONLY),
    "accounts:clinic_email_check": (REFUSED, MANAGER_ONLY_REDIRECT),
    # two-factor: one's own; without an authenticator the code page sends to the setup
    "accounts:two_factor_verify": (Expect(LOGIN, 302, 302, 302), Expect(LOGIN, 302, 302, 302)),
    "accounts:two_factor_setup": (STAFF, STAFF),
    "accounts:two_factor_recovery_codes": (REFUSED, Expect(LOGIN, 302, 302, 302)),
    "accounts:two_factor_off": (REFUSED, Expect(LOGIN, 302, 302, 302)),
    "accounts:password_change": (STAFF, STAFF),
    "accounts:password_reset": (EVERYONE, EVERYONE),
    "accounts:password_reset_done": (EVERYONE, REFUSED),
    "accounts:password_reset_confirm": (EVERYONE, EVERYONE),  # a spent link says so
    "accounts:welcome": (EVERYONE, EVERYONE),
    # intake
    "intake:client_list": (STAFF, REFUSED),
    "intake:client_create": (STAFF, STAFF),
    # the public ICD-10-CM code set, no client's record
    "intake:diagnosis_code_search": (STAFF, REFUSED),
    "intake:client_chart": (OWNER_AND_MANAGER, REFUSED),
    "intake:screening_list": (OWNER_AND_MANAGER, REFUSED),
    "intake:assessment_list": (OWNER_AND_MANAGER, REFUSED),
    # the manager edits identity and contact only (intake.forms.ClientForm without `clinical`)
    "intake:client_edit": (OWNER_AND_MANAGER, OWNER_AND_MANAGER),
    "intake:health_history_edit": (OWNER_ONLY, OWNER_ONLY),
    "intake:screening_create": (OWNER_ONLY, OWNER_ONLY),
    "intake:assessment_create": (OWNER_ONLY, OWNER_ONLY),
    "intake:clearance_create": (OWNER_ONLY, OWNER_ONLY),
    "intake:psfs_create": (OWNER_ONLY, OWNER_ONLY),
    "intake:oswestry_create": (OWNER_ONLY, OWNER_ONLY),
    # the intake link: the front desk's part (the manager too) issues and revokes; the client's
    # answers are read by the manager and accepted by the therapist (a clinical write)
    "intake:intake_link_issue": (REFUSED, OWNER_AND_MANAGER_REDIRECT),  # no token: back
    "intake:intake_link_revoke": (REFUSED, OWNER_AND_MANAGER_REDIRECT),
    "intake:intake_submission_review": (OWNER_AND_MANAGER, OWNER_ONLY),
    # the client's pages: no login, the token is the key (one no longer valid: 404 for all)
    "portal:intake_form": (Expect(404, 404, 404, 404), Expect(404, 404, 404, 404)),
    "portal:intake_sent": (Expect(404, 404, 404, 404), REFUSED),
    # the library: everyone reads, the manager edits
    "protocols:technique_list": (STAFF, REFUSED),
    "protocols:technique_detail": (STAFF, REFUSED),
    "protocols:exercise_list": (STAFF, REFUSED),
    "protocols:exercise_detail": (STAFF, REFUSED),
    "protocols:stage_list": (STAFF, REFUSED),
    "protocols:stage_detail": (STAFF, REFUSED),
    "protocols:template_list": (STAFF, REFUSED),
    "protocols:template_detail": (STAFF, REFUSED),
    "protocols:history": (MANAGER_ONLY, REFUSED),
    "protocols:library_export": (MANAGER_ONLY, REFUSED),
    "protocols:library_import": (MANAGER_ONLY, MANAGER_ONLY),
    "protocols:item_create": (MANAGER_ONLY, MANAGER_ONLY),
    "protocols:item_edit": (MANAGER_ONLY, MANAGER_ONLY),
    "protocols:item_retire": (REFUSED, Expect(LOGIN, 403, 403, 302)),
    # an empty POST names no direction to move in
    "protocols:item_move": (REFUSED, Expect(LOGIN, 403, 403, 404)),
    # booking: the manager does the front desk's part; check-in (a red-flag re-screen) and
    # completing a visit are clinical
    "sessions:today": (STAFF, REFUSED),
    # the manager's all-therapists week is the day grid, one column per therapist: a redirect
    "sessions:calendar": (Expect(LOGIN, 200, 200, 302), REFUSED),
    "sessions:calendar_day": (STAFF, REFUSED),
    "sessions:appointment_book": (STAFF, STAFF),
    "sessions:appointment_series_book": (STAFF, STAFF),
    # without a series just booked there is nothing to show: back to the calendar
    "sessions:appointment_series_result": (Expect(LOGIN, 302, 302, 302), REFUSED),
    "sessions:appointment_detail": (OWNER_AND_MANAGER, REFUSED),
    "sessions:appointment_reschedule": (OWNER_AND_MANAGER, OWNER_AND_MANAGER),
    "sessions:appointment_check_in": (OWNER_ONLY, OWNER_ONLY),
    "sessions:appointment_cancel": (REFUSED, OWNER_AND_MANAGER_REDIRECT),
    # a refused state change shows the visit as it is now, with the reason (no redirect):
    # the visit has not started (no no-show yet) and is not checked in (nothing to complete)
    "sessions:appointment_no_show": (REFUSED, OWNER_AND_MANAGER),
    "sessions:appointment_refuse": (REFUSED, OWNER_AND_MANAGER),
    "sessions:appointment_complete": (REFUSED, OWNER_ONLY),
    "sessions:run_sheet": (OWNER_AND_MANAGER, REFUSED),
    # the run sheet's timer buttons: the treating therapist's (an empty press is refused and
    # sent back to the run sheet with the reason)
    "sessions:run_sheet_clock": (REFUSED, OWNER_ONLY_REDIRECT),
    # the workspace's one-click accept of the suggested plan: clinical; an empty POST is
    # refused with its message and sent back to the workspace
    "sessions:visit_plan_accept": (REFUSED, OWNER_ONLY_REDIRECT),
    # planning: the manager reads accepted plans; proposing one is the therapist's work
    "sessions:plan_list": (OWNER_AND_MANAGER, REFUSED),
    "sessions:plan_new": (OWNER_ONLY, REFUSED),
    "sessions:plan_review": (REFUSED, OWNER_ONLY),
    "sessions:plan_detail": (OWNER_AND_MANAGER, REFUSED),
    # charting: the manager reads every note and writes none
    "sessions:note_list": (OWNER_AND_MANAGER, REFUSED),
    "sessions:note_create": (OWNER_ONLY, OWNER_ONLY),
    "sessions:note_detail": (OWNER_AND_MANAGER, REFUSED),
    "sessions:note_edit": (OWNER_ONLY, OWNER_ONLY),
    "sessions:note_sign": (REFUSED, OWNER_ONLY_REDIRECT),
    "sessions:note_amend": (REFUSED, OWNER_ONLY),  # a form: refused, shown again
    # printing
    "sessions:note_pdf": (OWNER_AND_MANAGER, REFUSED),
    "sessions:referral_letter": (OWNER_AND_MANAGER, REFUSED),
    "sessions:home_care_sheet": (OWNER_AND_MANAGER, REFUSED),
    # billing: the manager keeps the front desk (payments) and the fee schedule
    "billing:client_billing": (OWNER_AND_MANAGER, REFUSED),
    "billing:payment_create": (OWNER_AND_MANAGER, OWNER_AND_MANAGER),  # a form: errors, 200
    "billing:superbill_pdf": (OWNER_AND_MANAGER, REFUSED),
    "billing:superbill_range_pdf": (OWNER_AND_MANAGER, REFUSED),
    "billing:progress_report_pdf": (OWNER_AND_MANAGER, REFUSED),
    "billing:record_export": (OWNER_AND_MANAGER, REFUSED),
    "billing:procedure_codes": (STAFF, MANAGER_ONLY),  # an empty POST: the form's errors
    "billing:providers": (MANAGER_ONLY, MANAGER_ONLY),
}


def test_every_url_of_the_project_has_an_entry():
    names = {route.name for route in routes()}
    assert sorted(names - MATRIX.keys()) == [], "add these URLs to MATRIX"
    assert sorted(MATRIX.keys() - names) == [], "these MATRIX entries name no URL"


def _relation(user, corner, route) -> str:
    if user is None:
        return "anonymous"
    if user.username == "carol":
        return "manager"
    if not route_is_client_scoped(route) or corner.therapist == user:
        return "owner"
    return "other"


def _refusal(corner) -> str:
    """The sentence the 403 page gives the manager on a clinical write, as the HTML has it."""
    name = corner.therapist.get_full_name() or corner.therapist.username
    return escape(CLINICAL_WRITE_REFUSED.format(therapist=name))


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(response.content)
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("role", ["anonymous", "alice", "bob", "carol"])
def test_every_url_answers_each_role_as_the_matrix_says(role):
    world = world_build()
    user = {
        "anonymous": None,
        "alice": world.own.therapist,
        "bob": world.other.therapist,
        "carol": world.manager,
    }[role]
    # A therapist must never read the other therapist's client's name; nobody signed out may
    # read either.
    hidden = {
        "anonymous": [OWN_NAME[1], OTHER_NAME[1]],
        "alice": [OTHER_NAME[1]],
        "bob": [OWN_NAME[1]],
        "carol": [],
    }[role]
    browser = HttpClient()
    if user:
        browser.force_login(user)

    wrong, leaks, cells = [], [], 0
    for route in routes():
        corners = (world.own, world.other) if route_is_client_scoped(route) else (world.own,)
        for corner in corners:
            url = route_url(route, corner)
            relation = _relation(user, corner, route)
            for method, expect in zip(("get", "post"), MATRIX[route.name], strict=True):
                with transaction.atomic():
                    response = getattr(browser, method)(url)
                    text = _text(response)
                    transaction.set_rollback(True)
                if route.name == "logout" and user:
                    browser.force_login(user)
                cells += 1
                if response.status_code != getattr(expect, relation):
                    wrong.append(
                        f"{method.upper()} {route.name} as {relation}: "
                        f"{response.status_code}, expected {getattr(expect, relation)}"
                    )
                leaks += [f"{method.upper()} {url} shows {name}" for name in hidden if name in text]
                # A clinical write refused to the manager says why (intake.access).
                refused_to_manager = relation == "manager" and response.status_code == 403
                if refused_to_manager and _refusal(corner) not in text:
                    wrong.append(f"{method.upper()} {route.name}: 403 without the reason")
    assert wrong == []
    assert leaks == []
    assert cells >= 2 * len(MATRIX)
