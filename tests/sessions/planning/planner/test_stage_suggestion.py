"""The suggested stage (clinical rules §6.1): the visit's place in the course, except in the
course's first week, where the presentation decides whether firefighting is needed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vocabulary import Stage
from intake.rules import Chronicity, HypothesisKind
from sessions.planning.planner import (
    IRRITABLE_PAIN_FROM,
    SUGGEST_ACUTE,
    SUGGEST_CHRONIC,
    SUGGEST_IRRITABLE,
    SUGGEST_MUSCULAR,
    SUGGEST_NO_HISTORY,
    SUGGEST_VISIT,
    Presentation,
    StageSuggestion,
    stage_for_visit,
    stage_suggest,
)

ACUTE, CHRONIC = Chronicity.ACUTE, Chronicity.CHRONIC
K = HypothesisKind


def suggest(chronicity, pain_now, kind=K.ENTRAPMENT_PIRIFORMIS, *, visit=1, per_week=2):
    presentation = Presentation(chronicity=chronicity, pain_now=pain_now, hypothesis_kind=kind)
    return stage_suggest(visit_number=visit, per_week=per_week, presentation=presentation)


@pytest.mark.parametrize(
    ("chronicity", "pain_now", "kind", "expected"),
    [
        pytest.param(ACUTE, 4, K.NEURAL_COMPRESSION, (Stage.FIREFIGHTING, SUGGEST_ACUTE), id="acute"),
        pytest.param(
            ACUTE, 8, K.MUSCULAR_HAMSTRING,
            (Stage.FIREFIGHTING, SUGGEST_IRRITABLE.format(pain=8)), id="irritable-muscular",
        ),
        pytest.param(
            CHRONIC, 7, K.ENTRAPMENT_PIRIFORMIS,
            (Stage.FIREFIGHTING, SUGGEST_IRRITABLE.format(pain=7)), id="irritable-chronic",
        ),
        pytest.param(
            CHRONIC, 6, K.NEURAL_COMPRESSION,
            (Stage.DECOMPRESSION, SUGGEST_CHRONIC.format(pain=6)), id="chronic",
        ),
        pytest.param(
            ACUTE, 3, K.MUSCULAR_HAMSTRING,
            (Stage.DECOMPRESSION, SUGGEST_MUSCULAR.format(pain=3)), id="muscular",
        ),
        pytest.param(
            None, None, K.MUSCULAR_HAMSTRING,
            (Stage.FIREFIGHTING, SUGGEST_NO_HISTORY), id="no-history",
        ),
    ],
)  # fmt: skip
def test_the_first_visit_starts_where_the_presentation_says(chronicity, pain_now, kind, expected):
    assert suggest(chronicity, pain_now, kind) == StageSuggestion(
        stage=expected[0], because=expected[1]
    )


def test_the_plan_form_sentence_reads_as_the_issue_asks():
    suggestion = suggest(CHRONIC, 4)
    assert f"Suggested: {suggestion.stage.label}, because {suggestion.because}." == (
        "Suggested: Week 2 · Decompression, because the pain is chronic (6 weeks or more) and "
        "not irritable (4/10 now): no firefighting week needed."
    )


def test_later_visits_follow_the_course_whatever_the_presentation():
    assert suggest(ACUTE, 9, visit=3, per_week=2) == StageSuggestion(
        stage=Stage.DECOMPRESSION, because=SUGGEST_VISIT.format(number=3, per_week=2)
    )
    assert suggest(CHRONIC, 2, visit=9, per_week=1).stage == Stage.STRENGTHENING


@given(
    chronicity=st.sampled_from([None, ACUTE, CHRONIC]),
    pain_now=st.integers(0, 10),
    kind=st.sampled_from(list(HypothesisKind)),
    visit=st.integers(1, 30),
    per_week=st.integers(1, 3),
)
def test_a_suggestion_is_never_earlier_than_the_course_nor_later_than_one_step_on(
    chronicity, pain_now, kind, visit, per_week
):
    """Irritable or acute presentations start with firefighting; none starts later than week
    2 (intensity rises gradually); after the first week the course's own week decides."""
    suggestion = suggest(chronicity, pain_now, kind, visit=visit, per_week=per_week)
    by_visit = stage_for_visit(visit_number=visit, per_week=per_week)
    assert suggestion.because
    if by_visit > Stage.FIREFIGHTING:
        assert suggestion.stage == by_visit
    else:
        lighter = chronicity is None or chronicity == ACUTE and kind != K.MUSCULAR_HAMSTRING
        if pain_now >= IRRITABLE_PAIN_FROM or lighter:
            assert suggestion.stage == Stage.FIREFIGHTING
        else:
            assert suggestion.stage == Stage.DECOMPRESSION
