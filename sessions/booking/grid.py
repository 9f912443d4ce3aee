"""The calendar's time grid: rows by time of day, one column per day or per therapist, each
visit a block as tall as its length. Pure: the views turn appointments into `GridItem`s and
render the rows as an HTML table (rowspan sizes a block; row and column headers make it
readable by a screen reader).

Times are wall-clock minutes after the day's midnight in the clinic's zone, so a week's days
line up row by row whatever the clock changes. A block's height is the visit's real length
(a 90-minute visit from 00:30 on the spring change night is 90 minutes tall, though the clock
shows 03:00 at its end); its text says the times on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROW_MINUTES = 15
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class GridItem:
    start_minute: int  # wall-clock minutes after midnight
    minutes: int  # real length
    payload: object = None


@dataclass
class GridCell:
    """A table cell starting on its row: empty (`items` empty, one row tall), or a block of
    visits that overlap one another (a cancelled visit and the one booked in its place)."""

    rowspan: int = 1
    items: list = field(default_factory=list)


@dataclass(frozen=True)
class GridRow:
    minute: int
    cells: tuple[GridCell | None, ...]  # None: covered by a block from a row above

    @property
    def label(self) -> str:
        return f"{self.minute // 60:02d}:{self.minute % 60:02d}"

    @property
    def on_the_hour(self) -> bool:
        return self.minute % 60 == 0


def grid_bounds(
    columns: list[list[GridItem]], *, opens_minute: int, closes_minute: int
) -> tuple[int, int]:
    """The first and last minute the grid shows: the working hours, widened to whole hours
    around any visit outside them."""
    first, last = opens_minute, closes_minute
    for items in columns:
        for item in items:
            first = min(first, item.start_minute // 60 * 60)
            end = item.start_minute + item.minutes
            last = max(last, -(-end // 60) * 60)
    return max(0, first), min(DAY_MINUTES, last)


def time_grid(
    columns: list[list[GridItem]],
    *,
    opens_minute: int,
    closes_minute: int,
    row_minutes: int = ROW_MINUTES,
) -> list[GridRow]:
    """The grid's rows, top to bottom. In each column, visits whose rows overlap share one
    block; a block starts on the row holding its first start and spans to the row holding
    its last end."""
    first, last = grid_bounds(columns, opens_minute=opens_minute, closes_minute=closes_minute)
    row_count = max(1, -(-(last - first) // row_minutes))
    starts: list[dict[int, GridCell]] = []
    for items in columns:
        blocks: dict[int, GridCell] = {}
        block_start, block_end, block = -1, -1, None
        for item in sorted(items, key=lambda i: (i.start_minute, i.minutes)):
            top = max(0, (item.start_minute - first) // row_minutes)
            bottom = min(row_count, -(-(item.start_minute + item.minutes - first) // row_minutes))
            bottom = max(bottom, top + 1)
            if block is not None and top < block_end:
                block.items.append(item.payload)
                block_end = max(block_end, bottom)
                block.rowspan = block_end - block_start
                continue
            block = GridCell(rowspan=bottom - top, items=[item.payload])
            block_start, block_end = top, bottom
            blocks[top] = block
        starts.append(blocks)
    covered_until = [0] * len(columns)
    rows = []
    for index in range(row_count):
        cells: list[GridCell | None] = []
        for column, blocks in enumerate(starts):
            block = blocks.get(index)
            if block is not None:
                cells.append(block)
                covered_until[column] = index + block.rowspan
            elif index < covered_until[column]:
                cells.append(None)
            else:
                cells.append(_EMPTY)
        rows.append(GridRow(minute=first + index * row_minutes, cells=tuple(cells)))
    return rows


# One shared empty cell: the template only reads it.
_EMPTY = GridCell()
