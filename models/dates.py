"""Calendar helpers: dates are dates in Europe/Amsterdam."""

from __future__ import annotations

import datetime as dt

import pendulum

TZ = "Europe/Amsterdam"


def vandaag() -> dt.date:
    """Today in Europe/Amsterdam: the default peildatum everywhere."""
    today = pendulum.today(TZ)
    return dt.date(today.year, today.month, today.day)


def parse_datum(text: str) -> dt.date:
    """Parse an ISO date (YYYY-MM-DD); raises ValueError with a readable message."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date (expected YYYY-MM-DD)") from None


def plus_maanden(datum: dt.date, maanden: int) -> dt.date:
    """Calendar months later (or earlier), clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    p = pendulum.Date(datum.year, datum.month, datum.day).add(months=maanden)
    return dt.date(p.year, p.month, p.day)


def termijn_einde(start: dt.date, maanden: int) -> dt.date:
    """Last day of a term of `maanden` months that starts on `start` (3 years from 1 Feb ends 31 Jan)."""
    return plus_maanden(start, maanden) - dt.timedelta(days=1)


def maanden_tussen(start: dt.date, eind_inclusief: dt.date) -> float:
    """Length of an inclusive term in months, as a fraction (1 Feb..31 Jul = 6.0)."""
    dag_na = eind_inclusief + dt.timedelta(days=1)
    hele = (dag_na.year - start.year) * 12 + (dag_na.month - start.month)
    if plus_maanden(start, hele) > dag_na:
        hele -= 1
    rest_start = plus_maanden(start, hele)
    rest_eind = plus_maanden(start, hele + 1)
    return hele + (dag_na - rest_start).days / (rest_eind - rest_start).days
