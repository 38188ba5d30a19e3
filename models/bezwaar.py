"""Bezwaar (Awb chapters 6 and 7) as pure rules: bezwaarschriften registered against one
besluit (any of the zaak's, by any belanghebbende: the provider, a client, a
vertegenwoordiger, the budgethouder), several against the same besluit being one procedure
with several indieners (7:12 lid 2); their timeliness, each by its own letter's term (6:7-
6:9, 6:11); a pro forma bezwaarschrift and its term for the gronden (6:5, 6:6); the handling
by someone not involved (7:5), the hoorzitting or the ground to waive it (7:2, 7:3), the term
of the beslissing op bezwaar and its one verdaging (7:10), and the beslissing itself: a
besluit of its own whose letters carry the beroep clause (6:7, 8:1).

This module is the bezwaar's entry points: the steps the zaak's waits call (models/proces.py),
and what the CLI (deployments/cli_bezwaar.py) and tasks/bezwaar.py read. The rules live by
stage, each importing only the ones before it:
- models/bezwaar_procedure.py: the open procedure every step shares: its indieners, the
  wait it is in, its behandelaar (7:5), how each indiener hears a step (6:14);
- models/bezwaar_registratie.py: registering a bezwaarschrift (in time, several indieners,
  pro forma, the acknowledgement);
- models/bezwaar_behandeling.py: the gronden after pro forma, the excusability of a late
  one, the hoorzitting;
- models/bezwaar_verslag.py: the hoorzitting's week after the invitation (7:4) and its
  verslag (7:7);
- models/bezwaar_beslissing.py: the verdaging of its term, the beslissing op bezwaar
  (gegrond, partly, or not) with the kostenvergoeding (7:15) and its besluit record, beroep
  after gegrond;
- models/bezwaar_termijnen.py: the terms and their timers.

Why waits of the zaak and not a case kind of its own: a bezwaar is a reconsideration of the
zaak's own besluit (7:11), and a gegrond bezwaar sends the zaak back to its own beoordeling,
where the new besluit is taken by the same rules, roles, four eyes and beschikkingen as the
first (models/besluit.py). A kind of its own would have to hand the zaak back and forth and
would need a second run per zaak; as waits, the zaak's card, werkvoorraad, audit trail and
run show the bezwaar as what the zaak waits for now. The price: the zaak has one status, so
a running beschikking's timers fire beside the bezwaar's wait without moving the zaak
(models/bezwaar_termijnen.tijdens_bezwaar: the einde ends the care, the contact and CCE
reminders fire, the herbeoordeling waits for the bezwaar), and one procedure is open at a
time (a bezwaar against another besluit waits until it is decided)."""

from __future__ import annotations

# Re-exported from the stage modules: the callers (models/proces.py, tasks/bezwaar.py,
# deployments/cli_bezwaar.py) and tests/unit/test_bezwaar_rules.py (some 35 lines) call them
# as `bezwaar.<name>`; new code may import from the stage module itself.
from models.bezwaar_behandeling import na_gronden, na_hoorzitting, na_verschoonbaarheid
from models.bezwaar_beslissing import met_beroep, na_beslissing, verdaging
from models.bezwaar_procedure import AFZIEN_GRONDEN, INDIENERS, UITKOMSTEN, indieners
from models.bezwaar_registratie import registreer, zonder_brief

__all__ = [
    "AFZIEN_GRONDEN",
    "INDIENERS",
    "UITKOMSTEN",
    "indieners",
    "met_beroep",
    "na_beslissing",
    "na_gronden",
    "na_hoorzitting",
    "na_verschoonbaarheid",
    "registreer",
    "verdaging",
    "zonder_brief",
]
