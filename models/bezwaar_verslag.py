"""The hoorzitting's own rules, pure: the invitation and the week the stukken lie open
before it (Awb 7:4), and the verslag made of it (7:7): who was heard, when it was drawn up
and sent, and its text (free text: it stays in the case database, never in a message, the
audit's details or Prefect). The step that plans or waives the hoorzitting is
models/bezwaar_behandeling.na_hoorzitting; the beslissing waits for the verslag
(models/bezwaar_beslissing.na_beslissing)."""

from __future__ import annotations

import datetime as dt

from models.bezwaar_procedure import (
    INDIENERS,
    actieve_indieners,
    behandelaar,
    bezwaar_in_behandeling,
    indieners,
)
from models.bezwaar_termijnen import INZAGE_DAGEN
from models.engine import OngeldigeInvoer, Overgang, invoer_datum
from models.overgang import BezwaarBijgewerkt, Stand, ZaakOvergang
from models.overgang import ZaakStatus as S

# Nobody came: the verslag says so (7:7 still asks for one; aanname: "niemand" is recorded
# rather than an empty list, so a forgotten field is not read as "nobody came").
NIEMAND = "niemand"


def hoorzitting_datum(invoer: dict, peildatum: dt.date, ontvangen: dt.date) -> dt.date:
    """Awb 7:4 lid 2: the stukken lie open for at least a week before the hoorzitting, from
    the invitation, which the step sends today (its message); so the hoorzitting is at least
    a week after the peildatum. Not before the bezwaar came either."""
    op = invoer_datum(invoer.get("hoorzitting_op"), "hoorzitting_op")
    if op is None:
        raise OngeldigeInvoer("vul de datum van de hoorzitting in (Awb 7:2)")
    if op < ontvangen:
        raise OngeldigeInvoer(f"de hoorzitting ({op}) ligt voor de ontvangst van het bezwaar")
    vroegst = peildatum + dt.timedelta(days=INZAGE_DAGEN)
    if op < vroegst:
        raise OngeldigeInvoer(
            f"de hoorzitting ({op}) ligt minder dan een week na de uitnodiging ({peildatum}); "
            f"de stukken liggen ten minste een week ter inzage, dus op of na {vroegst} "
            "(Awb 7:4 lid 2)"
        )
    return op


def gehoorden(waarde, bezwaar: dict) -> list[str]:
    """Who was heard, by role (never a name): a list or a comma-separated text of the
    procedure's indieners' roles, or "niemand"."""
    if isinstance(waarde, str):
        delen = [d.strip() for d in waarde.split(",") if d.strip()]
    else:
        delen = [str(d).strip() for d in (waarde or []) if str(d).strip()]
    if delen == [NIEMAND]:
        return []
    if not delen:
        raise OngeldigeInvoer(
            f"vul in wie er gehoord is (rollen, komma-gescheiden) of '{NIEMAND}' (Awb 7:7)"
        )
    rollen = {i["indiener"] for i in actieve_indieners(indieners(bezwaar))}
    onbekend = [d for d in delen if d not in INDIENERS or d not in rollen]
    if onbekend:
        raise OngeldigeInvoer(
            f"gehoord: {', '.join(onbekend)} is geen indiener in dit bezwaar "
            f"(indieners: {', '.join(sorted(rollen))})"
        )
    return sorted(set(delen))


def na_verslag(stand: Stand, invoer: dict, peildatum: dt.date, feiten) -> Overgang:
    """Awb 7:7: of the hoorzitting a verslag is made. Recorded once it was held: who was heard,
    the day it was drawn up (not before the hoorzitting, not after today), the day it was
    sent to the indieners (aanname: they get it before the beslissing, so they can react),
    and its text. Recording it again replaces it (a corrected verslag)."""
    bezwaar = bezwaar_in_behandeling(stand, feiten)
    if stand.status != S.BEZWAAR_BESLISSEN:
        raise OngeldigeInvoer(f"het bezwaar in zaak {stand.key} wacht nog op de hoorzitting")
    hoorzitting = invoer_datum(bezwaar.get("hoorzitting_op"))
    if hoorzitting is None:
        raise OngeldigeInvoer(
            "er is geen hoorzitting gehouden (afgezien op grond van Awb 7:3): geen verslag"
        )
    if hoorzitting > peildatum:
        raise OngeldigeInvoer(f"de hoorzitting van {hoorzitting} is nog niet gehouden (Awb 7:7)")
    wie = behandelaar(invoer, feiten, bezwaar)
    gehoord = gehoorden(invoer.get("gehoord"), bezwaar)
    opgemaakt = invoer_datum(invoer.get("verslag_op"), "verslag_op") or peildatum
    if not hoorzitting <= opgemaakt <= peildatum:
        raise OngeldigeInvoer(
            f"het verslag ({opgemaakt}) is opgemaakt tussen de hoorzitting ({hoorzitting}) en "
            f"vandaag ({peildatum})"
        )
    verzonden = invoer_datum(invoer.get("verslag_verzonden_op"), "verslag_verzonden_op")
    if verzonden is not None and not opgemaakt <= verzonden <= peildatum:
        raise OngeldigeInvoer(
            f"het verslag is verzonden ({verzonden}) tussen het opmaken ({opgemaakt}) en "
            f"vandaag ({peildatum})"
        )
    tekst = (invoer.get("verslag_tekst") or "").strip()
    if not tekst:
        raise OngeldigeInvoer("vul het verslag van de hoorzitting in (Awb 7:7)")
    verslag = {
        "gehoord": gehoord,
        "opgemaakt_op": opgemaakt.isoformat(),
        "verzonden_op": verzonden.isoformat() if verzonden else None,
        "tekst": tekst[:8000],
    }
    return ZaakOvergang(
        status=S.BEZWAAR_BESLISSEN,
        actie="bezwaar_verslag_vastgelegd",
        # Roles and dates only: the verslag's text stays in the bezwaar row.
        details={
            "behandelaar": wie,
            "gehoord": gehoord,
            "opgemaakt_op": verslag["opgemaakt_op"],
            "verzonden_op": verslag["verzonden_op"],
        },
        effecten=(BezwaarBijgewerkt({"verslag": verslag, "behandelaar": wie}),),
    )
