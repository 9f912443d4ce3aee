"""The referral letter's rules (clinical rules §2.1, §2.2, §3.1): pure functions over plain data.

When a letter is due and how urgent it is comes from intake's triage and hypothesis. What
the letter reports is worded as observations a massage therapist makes: what was asked,
what the tests showed, what the client said. Never a diagnosis (clinical rules §3: the tests guide
the massage, they are not a medical diagnosis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models

from intake.rules import (
    BragardFinding,
    Hypothesis,
    PiriformisFinding,
    SlrFinding,
    SlrPain,
    Triage,
    TriageOutcome,
)

REFERRAL_NOT_INDICATED = (
    "No referral letter is indicated: the latest screening and assessment show no red flag, "
    "no contraindication and no need for medical follow-up."
)
REFERRAL_NOT_SCREENED = (
    "No referral letter yet: record a screening first; the letter reports its answers."
)

TREATMENT_EMERGENCY = (
    "No massage was given. I advised the client to go to an emergency department today "
    "and not to wait for an appointment."
)
TREATMENT_REFERRED = (
    "No massage was given. I will not treat again until the client has been assessed by a "
    "physician."
)
TREATMENT_NOT_TODAY = "No massage was given at this visit because of the condition listed above."
TREATMENT_WITHIN_SCOPE = (
    "Massage continues within its scope: gentle work on the secondary muscle spasm and "
    "guarding, no aggressive stretching. Massage cannot diagnose or treat a compressed nerve "
    "root (disc, stenosis, bone spurs, spondylolisthesis)."
)
REQUEST_EMERGENCY = (
    "Urgent assessment today. Together or alone, these are recognised warning signs of "
    "cauda equina compression."
)
REQUEST_REFERRED = (
    "Your assessment of these warning signs, and advice on whether massage may resume."
)
REQUEST_CLEARANCE = "Your assessment, and clearance before massage resumes."
REQUEST_FOLLOW_UP = (
    "Your assessment of possible nerve root involvement, and any advice for my work."
)
FOLLOW_UP_REASON = (
    "The assessment tests point to irritation of the sciatic nerve rather than muscle "
    "tightness alone: this needs medical assessment."
)


class Urgency(models.TextChoices):
    EMERGENCY_TODAY = "emergency_today", "EMERGENCY: to be seen at an emergency department today"
    PHYSICIAN_SOON = "physician_soon", "Please see a physician soon (not an emergency)"


@dataclass(frozen=True)
class Referral:
    """A letter is due: how urgent, why (the triggering answers), what happened, what we ask."""

    urgency: Urgency
    reasons: tuple[str, ...]
    treatment: str
    request: str

    @property
    def emergency(self) -> bool:
        return self.urgency == Urgency.EMERGENCY_TODAY


def referral_decide(*, triage: Triage, hypothesis: Hypothesis, screened: bool) -> Referral | None:
    """Whether a referral letter is due, and its urgency (clinical rules §2.1-2.2, §3.1).

    | triage / hypothesis | urgency |
    | emergency (a cauda equina sign) | emergency department today |
    | refer now (any other red flag) | physician soon; no massage until seen |
    | do not treat (absolute contraindication) | physician soon; clearance before massage |
    | medical follow-up suggested (neural compression) | physician soon; massage within scope |
    | anything else, or no screening yet | no letter |

    Without a screening there is nothing to refer on: intake's "not screened" triage says
    "do not treat" only to make the therapist screen first.
    """
    if not screened:
        return None
    if triage.emergency:
        return Referral(
            Urgency.EMERGENCY_TODAY, triage.reasons, TREATMENT_EMERGENCY, REQUEST_EMERGENCY
        )
    if triage.outcome == TriageOutcome.REFER_NOW:
        return Referral(
            Urgency.PHYSICIAN_SOON, triage.reasons, TREATMENT_REFERRED, REQUEST_REFERRED
        )
    if triage.outcome == TriageOutcome.DO_NOT_TREAT:
        return Referral(
            Urgency.PHYSICIAN_SOON, triage.reasons, TREATMENT_NOT_TODAY, REQUEST_CLEARANCE
        )
    if hypothesis.medical_follow_up:
        return Referral(
            Urgency.PHYSICIAN_SOON, (FOLLOW_UP_REASON,), TREATMENT_WITHIN_SCOPE, REQUEST_FOLLOW_UP
        )
    return None


def assessment_observations(
    *,
    slr: SlrFinding | None,
    bragard: BragardFinding | None,
    piriformis: PiriformisFinding | None,
) -> list[str]:
    """The assessment tests (clinical rules §3) as what was seen and felt, without interpretation."""
    out = []
    if slr is not None:
        side = slr.side.label.lower()
        if slr.pain == SlrPain.NONE:
            out.append(f"Straight leg raise, {side}: no pain up to 90° of hip flexion.")
        else:
            where = (
                "in the back of the thigh only"
                if slr.pain == SlrPain.HAMSTRING_ONLY
                else "travelling down the leg past the knee"
            )
            out.append(
                f"Straight leg raise, {side}: pain {where}, from {slr.onset_angle}° of hip "
                f"flexion, described as {slr.quality.label.lower()}."
            )
    if bragard is not None:
        returned = "returned" if bragard.pain_returned else "did not return"
        out.append(
            f"Bragard's test, {bragard.side.label.lower()}: with the leg lowered until the pain "
            f"stopped, the pain {returned} on passive dorsiflexion of the foot."
        )
    if piriformis is not None:
        felt = [
            label
            for label, present in (
                ("buttock pain", piriformis.buttock_pain),
                ("pain radiating down the leg", piriformis.radiating_pain),
            )
            if present
        ]
        result = " and ".join(felt) if felt else "no pain"
        out.append(
            f"Piriformis test, {piriformis.side.label.lower()}: {result} on passive "
            "adduction of the flexed hip."
        )
    return out


def history_observations(
    *,
    location: str,
    side: str,
    radiates_past_knee: bool,
    characters: Sequence[str],
    pain_now: int,
    pain_worst: int,
    pain_best: int,
    onset: date,
    aggravating: str,
) -> list[str]:
    """What the client reported at intake (clinical rules §2.4), in the client's terms."""
    reach = "reaching past the knee" if radiates_past_knee else "not reaching past the knee"
    sides = "both sides" if side.lower() == "both" else f"{side.lower()} side"
    out = [f"Pain reported: {location.strip().rstrip('.')} ({sides}), {reach}."]
    if characters:
        out.append(f"Described as {', '.join(c.lower() for c in characters)}.")
    out.append(f"Intensity now {pain_now}/10, at worst {pain_worst}/10, at best {pain_best}/10.")
    out.append(f"It began around {onset.day} {onset:%B %Y}.")
    if aggravating.strip():
        out.append(f"Made worse by: {aggravating.strip().rstrip('.')}.")
    return out
