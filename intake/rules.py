"""Screening and assessment rules (DOMAIN 2 and 3): pure functions over plain data.

No ORM and no request here: views and services turn records into these inputs, and the
planner consumes the `Triage` and `Hypothesis` these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from protocols.vocabulary import Finding, Restrictions


class TriageOutcome(models.TextChoices):
    """What screening allows today (DOMAIN 2.1-2.3), most severe first."""

    REFER_NOW = "refer_now", "Refer now: do not treat"
    DO_NOT_TREAT = "do_not_treat", "Do not treat today"
    TREAT_WITH_MODIFICATIONS = "treat_modified", "Treat with modifications"
    TREAT = "treat", "Treat"


@dataclass(frozen=True)
class Triage:
    """The result of `screening_evaluate`.

    `reasons` name the answers that led to the outcome, in words for the chart and the
    referral letter; `restrictions` is what a plan must respect (empty unless treating
    with modifications); `emergency` is True for suspected cauda equina (emergency
    department today) as opposed to "see a physician soon".
    """

    outcome: TriageOutcome
    reasons: tuple[str, ...] = ()
    restrictions: Restrictions = Restrictions()
    emergency: bool = False

    @property
    def blocks_treatment(self) -> bool:
        return self.outcome in (TriageOutcome.REFER_NOW, TriageOutcome.DO_NOT_TREAT)


class HypothesisKind(models.TextChoices):
    """The working hypotheses of DOMAIN 3.1."""

    ENTRAPMENT_PIRIFORMIS = "entrapment_piriformis", "Soft-tissue entrapment (piriformis)"
    NEURAL_COMPRESSION = "neural_compression", "Neural involvement, likely compression (disc)"
    IRRITATION_UNCLEAR = "irritation_unclear", "Nerve irritation, source unclear"
    MUSCULAR_HAMSTRING = "muscular_hamstring", "Muscular (hamstring / gluteus minimus referral)"
    UNDETERMINED = "undetermined", "Not enough findings yet"


@dataclass(frozen=True)
class Hypothesis:
    """The result of `hypothesis_evaluate`: guides the massage, is not a medical diagnosis.

    `findings` tell the planner what to favour; `medical_follow_up` asks the plan to
    suggest it (and makes a referral letter available).
    """

    kind: HypothesisKind
    findings: frozenset[Finding] = frozenset({Finding.GENERAL})
    reasons: tuple[str, ...] = ()
    medical_follow_up: bool = False
