"""The range of dates the clinic accepts, for forms and for dates read from a query string.

Python's dates run from year 1 to 9999, but a day near either end cannot be turned into a
datetime in the clinic's zone (or a week around it) without an OverflowError. No clinical
date is before 1900, and nothing is booked more than BOOKING_HORIZON_DAYS ahead.
"""

from __future__ import annotations

from datetime import date, timedelta

EARLIEST_DATE = date(1900, 1, 1)
BOOKING_HORIZON_DAYS = 2 * 365

DATE_BEFORE_1900 = "That date is before 1900: check the year."
DATE_TOO_FAR_AHEAD = "That date is more than 2 years ahead: pick a date up to {latest:%d %B %Y}."
DATE_BEFORE_BIRTH = "That date is before the client was born ({born:%d %B %Y}): check the year."
QUERY_DATE_REFUSED = (
    "The date in the address (“{value}”) is not a date between 1900 and 2 years ahead: "
    "showing today instead."
)


def latest_date(today: date) -> date:
    """The last day that may be booked or looked at ahead of `today`."""
    return today + timedelta(days=BOOKING_HORIZON_DAYS)


def date_problem(value: date, *, today: date, born: date | None = None) -> str | None:
    """Why `value` is outside the accepted range (1900, or the client's birth, to the
    horizon), or None."""
    if value < EARLIEST_DATE:
        return DATE_BEFORE_1900
    if born is not None and value < born:
        return DATE_BEFORE_BIRTH.format(born=born)
    latest = latest_date(today)
    if value > latest:
        return DATE_TOO_FAR_AHEAD.format(latest=latest)
    return None


def query_date(value: str | None, *, today: date) -> date | None:
    """A date from a query string, or None when it is missing, malformed or out of range."""
    if not value or len(value) > 10:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if date_problem(parsed, today=today) is None else None
