"""The recommendation that closes the progress report for the referring physician (clinical
rules §9.6): pure, and always within massage scope. It never diagnoses and never promises to
fix nerve compression from the spine (clinical rules, opening page)."""

from __future__ import annotations

from dataclasses import dataclass

# After this many visits without a clinically important change the report asks for review.
VISITS_WITHOUT_CHANGE_FOR_REVIEW = 6

RECOMMEND_REFER = (
    "Treatment is on hold: the screening found a reason to refer (see the safety status). We "
    "ask for your assessment before massage continues."
)
RECOMMEND_WORSE = (
    "Function or pain has worsened by a clinically important amount. We recommend a medical "
    "review before further massage; we will continue only with your agreement."
)
RECOMMEND_NO_CHANGE = (
    "After {visits} visits there is no clinically important change in pain or function. We "
    "recommend a medical review of the plan; massage can continue alongside it for the "
    "muscular component only."
)
RECOMMEND_IMPROVING = (
    "Pain and/or function have improved by a clinically important amount. We recommend "
    "continuing massage while tapering the frequency toward maintenance (every 2-4 weeks), "
    "with the home-care programme."
)
RECOMMEND_CONTINUE = (
    "Care is at an early stage ({visits} visit(s)); we recommend continuing the current plan and "
    "will report again at the next outcome review."
)
COMPRESSION_NOTE = (
    "The tests suggest neural involvement, possibly from the spine: massage addresses only the "
    "muscle guarding around it, and cannot treat compression. We suggest medical follow-up."
)


@dataclass(frozen=True)
class Recommendation:
    text: str
    compression_note: str = ""


def recommendation_make(
    *,
    visits: int,
    treatment_forbidden: bool,
    improved: bool,
    worsened: bool,
    neural_involvement: bool,
) -> Recommendation:
    """The report's recommendation (clinical rules §9.6): refer while treatment is forbidden;
    review on a clinically important worsening, or on no important change after
    VISITS_WITHOUT_CHANGE_FOR_REVIEW visits; taper toward maintenance on an important
    improvement; otherwise continue. Neural involvement adds the note that massage cannot treat
    compression and a suggestion of medical follow-up."""
    note = COMPRESSION_NOTE if neural_involvement else ""
    if treatment_forbidden:
        return Recommendation(RECOMMEND_REFER, note)
    if worsened:
        return Recommendation(RECOMMEND_WORSE, note)
    if improved:
        return Recommendation(RECOMMEND_IMPROVING, note)
    if visits >= VISITS_WITHOUT_CHANGE_FOR_REVIEW:
        return Recommendation(RECOMMEND_NO_CHANGE.format(visits=visits), note)
    return Recommendation(RECOMMEND_CONTINUE.format(visits=visits), note)
