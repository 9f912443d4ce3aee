"""The calendar's time grid (sessions/booking/grid.py): pure."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sessions.booking.grid import GridItem, time_grid

NINE, FIVE = 9 * 60, 17 * 60


def grid(columns, opens=NINE, closes=FIVE):
    return time_grid(columns, opens_minute=opens, closes_minute=closes)


def test_an_empty_day_has_a_row_every_quarter_hour_of_the_working_day():
    rows = grid([[]])
    assert len(rows) == 32
    assert rows[0].label == "09:00" and rows[-1].label == "16:45"
    assert [r.on_the_hour for r in rows[:5]] == [True, False, False, False, True]


def test_a_visit_is_a_block_as_tall_as_its_length():
    rows = grid([[GridItem(10 * 60, 90, "a")], [GridItem(9 * 60 + 30, 30, "b")]])
    start = rows[4]  # 10:00
    assert start.cells[0].rowspan == 6 and start.cells[0].items == ["a"]
    assert all(rows[i].cells[0] is None for i in range(5, 10))
    assert rows[10].cells[0].items == []  # 11:30 is free again
    assert rows[2].cells[1].rowspan == 2 and rows[3].cells[1] is None


def test_a_visit_off_the_quarter_hour_starts_in_its_row_and_covers_its_end():
    rows = grid([[GridItem(10 * 60 + 5, 30, "a")]])
    assert rows[4].cells[0].rowspan == 3  # 10:00, 10:15, 10:30 (ends 10:35)


def test_overlapping_visits_share_one_block():
    cancelled, rebooked = GridItem(10 * 60, 60, "cancelled"), GridItem(10 * 60 + 30, 60, "new")
    rows = grid([[cancelled, rebooked]])
    assert rows[4].cells[0].items == ["cancelled", "new"] and rows[4].cells[0].rowspan == 6


def test_visits_outside_the_working_day_widen_the_grid_to_whole_hours():
    rows = grid([[GridItem(7 * 60 + 30, 60, "early")], [GridItem(18 * 60, 90, "late")]])
    assert rows[0].label == "07:00" and rows[-1].label == "19:45"
    assert rows[2].cells[0].items == ["early"]


@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(0, 24 * 60 - 30), st.sampled_from([30, 45, 60, 90])),
            max_size=8,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_every_column_is_covered_exactly_once_by_every_row(columns):
    items = [[GridItem(s, m, (s, m)) for s, m in column] for column in columns]
    rows = grid(items)
    for column, wanted in enumerate(items):
        covered, shown = 0, []
        for row in rows:
            cell = row.cells[column]
            if cell is None:
                assert covered > 0
                covered -= 1
                continue
            assert covered == 0
            covered = cell.rowspan - 1
            shown += cell.items
        assert covered == 0
        assert sorted(shown) == sorted(item.payload for item in wanted)
