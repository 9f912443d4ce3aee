"""Intake writes, one atomic function each, and the read every other app builds on.

Forms shape and validate input; these functions validate again at the model (`full_clean`)
and save through `save()`, so django-simple-history records who changed what and when.

`client_clinical_state(client=...)` is what the planner, charting and booking use: the
governing triage and hypothesis with the records they come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from intake.access import clients_visible_to
from intake.diagnosis_codes import IcdCode
from intake.models import (
    Assessment,
    Client,
    HealthHistory,
    IntakeSubmission,
    MedicalClearance,
    OutcomeMeasure,
    PsfsActivity,
    ReferralDiagnosis,
    Screening,
)
from intake.rules import (
    RED_FLAG_QUESTIONS,
    BragardFinding,
    Chronicity,
    Hypothesis,
    PiriformisFinding,
    ScreeningAnswers,
    SlrFinding,
    Triage,
    TriageOutcome,
    hypothesis_evaluate,
)
from intake.rules.outcomes import psfs_average
from intake.rules.safety import (
    STATUSES_FORBIDDING_TREATMENT,
    Safety,
    safety_evaluate,
    safety_with_client_reports,
)
from intake.search import client_query_parse, clients_close, clients_matching

SCREENING_MISSING = (
    "No screening recorded yet: screen for red flags and contraindications before treating."
)
SCREENING_NONE_TO_RECHECK = (
    "This client has no screening yet: record a full screening, not only the red flags."
)
RED_FLAG_ANSWERS_INCOMPLETE = "Answer every red-flag question yes or no."
CLEARANCE_NOTHING_OPEN = (
    "No red flag is open for this client: there is nothing for a medical clearance to lower."
)

# Until a screening is recorded, nothing may be planned: the same refusal as an absolute
# contraindication, with the reason saying what to do.
TRIAGE_NOT_SCREENED = Triage(outcome=TriageOutcome.DO_NOT_TREAT, reasons=(SCREENING_MISSING,))


@transaction.atomic
def client_create(*, therapist, diagnosis_codes: list[IcdCode] | None = None, **fields) -> Client:
    """A new client owned by `therapist`; `fields` are Client fields (names, date of birth...),
    `diagnosis_codes` the referral's checked ICD-10-CM codes."""
    client = Client(therapist=therapist, **fields)
    client.full_clean()
    client.save()
    if diagnosis_codes:
        referral_diagnoses_set(client=client, codes=diagnosis_codes)
    return client


@transaction.atomic
def client_update(
    *, client: Client, diagnosis_codes: list[IcdCode] | None = None, **fields
) -> Client:
    """Save the client's edited details; with `diagnosis_codes` (the therapist's intake), the
    referral's codes too, which replace any text kept from before codes were checked."""
    for name, value in fields.items():
        setattr(client, name, value)
    if diagnosis_codes is not None:
        client.diagnosis_codes_as_written = ""
    client.full_clean()
    client.save()
    if diagnosis_codes is not None:
        referral_diagnoses_set(client=client, codes=diagnosis_codes)
    return client


@transaction.atomic
def referral_diagnoses_set(*, client: Client, codes: list[IcdCode]) -> None:
    """Make the client's referral diagnosis codes `codes`, in that order (each already checked
    against ICD-10-CM by `intake.diagnosis_codes`); nothing is written when they are unchanged.
    Rows go through `save()`/`delete()` so the record's history shows each change."""
    current = list(ReferralDiagnosis.objects.select_for_update().filter(client=client))
    if [(d.code, d.description) for d in current] == [(c.code, c.description) for c in codes]:
        return
    for row in current:
        row.delete()
    for position, code in enumerate(codes, start=1):
        ReferralDiagnosis(
            client=client, position=position, code=code.code, description=code.description
        ).save()


