"""Plain-language wording of the library's numbers, for pages, plans and client sheets."""

from __future__ import annotations


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _times_a_day(number: int) -> str:
    return {1: "once a day", 2: "twice a day"}.get(number, f"{number} times a day")


def dosage_text(
    *,
    reps: int | None,
    hold_seconds: int | None,
    duration_minutes: int | None,
    sets: int | None,
    times_per_day: int | None,
    note: str = "",
) -> str:
    """A home-care dose in client words (clinical rules §7), e.g. "Hold 30 seconds · 3 sets · once a day".

    Only the parts that are set appear, always in the same order: how long or how many,
    then sets, then how often, then the therapist's note.
    """
    parts = []
    if duration_minutes:
        parts.append(_count(duration_minutes, "minute", "minutes"))
    if reps:
        parts.append(_count(reps, "repetition", "repetitions"))
    if hold_seconds:
        parts.append(f"hold {_count(hold_seconds, 'second', 'seconds')}")
    if sets:
        parts.append(_count(sets, "set", "sets"))
    if times_per_day:
        parts.append(_times_a_day(times_per_day))
    if note.strip():
        parts.append(note.strip())
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def frequency_text(
    *,
    per_week: int,
    weeks: int,
    then_every_weeks_min: int,
    then_every_weeks_max: int,
    note: str = "",
) -> str:
    """Booking advice (clinical rules §6), e.g. "2 visits a week for 3 weeks, then one visit every 2-4 weeks."."""
    if then_every_weeks_min == then_every_weeks_max:
        then = "every week" if then_every_weeks_min == 1 else f"every {then_every_weeks_min} weeks"
    else:
        then = f"every {then_every_weeks_min}-{then_every_weeks_max} weeks"
    text = (
        f"{_count(per_week, 'visit', 'visits')} a week for {_count(weeks, 'week', 'weeks')}, "
        f"then one visit {then}."
    )
    return f"{text} {note.strip()}" if note.strip() else text
