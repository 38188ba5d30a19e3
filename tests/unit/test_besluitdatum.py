"""Issue 25: a besluit is dated the day it is taken. A command acting for a person (a group
mutation on the CLI) refuses another --peildatum with the door on; the gateway does the same
for a Resume (tests/flows/test_toegang.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from deployments.aanmelding import besluitdatum
from deployments.errors import CliFout

VANDAAG = dt.date(2026, 12, 7)


@pytest.fixture
def deur(monkeypatch):
    # get_settings reads the environment again when it changed
    return lambda stand: monkeypatch.setenv("MEERZORG_AUTH", stand)


def test_a_person_cannot_date_a_besluit_back_or_forward(deur):
    deur("aan")
    for datum in (VANDAAG - dt.timedelta(days=60), VANDAAG + dt.timedelta(days=1)):
        with pytest.raises(CliFout, match="de dag waarop het wordt genomen"):
            besluitdatum(datum, VANDAAG)


def test_today_or_no_date_is_a_persons_besluitdatum(deur):
    deur("aan")
    besluitdatum(None, VANDAAG)
    besluitdatum(VANDAAG, VANDAAG)


def test_without_the_door_development_keeps_its_peildatum(deur):
    deur("uit")
    besluitdatum(VANDAAG - dt.timedelta(days=60), VANDAAG)