@transaction.atomic
def health_history_save(*, client: Client, **fields) -> HealthHistory:
    """Create or update the client's health history (clinical rules §2.4)."""
    history = HealthHistory.objects.filter(client=client).first() or HealthHistory(client=client)
    for name, value in fields.items():
        setattr(history, name, value)
    history.full_clean()
    history.save()
    return history


@transaction.atomic
def screening_record(
    *,
    client: Client,
    recorded_by,
    screened_on: date,
    answers: ScreeningAnswers,
    notes: str = "",
) -> Screening:
    """Record a dated screening (clinical rules §2.1-2.3); from now on it is the one that governs
    unless a later-dated one exists. Weeks of pregnancy are kept only with a yes to pregnancy."""
    if not answers.pregnant:
        answers = replace(answers, pregnancy_weeks=None)
    screening = Screening(
        client=client,
        recorded_by=recorded_by,
        screened_on=screened_on,
        notes=notes,
        **{name: getattr(answers, name) for name in ScreeningAnswers.field_names()},
    )
    screening.full_clean()
    screening.save()
    client_safety_refresh(client=client)
    return screening


@transaction.atomic
def screening_recheck_red_flags(
    *, client: Client, recorded_by, screened_on: date, red_flags: Mapping[str, bool]
) -> Screening:
    """The check-in re-screen: the red-flag questions asked again, every other answer
    carried over from the latest screening, saved as a new screening that now governs.

    `red_flags` maps each `RED_FLAG_QUESTIONS` name to the answer. ValueError when an answer
    is missing or the client was never screened.
    """
    names = {q.name for q in RED_FLAG_QUESTIONS}
    if set(red_flags) != names:
        raise ValueError(RED_FLAG_ANSWERS_INCOMPLETE)
    latest = screening_latest(client=client)
    if latest is None:
        raise ValueError(SCREENING_NONE_TO_RECHECK)
    answers = replace(latest.answers(), **{n: bool(v) for n, v in red_flags.items()})
    return screening_record(
        client=client,
        recorded_by=recorded_by,
        screened_on=screened_on,
        answers=answers,
        notes="Red-flag re-screen at check-in; other answers carried over from "
        f"{latest.screened_on:%d %b %Y}.",
    )


