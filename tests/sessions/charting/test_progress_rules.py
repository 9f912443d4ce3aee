from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions.charting.progress import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MCID_LABEL,
    PainVisit,
    SlrReading,
    mcid_reached,
    mcid_visit,
    pain_chart,
    slr_chart,
)

DAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("baseline", "current", "reached"),
    [
        (8, 6, True),  # 2 points
        (8, 7, False),  # 1 point, 12.5%
        (10, 8, True),
        (3, 2, True),  # 1 point but 33%
        (4, 3, False),  # 1 point, 25%
        (10, 7, True),  # 30% exactly
        (5, 4, False),  # 20%
        (2, 1, True),  # 50%
        (1, 0, True),  # 100%
        (0, 0, False),  # nothing to improve
        (5, 5, False),
        (5, 8, False),  # worse is never an improvement
    ],
)
def test_the_mcid_is_two_points_or_thirty_percent(baseline, current, reached):
    assert mcid_reached(baseline=baseline, current=current) is reached


@given(st.integers(0, 10), st.integers(0, 10))
def test_the_mcid_needs_a_fall_and_two_points_always_suffice(baseline, current):
    reached = mcid_reached(baseline=baseline, current=current)
    if current >= baseline:
        assert not reached
    if baseline - current >= 2:
        assert reached


def _visits(*pains):
    return [
        PainVisit(DAY + timedelta(days=7 * i), before, after)
        for i, (before, after) in enumerate(pains)
    ]


def test_the_marker_is_on_the_first_visit_that_reaches_it():
    visits = _visits((7, 5), (6, 5), (6, 4), (5, 3), (4, 3))
    assert mcid_visit(visits) == 3


def test_the_baseline_is_the_first_visit_with_a_pain_score():
    visits = _visits((None, None), (5, 4), (4, 4), (3, 3))
    assert mcid_visit(visits) == 3  # 5 -> 3; 5 -> 4 is only 20%


def test_no_marker_without_enough_improvement_or_data():
    assert mcid_visit(_visits((5, 4), (4, 4), (5, 3))) is None
    assert mcid_visit(_visits((5, 4))) is None
    assert mcid_visit([]) is None


def test_pain_after_does_not_count_toward_the_mcid():
    assert mcid_visit(_visits((6, 1), (6, 0))) is None


@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=12))
def test_the_marked_visit_is_the_first_that_reaches_the_mcid(befores):
    visits = [PainVisit(DAY + timedelta(days=i), b, None) for i, b in enumerate(befores)]
    index = mcid_visit(visits)
    scored = [i for i, b in enumerate(befores) if b is not None]
    reaching = [
        i for i in scored[1:] if mcid_reached(baseline=befores[scored[0]], current=befores[i])
    ]
    assert index == (reaching[0] if reaching else None)


def test_the_pain_chart_plots_both_series_and_the_marker():
    chart = pain_chart(_visits((7, 5), (6, None), (5, 3)))

    before, after = chart.series
    assert [p.value for p in before.points] == [7, 6, 5]
    assert [p.value for p in after.points] == [5, 3]
    assert chart.marker is not None and chart.marker.label == MCID_LABEL
    assert chart.marker.x == before.points[2].x
    assert before.points[0].x == chart.left and before.points[-1].x == chart.right
    assert before.path.startswith("M") and before.path.count("L") == 2
    assert "clinically important on 16 Mar 2026" in chart.description


def test_higher_pain_is_drawn_higher_and_zero_sits_on_the_axis():
    chart = pain_chart(_visits((10, 0)))

    before, after = chart.series
    assert before.points[0].y == MARGIN_TOP
    assert after.points[0].y == HEIGHT - MARGIN_BOTTOM


def test_time_is_proportional_on_the_x_axis():
    visits = [
        PainVisit(DAY, 5, 4),
        PainVisit(DAY + timedelta(days=1), 5, 4),
        PainVisit(DAY + timedelta(days=10), 5, 4),
    ]
    xs = [p.x for p in pain_chart(visits).series[0].points]

    assert xs[1] - xs[0] == pytest.approx((xs[2] - xs[0]) / 10)


def test_a_single_visit_sits_in_the_middle():
    chart = pain_chart(_visits((5, 4)))
    point = chart.series[0].points[0]
    assert point.x == pytest.approx((chart.left + chart.right) / 2)


def test_many_visits_keep_the_date_labels_readable():
    chart = pain_chart([PainVisit(DAY + timedelta(days=3 * i), 5, 4) for i in range(20)])
    assert len(chart.x_ticks) == 7
    assert chart.x_ticks[0].label == "2 Mar" and chart.x_ticks[-1].label == "28 Apr"


def test_the_slr_chart_has_a_line_per_side_and_no_pain_at_full_range():
    chart = slr_chart(
        [
            SlrReading(DAY, "left", 40),
            SlrReading(DAY + timedelta(days=7), "left", None),
            SlrReading(DAY, "right", 70),
        ]
    )

    left, right = chart.series
    assert left.name == "Left leg" and right.name == "Right leg"
    assert [p.value for p in left.points] == [40, 90]
    assert left.points[1].hollow and "no pain up to 90°" in left.points[1].label
    assert left.points[1].y == MARGIN_TOP


def test_an_empty_chart_says_so():
    assert pain_chart([]).empty
    assert slr_chart([]).empty
