"""Safety follows the client through any sequence of visits (clinical rules §2.1-2.3).

A Hypothesis state machine drives random sequences of screenings, check-in re-screens,
medical clearances, plans and notes, by random members of staff through the pages where a
role matters, and checks after every step:
- the status the client carries (stored), the rule's value over the records, and the status
  the chart, the visit's page (therapist and manager) and the week calendar show are one
  and the same;
- a red flag never disappears without a clearance (the machine keeps its own account);
- no plan is accepted and no note with massage is signed while the status forbids treatment.
"""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from core.vocabulary import Position, Pressure, Stage
from intake import services as intake_services
from intake.models import MedicalClearance
from intake.rules import (
    ABSOLUTE_CONTRAINDICATION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    RELATIVE_CONTRAINDICATION_QUESTIONS,
)
from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT, SafetyStatus
from sessions.charting.services import TechniqueRow, note_sign, note_start
from sessions.models import Appointment, SessionNote, SessionPlan
from sessions.planning.planner import Plan, RefusalKind
from sessions.planning.services import PlanRequest, plan_accept, plan_propose
from tests.core.form_tokens import TokenClient as Browser
from tests.intake.factories import AssessmentFactory, ClientFactory, HealthHistoryFactory
from tests.sessions.factories import AppointmentFactory, clinic_time, library_into_database

pytestmark = pytest.mark.django_db(transaction=False)

RED_FLAGS = [q.name for q in RED_FLAG_QUESTIONS]
ROLES = ("owner", "colleague", "manager")

# Red flags rarely, so that clean stretches and clearances happen too.
red_flag_answers = st.fixed_dictionaries(
    {name: st.sampled_from([False, False, False, True]) for name in RED_FLAGS}
)
screening_answers = st.fixed_dictionaries(
    {
        **{name: st.sampled_from([False, False, False, True]) for name in RED_FLAGS},
        **{
            q.name: st.sampled_from([False, False, False, False, True])
            for q in ABSOLUTE_CONTRAINDICATION_QUESTIONS
        },
        "osteoporosis": st.booleans(),
    }
)


def _screening_post(answers: dict) -> dict:
    data = {"screened_on": timezone.localdate().isoformat(), "notes": ""}
    for question in RED_FLAG_QUESTIONS + ABSOLUTE_CONTRAINDICATION_QUESTIONS:
        data[question.name] = "yes" if answers.get(question.name) else "no"
    for question in RELATIVE_CONTRAINDICATION_QUESTIONS:
        data[question.name] = "yes" if answers.get(question.name) else "no"
    return data