@transaction.atomic
def assessment_record(
    *,
    client: Client,
    recorded_by,
    assessed_on: date,
    slr: SlrFinding | None,
    bragard: BragardFinding | None,
    piriformis: PiriformisFinding | None,
    notes: str = "",
) -> Assessment:
    """Record a dated set of assessment tests (clinical rules §3). Bragard without a positive SLR on
    its side is refused (ValueError, `rules.BRAGARD_REQUIRES_POSITIVE_SLR`)."""
    hypothesis_evaluate(slr=slr, bragard=bragard, piriformis=piriformis)
    assessment = Assessment(
        client=client,
        recorded_by=recorded_by,
        assessed_on=assessed_on,
        notes=notes,
        slr_side=slr.side if slr else "",
        slr_pain=slr.pain if slr else "",
        slr_onset_angle=slr.onset_angle if slr else None,
        slr_quality=(slr.quality or "") if slr else "",
        bragard_side=bragard.side if bragard else "",
        bragard_pain_returned=bragard.pain_returned if bragard else None,
        piriformis_side=piriformis.side if piriformis else "",
        piriformis_buttock_pain=piriformis.buttock_pain if piriformis else None,
        piriformis_radiating_pain=piriformis.radiating_pain if piriformis else None,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def clearance_record(
    *,
    client: Client,
    recorded_by,
    physician_name: str,
    cleared_on: date,
    cleared_what: str,
    note: str = "",
) -> MedicalClearance:
    """Record a physician's medical clearance (clinical rules §2.1): every red flag raised before
    it is lowered, and the client's safety status is worked out again.

    ValueError (`CLEARANCE_NOTHING_OPEN`) when no red flag is open: the client row is locked
    first, so two clearances sent together cannot both be recorded against the same flags.
    """
    Client.objects.select_for_update().filter(pk=client.pk).first()
    if not client_safety(client=client).open_red_flags:
        raise ValueError(CLEARANCE_NOTHING_OPEN)
    clearance = MedicalClearance(
        client=client,
        recorded_by=recorded_by,
        physician_name=physician_name,
        cleared_on=cleared_on,
        cleared_what=cleared_what,
        note=note,
    )
    clearance.full_clean()
    clearance.save()
    client_safety_refresh(client=client)
    return clearance


def client_safety(*, client: Client, clearances: list[MedicalClearance] | None = None) -> Safety:
    """The client's safety status now, from their screenings, every clearance and the red flags
    the client reported on an intake form not yet reviewed (three queries; two when the caller
    already holds the client's `clearances`).

    Only the screenings `safety_evaluate` can act on are read: every one that raised a red
    flag (it stays raised until a clearance after it) and the latest (its triage governs).
    A screening between them that raised none changes nothing, and a client re-screened at
    every check-in for years has hundreds (the 200-visit chart read them all: 7 ms a view).
    """
    raised_a_flag = Q()
    for question in RED_FLAG_QUESTIONS:
        raised_a_flag |= Q(**{question.name: True})
    # The rule's order: by date, then by when it was recorded.
    latest = client.screenings.order_by("-screened_on", "-created_at", "-id").values("pk")[:1]
    screenings = list(client.screenings.filter(raised_a_flag | Q(pk__in=latest)))
    for screening in screenings:
        screening.client = client  # each screening's age needs the date of birth
    if clearances is None:
        clearances = list(client.clearances.all())
    safety = safety_evaluate(
        [s.safety_event() for s in screenings] + [c.safety_event() for c in clearances]
    )
    return safety_with_client_reports(safety, client_reported_red_flags(client=client))


def client_reported_red_flags(*, client: Client) -> list[str]:
    """The red flags the client reported on intake forms the therapist has not reviewed yet
    (clinical rules §2.6; one query)."""
    reported: list[str] = []
    for flags in IntakeSubmission.objects.filter(
        client=client, status=IntakeSubmission.Status.AWAITING_REVIEW
    ).values_list("red_flags", flat=True):
        reported.extend(flags)
    return reported


def client_safety_if_forbidding(*, client: Client) -> Safety | None:
    """The client's safety, with its open red flags, when the stored status forbids treatment;
    None, and no query, otherwise (for the pages that warn or refuse only then)."""
    if client.safety_status in STATUSES_FORBIDDING_TREATMENT:
        return client_safety(client=client)
    return None


def client_safety_refresh(*, client: Client) -> Safety:
    """Work the status out again and store it on the client when it changed (in the client's
    history). Called by every service that records a screening or a clearance."""
    safety = client_safety(client=client)
    if client.safety_status != safety.status:
        client.safety_status = safety.status
        client.save(update_fields=["safety_status", "updated_at"])
    return safety


def clients_search(*, user, query: str = "", therapist=None) -> QuerySet[Client]:
    """The clients `user` may see (intake.access) matching `query` (intake/search.py: name
    words in any order, "Last, First", phone digits), of `therapist` only if given; joined to
    their therapist."""
    clients = clients_visible_to(user).select_related("therapist")
    if therapist is not None:
        clients = clients.filter(therapist=therapist)
    return clients_matching(clients, client_query_parse(query))


def clients_close_to(*, user, query: str, therapist=None) -> list[Client]:
    """When `clients_search` finds nothing: the clients `user` may see whose names are a
    small typo away from `query`, closest first (intake/search.py)."""
    clients = clients_visible_to(user).select_related("therapist")
    if therapist is not None:
        clients = clients.filter(therapist=therapist)
    return clients_close(clients, client_query_parse(query))


def screening_latest(*, client: Client) -> Screening | None:
    """The screening that governs: latest date, then latest recorded."""
    return client.screenings.select_related("client").order_by("-screened_on", "-id").first()


def screening_of_the_day(*, client: Client, day: date) -> Screening | None:
    """The last screening recorded for `client` dated `day` (a full screening or a check-in
    re-screen: both asked every red-flag question that day), with who recorded it."""
    return (
        client.screenings.filter(screened_on=day)
        .select_related("client", "recorded_by")
        .order_by("-created_at", "-id")
        .first()
    )


def assessment_latest(*, client: Client) -> Assessment | None:
    return client.assessments.order_by("-assessed_on", "-id").first()


@dataclass(frozen=True)
class ClinicalState:
    """What the latest records say about a client, for planning, charting and check-in.

    `safety` is the client's safety status over their whole screening history (a red flag
    stays until a clearance); `triage` is what it allows, `TRIAGE_NOT_SCREENED` (nothing is
    planned) until a screening exists; `hypothesis`
    is UNDETERMINED until an assessment exists. `chronicity` is None without a health
    history; `acute` then errs on the side of an acute flare (gentler stage-1 care).
    """

    safety: Safety
    triage: Triage
    hypothesis: Hypothesis
    screening: Screening | None
    assessment: Assessment | None
    health_history: HealthHistory | None
    chronicity: Chronicity | None

    @property
    def acute(self) -> bool:
        return self.chronicity != Chronicity.CHRONIC


def client_clinical_state(*, client: Client, on: date | None = None) -> ClinicalState:
    """The governing safety, triage and hypothesis for `client` (six queries: the sixth reads the red flags the client reported on an intake form awaiting review).

    The latest screening governs (clinical rules §2); the latest assessment gives the working
    hypothesis (clinical rules §3.1); chronicity is counted to `on` (default today).
    """
    return clinical_state_build(
        safety=client_safety(client=client),
        screening=screening_latest(client=client),
        assessment=assessment_latest(client=client),
        history=HealthHistory.objects.filter(client=client).first(),
        on=on,
    )


def clinical_state_build(
    *,
    safety: Safety,
    screening: Screening | None,
    assessment: Assessment | None,
    history: HealthHistory | None,
    on: date | None = None,
) -> ClinicalState:
    """`client_clinical_state` from records the caller already holds: the client's latest
    screening and assessment (each with its `client` set) and health history."""
    on = on or timezone.localdate()
    return ClinicalState(
        safety=safety,
        triage=safety.triage or TRIAGE_NOT_SCREENED,
        hypothesis=(
            assessment.evaluate()
            if assessment
            else hypothesis_evaluate(slr=None, bragard=None, piriformis=None)
        ),
        screening=screening,
        assessment=assessment,
        health_history=history,
        chronicity=history.chronicity(on=max(on, history.onset_date)) if history else None,
    )


@transaction.atomic
def psfs_record(
    *, client: Client, measured_on: date, activities: list[tuple[str, int]], recorded_by
) -> OutcomeMeasure:
    """A PSFS taken on `measured_on`: the activities with their ratings, and their mean as the
    score (clinical rules §9.5). Sent once per form token by the view."""
    measure = OutcomeMeasure(
        client=client,
        kind=OutcomeMeasure.Kind.PSFS,
        measured_on=measured_on,
        score=psfs_average([score for _, score in activities]),
        recorded_by=recorded_by,
    )
    measure.full_clean()
    measure.save()
    for position, (activity, score) in enumerate(activities, start=1):
        row = PsfsActivity(measure=measure, position=position, activity=activity, score=score)
        row.full_clean()
        row.save()
    return measure


@transaction.atomic
def oswestry_record(
    *, client: Client, measured_on: date, score: int, recorded_by
) -> OutcomeMeasure:
    """An Oswestry Disability Index score, the score alone (clinical rules §9.5)."""
    measure = OutcomeMeasure(
        client=client,
        kind=OutcomeMeasure.Kind.ODI,
        measured_on=measured_on,
        score=score,
        recorded_by=recorded_by,
    )
    measure.full_clean()
    measure.save()
    return measure
