"""A message's template lives with the rule that sends it (docs/uitbreiden.md, "Add a wait"):
a wait added later declares its templates next to its rules, and the names stay unique."""

from __future__ import annotations

import pytest

import models.soorten  # noqa: F401  (every kind, and so every rule module, imported)
from models import berichten
from models.berichten import SJABLONEN, maak_bericht, sjablonen
from models.engine import Bericht


def test_a_later_waits_templates_are_declared_with_its_rules_not_in_the_central_list():
    bron = open(berichten.__file__, encoding="utf-8").read()
    for naam in ("voornemen_afwijzen", "bijstellen", "dwangsom_vastgesteld"):
        assert naam in SJABLONEN
        assert f'"{naam}"' not in bron


def test_a_template_name_declared_twice_is_refused_and_the_first_text_stays():
    eerst = SJABLONEN["voornemen_afwijzen"]
    with pytest.raises(ValueError, match="voornemen_afwijzen' heeft al een sjabloon"):
        sjablonen(voornemen_afwijzen=("x", "y"))
    assert SJABLONEN["voornemen_afwijzen"] == eerst


def test_a_message_without_a_template_fails_when_the_rule_makes_it():
    with pytest.raises(ValueError, match="'bestaat_niet' heeft geen sjabloon"):
        Bericht("bestaat_niet")


def test_a_declared_template_renders_with_its_fields():
    onderwerp, tekst = maak_bericht(
        "ingebrekestelling_beslissen", zaak="MZ-2026-000001", beslis_voor="2027-01-15"
    )
    assert "MZ-2026-000001" in onderwerp and "2027-01-15" in tekst
