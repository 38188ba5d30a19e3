"""The open bezwaar procedure as pure rules, shared by every step of it: who may object and
how the procedure names them (by role only), the procedure's bezwaarschriften (one per
indiener, Awb 7:12 lid 2) and which of them still count, the wait it is in now, the
behandelaar who may handle it (7:5), the onderbouwing a judgement needs (7:12), and how every
indiener hears a step (6:14). The steps themselves: models/bezwaar_registratie.py,
models/bezwaar_behandeling.py, models/bezwaar_beslissing.py (models/bezwaar.py gives the
overview)."""

from __future__ import annotations

import datetime as dt

from models.engine import Bericht, OngeldigeInvoer, invoer_datum, medewerker_met_rol
from models.overgang import BEZWAAR_ROLLEN, BEZWAAR_STATUSSEN, Mededeling, Stand
from models.overgang import ZaakStatus as S

# Every belanghebbende may object (Awb 1:2, 6:7): the provider as applicant, and for a client
# the client, a vertegenwoordiger or the budgethouder. aanname: the indiener is named by its
# capacity and client id, never by name (names stay in the parties' own records).
INDIENERS = ("zorgaanbieder", "client", "vertegenwoordiger", "budgethouder")
UITKOMSTEN = ("gegrond", "gedeeltelijk-gegrond", "ongegrond", "niet-ontvankelijk")
# Awb 7:11: the outcomes that revoke the besluit (partly: "voor zover het bezwaar gegrond
# is"); the zaak is assessed again and the new besluit replaces the contested one as a whole
# (models/bezwaar_beslissing.beslissing says why).
HERROEPEN = frozenset({"gegrond", "gedeeltelijk-gegrond"})
# Awb 7:3: the grounds to waive the hoorzitting, and the only uitkomst each allows (a, b, e:
# the ground is the outcome; c, d: the indiener waives, any outcome).
AFZIEN_GRONDEN: dict[str, str | None] = {
    "kennelijk niet-ontvankelijk": "niet-ontvankelijk",  # 7:3 a
    "kennelijk ongegrond": "ongegrond",  # 7:3 b
    "indiener ziet af": None,  # 7:3 c, d
    "volledig tegemoetgekomen": "gegrond",  # 7:3 e
}
# The indiener as a message to the provider and the beslissing's dictum name it: by role
# only (a group's letters go to every client's parties; no client reads who else objected).
ROL_TEKST = {
    "zorgaanbieder": ("de zorgaanbieder", "de zorgaanbieder"),
    "client": ("een cliënt", "cliënten"),
    "vertegenwoordiger": ("de vertegenwoordiger van een cliënt", "vertegenwoordigers van cliënten"),
    "budgethouder": ("de budgethouder van een cliënt", "budgethouders van cliënten"),
}


def open_bezwaar(feiten) -> dict | None:
    """The zaak's bezwaar still being handled (at most one), from `Feiten.bezwaren`."""
    return next((b for b in feiten.bezwaren if b.get("uitkomst") is None), None)


def indieners(bezwaar: dict) -> list[dict]:
    """The procedure's bezwaarschriften, copied (a rule changes them and passes the list on).
    A row without the list (none in the database since migration 0013) has its one."""
    lijst = bezwaar.get("indieners") or [
        {
            "indiener": bezwaar.get("indiener") or "zorgaanbieder",
            "client_id": None,
            "ontvangen": str(bezwaar.get("ontvangen")),
            "verzonden": None,
            "tijdig": bool(bezwaar.get("tijdig", True)),
            "verschoonbaar": bezwaar.get("verschoonbaar"),
            "pro_forma": False,
            "gronden": bezwaar.get("gronden") or "",
            "gronden_uiterlijk": None,
            "niet_ontvankelijk": False,
        }
    ]
    return [dict(i) for i in lijst]


def actieve_indieners(lijst: list[dict]) -> list[dict]:
    """The bezwaarschriften still in the procedure: not declared niet-ontvankelijk (6:6,
    6:11); only these are heard, named and decided on as the procedure's."""
    return [i for i in lijst if not i.get("niet_ontvankelijk")]


def zonder_gronden(i: dict) -> bool:
    """A pro forma bezwaarschrift whose gronden have not come yet (6:5, 6:6)."""
    return bool(i.get("pro_forma")) and not i.get("gronden")


