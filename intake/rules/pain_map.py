"""The body pain map (clinical rules §2.5): regions of the front and back outlines, what a mark
on each means, and what a set of marks implies for the history.

A mark is stored as a code "<region>:<sensation>", e.g. "calf_left:numbness". Regions follow the
sciatic territory: the buttock, the back of the thigh (hamstring), the calf and the foot, with the
L4, L5 and S1 dermatomes of the lower leg and foot. Pure data and functions: no ORM, no request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models


class Sensation(models.TextChoices):
    PAIN = "pain", "Pain"
    NUMBNESS = "numbness", "Numbness"
    TINGLING = "tingling", "Tingling / pins and needles"


class View(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


@dataclass(frozen=True)
class Region:
    """One tappable area: `code` names it in storage; `below_knee` marks radiation past the
    knee (clinical rules §2.4); `dermatome` is the nerve root whose skin area it is, if one."""

    code: str
    label: str
    view: View
    side: str  # "left" or "right": the client's own side
    below_knee: bool
    dermatome: str = ""
    # The outline drawn for it, in the map's 200x440 coordinate box (see _shape).
    path: str = ""


# (name, label, view, below knee, dermatome, outline for the client's RIGHT side). The left side
# mirrors it. On the front view the client's right is on the viewer's left; on the back view the
# client's right is on the viewer's right.
_AREAS = (
    ("low_back", "Lower back", View.BACK, False, "", "M122 120 L162 120 L164 160 L122 160 Z"),
    ("buttock", "Buttock", View.BACK, False, "", "M122 163 L166 163 L168 210 L122 210 Z"),
    (
        "hamstring",
        "Back of the thigh",
        View.BACK,
        False,
        "S1",
        "M124 213 L168 213 L163 300 L129 300 Z",
    ),
    ("calf", "Calf", View.BACK, True, "S1", "M129 304 L162 304 L156 388 L133 388 Z"),
    ("sole", "Heel and sole", View.BACK, True, "S1", "M133 392 L156 392 L158 430 L131 430 Z"),
    (
        "front_thigh",
        "Front of the thigh",
        View.FRONT,
        False,
        "L4",
        "M124 175 L168 175 L163 300 L129 300 Z",
    ),
    ("shin_inner", "Inner shin", View.FRONT, True, "L4", "M129 304 L144 304 L143 388 L133 388 Z"),
    ("shin_outer", "Outer shin", View.FRONT, True, "L5", "M146 304 L162 304 L156 388 L145 388 Z"),
    (
        "foot_top",
        "Top of the foot and big toe",
        View.FRONT,
        True,
        "L5",
        "M131 392 L145 392 L145 430 L124 430 Z",
    ),
    (
        "foot_outer",
        "Outer edge of the foot",
        View.FRONT,
        True,
        "S1",
        "M147 392 L157 392 L166 430 L147 430 Z",
    ),
)

# The body's silhouette, the same for the front and the back view.
BODY_OUTLINE = (
    "M104 60 L136 60 L170 72 L176 165 L170 215 L172 300 L162 390 L168 434 L124 434 L124 390 "
    "L122 300 L120 232 L118 300 L116 390 L116 434 L72 434 L78 390 L68 300 L70 215 L64 165 "
    "L70 72 Z"
)
HEAD = (120, 36, 22)

MAP_WIDTH = 240


def _mirror_path(path: str) -> str:
    """The same outline reflected about the map's vertical midline (x -> width - x)."""
    parts = path.replace("M", "M ").replace("L", "L ").replace("Z", " Z").split()
    out: list[str] = []
    expect_x = False
    for part in parts:
        if part in ("M", "L"):
            out.append(part)
            expect_x = True
        elif part == "Z":
            out.append(part)
        elif expect_x:
            out.append(f"{MAP_WIDTH - float(part):g}")
            expect_x = False
        else:
            out.append(part)
    return " ".join(out)


def _regions() -> tuple[Region, ...]:
    regions = []
    for name, label, view, below_knee, dermatome, right_path in _AREAS:
        # Front view: the client's right is the viewer's left (x < 120); back view: the
        # viewer's right (x > 120). The outlines above are drawn at x > 100: mirror as needed.
        right_on_viewer_right = view == View.BACK
        right = right_path if right_on_viewer_right else _mirror_path(right_path)
        left = _mirror_path(right)
        for side, path in (("right", right), ("left", left)):
            regions.append(
                Region(
                    code=f"{name}_{side}",
                    label=f"{label}, {side}",
                    view=view,
                    side=side,
                    below_knee=below_knee,
                    dermatome=dermatome,
                    path=path,
                )
            )
    return tuple(regions)


REGIONS: tuple[Region, ...] = _regions()
REGION_BY_CODE = {r.code: r for r in REGIONS}
MARK_CODES = frozenset(f"{r.code}:{s}" for r in REGIONS for s in Sensation.values)

PAIN_MAP_UNKNOWN_MARK = "Unknown place on the body map: {code}."


def mark_code(region: str, sensation: str) -> str:
    return f"{region}:{sensation}"


def marks_clean(codes: Iterable[str]) -> list[str]:
    """The marks, validated (ValueError naming the first unknown one) and in map order."""
    codes = list(codes)
    for code in codes:
        if code not in MARK_CODES:
            raise ValueError(PAIN_MAP_UNKNOWN_MARK.format(code=code))
    wanted = set(codes)
    return [
        mark_code(r.code, s)
        for r in REGIONS
        for s in Sensation.values
        if mark_code(r.code, s) in wanted
    ]


@dataclass(frozen=True)
class PainMapSummary:
    """What the marks say for the history (clinical rules §2.4-2.5)."""

    side: str  # "left", "right", "both" or "" when nothing is marked
    radiates_past_knee: bool
    dermatomes: tuple[str, ...]
    # (region label, sensation labels) for each marked region, in map order.
    regions: tuple[tuple[str, tuple[str, ...]], ...]


def pain_map_summarise(codes: Iterable[str]) -> PainMapSummary:
    """Side: every side marked (both when left and right); past the knee when any region below
    the knee is marked, whatever the sensation (numbness or tingling down the leg is radicular
    too); the dermatomes touched, in root order."""
    marks = marks_clean(codes)
    by_region: dict[str, list[str]] = {}
    for mark in marks:
        region, sensation = mark.split(":")
        by_region.setdefault(region, []).append(Sensation(sensation).label)
    regions = [REGION_BY_CODE[code] for code in by_region]
    sides = {r.side for r in regions}
    side = "both" if len(sides) == 2 else (sides.pop() if sides else "")
    dermatomes = tuple(sorted({r.dermatome for r in regions if r.dermatome}))
    return PainMapSummary(
        side=side,
        radiates_past_knee=any(r.below_knee for r in regions),
        dermatomes=dermatomes,
        regions=tuple((REGION_BY_CODE[c].label, tuple(s)) for c, s in by_region.items()),
    )