class SafetyLifecycle(RuleBasedStateMachine):
    """One client, their therapist, a colleague and the manager, over many visits."""

    def __init__(self):
        super().__init__()
        self.staff = SafetyLifecycle.staff
        owner = self.staff["owner"]
        self.client = ClientFactory(therapist=owner)
        HealthHistoryFactory(client=self.client, onset_date=timezone.localdate())
        AssessmentFactory(client=self.client, assessed_on=timezone.localdate())
        # A visit next week, so the pages of the visit can be checked after every step.
        self.visit = AppointmentFactory(client=self.client, starts_at=clinic_time(7, 10))
        self.open_flags: set[str] = set()  # the machine's own account of the open red flags
        self.browsers = {}
        for role, user in self.staff.items():
            browser = Browser()
            browser.force_login(user)
            self.browsers[role] = browser

    def teardown(self):
        # Free the slot for the next example's visit (the same therapist, the same time).
        Appointment.objects.filter(pk=self.visit.pk).update(status=Appointment.Status.CANCELLED)

    def _status(self) -> SafetyStatus:
        self.client.refresh_from_db()
        return SafetyStatus(self.client.safety_status)

    @rule(answers=screening_answers, role=st.sampled_from(ROLES))
    def screen(self, answers, role):
        before = MedicalClearance.objects.filter(client=self.client).count()
        screenings = self.client.screenings.count()
        url = reverse("intake:screening_create", args=[self.client.pk])
        response = self.browsers[role].post(url, _screening_post(answers))
        if role == "owner":
            assert response.status_code == 302
            assert self.client.screenings.count() == screenings + 1
            self.open_flags |= {name for name in RED_FLAGS if answers[name]}
        else:
            assert response.status_code in (403, 404)
            assert self.client.screenings.count() == screenings
        assert MedicalClearance.objects.filter(client=self.client).count() == before

    @rule(red_flags=red_flag_answers)
    def check_in_rescreen(self, red_flags):
        if not self.client.screenings.exists():
            return
        intake_services.screening_recheck_red_flags(
            client=self.client,
            recorded_by=self.staff["owner"],
            screened_on=timezone.localdate(),
            red_flags=red_flags,
        )
        self.open_flags |= {name for name, yes in red_flags.items() if yes}

    @rule(role=st.sampled_from(ROLES))
    def clear(self, role):
        url = reverse("intake:clearance_create", args=[self.client.pk])
        before = MedicalClearance.objects.filter(client=self.client).count()
        response = self.browsers[role].post(
            url,
            {
                "physician_name": "Dr. Amal Haddad",
                "cleared_on": timezone.localdate().isoformat(),
                "cleared_what": "Examined",
                "note": "",
            },
        )
        after = MedicalClearance.objects.filter(client=self.client).count()
        if role == "owner" and self.open_flags:
            assert response.status_code == 302
            assert after == before + 1
            self.open_flags.clear()
        else:
            # Refused: a colleague or the manager, or nothing open to clear.
            assert after == before

    @rule(stage=st.sampled_from(list(Stage)))
    def plan(self, stage):
        status = self._status()
        proposal = plan_propose(
            client=self.client,
            request=PlanRequest(minutes=60, stage=stage, first_visit=False, acute=False),
        )
        plans = SessionPlan.objects.filter(client=self.client).count()
        if not isinstance(proposal.result, Plan):
            # A refusal: the screening's, or one the library or length explain.
            if status in STATUSES_FORBIDDING_TREATMENT:
                assert proposal.result.kind in (RefusalKind.REFER_NOW, RefusalKind.DO_NOT_TREAT)
            return
        assert status not in STATUSES_FORBIDDING_TREATMENT
        with contextlib.suppress(ValidationError):
            plan_accept(
                client=self.client,
                therapist=self.staff["owner"],
                proposal=proposal,
                plan=proposal.result,
            )
        accepted = SessionPlan.objects.filter(client=self.client).count() - plans
        if status in STATUSES_FORBIDDING_TREATMENT:
            assert accepted == 0

    @rule(massage=st.booleans())
    def chart_and_sign(self, massage):
        status = self._status()
        rows = (
            [TechniqueRow("Gentle effleurage", 10, Position.PRONE, Pressure.LIGHT)]
            if massage
            else []
        )
        soap = {
            "client_report": "Reported at the visit.",
            "pain_before": 5,
            "working_hypothesis": "As assessed.",
            "response_to_treatment": "Tolerated." if massage else "Not treated: referred.",
            "pain_after": 4 if massage else None,
            "referrals": "" if massage else "Referred to the physician.",
        }
        try:
            note = note_start(
                client=self.client,
                therapist=self.staff["owner"],
                visit_date=timezone.localdate(),
                techniques=rows,
                soap=soap,
            )
            note_sign(note=note, user=self.staff["owner"])
        except ValidationError:
            return
        if status in STATUSES_FORBIDDING_TREATMENT:
            note.refresh_from_db()
            assert not (note.is_signed and note.techniques.exists())

    @invariant()
    def one_status_everywhere(self):
        rule_value = intake_services.client_safety(client=self.client).status
        assert self._status() == rule_value
        chart = self.browsers["owner"].get(self.client.get_absolute_url())
        assert chart.context["state"].safety.status == rule_value
        badge = f"safety-badge-{rule_value}"
        for role in ("owner", "manager"):
            visit_page = self.browsers[role].get(self.visit.get_absolute_url()).content.decode()
            assert badge in visit_page and rule_value.label in visit_page
        week = f"{reverse('sessions:calendar')}?week={self.visit.starts_at.date().isoformat()}"
        assert badge in self.browsers["owner"].get(week).content.decode()

    @invariant()
    def a_red_flag_never_disappears_without_a_clearance(self):
        status = self._status()
        if self.open_flags:
            assert status in (SafetyStatus.REFER_NOW, SafetyStatus.EMERGENCY)

    @invariant()
    def nothing_with_massage_is_kept_while_treatment_is_forbidden(self):
        if self._status() not in STATUSES_FORBIDDING_TREATMENT:
            return
        # Whatever exists was accepted or signed while the client could be treated: every
        # signed note with massage and every plan predates the latest change to forbidden.
        latest_change = self.client.history.order_by("-history_date").first().history_date
        assert not SessionPlan.objects.filter(
            client=self.client, accepted_at__gt=latest_change
        ).exists()
        assert not SessionNote.objects.filter(
            client=self.client, signed_at__gt=latest_change, techniques__isnull=False
        ).exists()


def test_safety_follows_the_client_through_any_sequence_of_visits(therapist, colleague, manager):
    library_into_database()
    SafetyLifecycle.staff = {"owner": therapist, "colleague": colleague, "manager": manager}
    run_state_machine_as_test(
        SafetyLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