def te_laat_open(i: dict) -> bool:
    """A late bezwaarschrift whose excusability is not yet judged (6:11)."""
    return not i.get("tijdig", True) and i.get("verschoonbaar") is None


def volgende_wacht(
    bezwaar: dict, lijst: list[dict] | None = None, peildatum: dt.date | None = None
) -> S:
    """Where the procedure waits now: the gronden of a pro forma bezwaarschrift first (6:6;
    a behandelaar's decision once their term passed), then the excusability of a late one
    (6:11), then the hoorzitting (7:2) or, once it is planned or waived, the beslissing
    (7:12). Indieners declared niet-ontvankelijk no longer count."""
    actief = actieve_indieners(indieners(bezwaar) if lijst is None else lijst)
    missend = [i for i in actief if zonder_gronden(i)]
    if peildatum is not None and any(
        invoer_datum(i["gronden_uiterlijk"]) < peildatum for i in missend
    ):
        return S.BEZWAAR_GRONDEN_VERSTREKEN
    if missend:
        return S.BEZWAAR_GRONDEN
    if any(te_laat_open(i) for i in actief):
        return S.BEZWAAR_TE_LAAT
    if bezwaar.get("hoorzitting_op") or bezwaar.get("afzien_grond"):
        return S.BEZWAAR_BESLISSEN
    return S.BEZWAAR_HOREN


def wie_tekst(lijst: list[dict]) -> str:
    """The indieners by role only: "de zorgaanbieder en een cliënt", "twee cliënten"."""
    delen = []
    for rol in INDIENERS:
        n = sum(1 for i in lijst if i["indiener"] == rol)
        if n == 1 or (n and rol == "zorgaanbieder"):
            delen.append(ROL_TEKST[rol][0])
        elif n:
            delen.append(f"{TELWOORD.get(n, n)} {ROL_TEKST[rol][1]}")
    if len(delen) <= 1:
        return delen[0] if delen else "de indiener"
    return ", ".join(delen[:-1]) + " en " + delen[-1]


TELWOORD = {2: "twee", 3: "drie", 4: "vier", 5: "vijf"}


def aan_indieners(bericht: Bericht, lijst: list[dict]) -> tuple:
    """The provider's message and, for every client-side indiener in `lijst`, the same text as
    a letter to its party: each indiener hears every step (Awb 6:14, 7:12 lid 2)."""
    client_zijdig = [i for i in lijst if i["indiener"] != "zorgaanbieder" and i.get("client_id")]
    if not client_zijdig:
        return (bericht,)
    return (
        bericht,
        Mededeling(
            bericht.sjabloon,
            bericht.context,
            client_ids=tuple(sorted({i["client_id"] for i in client_zijdig})),
            rollen=tuple(sorted({i["indiener"] for i in client_zijdig})),
        ),
    )


def bezwaar_in_behandeling(stand: Stand, feiten) -> dict:
    """The open bezwaar a step acts on; refused when the zaak is not in one of its waits."""
    bezwaar = open_bezwaar(feiten)
    if stand.status not in BEZWAAR_STATUSSEN or bezwaar is None:
        raise OngeldigeInvoer(f"zaak {stand.key} heeft geen bezwaar in behandeling")
    return bezwaar


def behandelaar(invoer: dict, feiten, bezwaar: dict) -> str:
    """Awb 7:5: a registered medewerker with a role that may handle a bezwaar, who did not
    take (or confirm) the contested besluit; the CCE never (R §10)."""
    wie = medewerker_met_rol(
        invoer.get("behandelaar"),
        feiten.beoordelaars,
        BEZWAAR_ROLLEN,
        als="behandelaar",
        mag_niet="mag geen bezwaar behandelen",
        leeg="vul het id van de behandelaar van het bezwaar in",
    )
    if wie in bezwaar.get("betrokken", []):
        raise OngeldigeInvoer(
            f"'{wie}' nam het bestreden besluit en mag het bezwaar niet behandelen (Awb 7:5)"
        )
    return wie


def vereiste_onderbouwing(invoer: dict, wat: str) -> str:
    """Every judgement on a bezwaar is reasoned (7:12): the onderbouwing, or the refusal."""
    tekst = (invoer.get("onderbouwing") or "").strip()
    if not tekst:
        raise OngeldigeInvoer(f"{wat} vraagt een onderbouwing (Awb 7:12)")
    return tekst[:4000]
