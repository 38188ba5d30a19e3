"""The spiegel figure: what comparable beschikkingen were granted, beside this aanvraag.

Issue 12 item 5 asks for "the median amount of comparable beschikkingen: same profile and
leveringsvorm". The regeling gives no method (R §10 asks the zorgkantoor to weigh
doelmatigheid), so the choices below are marked `aanname`:
- comparable = same zorgprofiel and same leveringsvorm of the client, any status (a running
  or an earlier, ended beschikking both say what was found reasonable);
- the figure is the median of the yearly amount per client (one beschikking per client,
  R §8), not the mean: one maatwerkbedrag must not pull the figure;
- the zaak's own beschikkingen never count (the caller leaves them out): a spiegel of itself
  says nothing.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Vergelijkbare:
    """One granted beschikking as the spiegel sees it: no zaak, no client, only the facts."""

    zorgprofiel: str
    leveringsvorm: str
    bedrag_per_jaar: float


def mediaan(bedragen: Iterable[float]) -> float | None:
    """The median (the mean of the middle two for an even count), rounded to cents; None
    when there is nothing to compare with."""
    waarden = sorted(float(b) for b in bedragen)
    if not waarden:
        return None
    return round(statistics.median(waarden), 2)


def vergelijkbaar(b: Vergelijkbare, zorgprofiel: str, leveringsvorm: str) -> bool:
    """Same zorgprofiel and leveringsvorm (issue 12 item 5; aanname: nothing else)."""
    return b.zorgprofiel == zorgprofiel and b.leveringsvorm == leveringsvorm


def spiegel(beschikkingen: Iterable[Vergelijkbare], profielen: Iterable[tuple[str, str]]) -> dict:
    """The spiegel for an aanvraag whose clients have these (zorgprofiel, leveringsvorm)
    pairs: the median over every beschikking comparable to one of its clients, and per pair.

    A group usually shares one profile; a mixed group gets one line per pair, and the overall
    figure then is of all comparable beschikkingen together (aanname: the assessor compares the
    group's amount per client with it)."""
    paren = list(dict.fromkeys(profielen))  # in the aanvraag's order, each pair once
    alle = list(beschikkingen)
    per_profiel = []
    gekozen: list[Vergelijkbare] = []
    for zorgprofiel, leveringsvorm in paren:
        deze = [b for b in alle if vergelijkbaar(b, zorgprofiel, leveringsvorm)]
        gekozen += deze
        per_profiel.append(
            {
                "zorgprofiel": zorgprofiel,
                "leveringsvorm": leveringsvorm,
                "mediaan_bedrag_per_jaar": mediaan(b.bedrag_per_jaar for b in deze),
                "aantal": len(deze),
            }
        )
    return {
        "mediaan_bedrag_per_jaar": mediaan(b.bedrag_per_jaar for b in gekozen),
        "aantal": len(gekozen),
        "per_profiel": per_profiel,
    }


def spiegel_regel(s: dict) -> str:
    """One line for the card: the figure and how many it rests on, or that there are none."""
    if not s.get("aantal"):
        return "geen vergelijkbare beschikkingen"
    n = s["aantal"]
    return (
        f"mediaan {s['mediaan_bedrag_per_jaar']:,.2f} euro per client per jaar "
        f"({n} vergelijkbare beschikking{'en' if n != 1 else ''})"
    )
