"""Calendar helpers: dates are dates in Europe/Amsterdam."""

from __future__ import annotations

import datetime as dt
import functools

import holidays
import pendulum

TZ = "Europe/Amsterdam"


def vandaag() -> dt.date:
    """Today in Europe/Amsterdam: the default peildatum everywhere."""
    today = pendulum.today(TZ)
    return dt.date(today.year, today.month, today.day)


def dag_van(moment: dt.datetime) -> dt.date:
    """The date in Europe/Amsterdam of a moment (an aware datetime, e.g. UTC)."""
    d = pendulum.instance(moment).in_timezone(TZ)
    return dt.date(d.year, d.month, d.day)


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


# Algemene termijnenwet art. 3: the algemeen erkende feestdagen are Nieuwjaarsdag, tweede
# Paas- en Pinksterdag, both Kerstdagen, Hemelvaartsdag, Koningsdag and 5 May every year.
# The `holidays` package keeps the moving ones (Easter, Koningsdag on 26 April when the 27th
# is a Sunday); it also lists Goede Vrijdag, which the Atw does not, and 5 May only every
# fifth year, which the Atw counts every year.
_NIET_ATW = {"Good Friday"}


@functools.lru_cache(maxsize=256)
def _feestdagen(jaar: int) -> frozenset[dt.date]:
    nl = holidays.country_holidays("NL", years=jaar, language="en_US")
    dagen = {d for d, naam in nl.items() if naam not in _NIET_ATW}
    return frozenset(dagen | {dt.date(jaar, 5, 5)})


def is_werkdag(datum: dt.date) -> bool:
    """Not a Saturday, Sunday or algemeen erkende feestdag (Atw art. 1 and 3)."""
    return datum.weekday() < 5 and datum not in _feestdagen(datum.year)


def atw_einde(datum: dt.date) -> dt.date:
    """Atw art. 1: a term set by law that ends on a Saturday, Sunday or algemeen erkende
    feestdag runs on to the next day that is none of these."""
    while not is_werkdag(datum):
        datum += dt.timedelta(days=1)
    return datum
