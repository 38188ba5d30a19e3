"""A client leaves the group, in pure rules (R §8; issue 12 item 6, issue 25).

The departing client's own beschikking ends by a besluit of its own, a beëindiging
addressed to that client's parties and the provider; the other clients' beschikkingen run
on as they are. A group left with fewer than two clients with a running beschikking is
reassessed at once (R §8), in the same transition. What a vertrek shares with an instroom
(the running beschikkingen, the signal of a group below two, the besluit record's base) is
in models/mutatie.py. tasks/opvolging_mutatie.py reads and writes; nothing here does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from models.beleid import beleid_op
from models.besluit_brief import bedrag_nl, datum_nl
from models.engine import Bericht
from models.mutatie import (
    Lopend,
    besluit_basis,
    groep_signaal,
    groep_te_klein,
    lopend_op,
    met_bevinding,
)
from models.overgang import (
    BesluitVastgelegd,
    ClientBeeindigd,
    NieuweRonde,
    Stand,
    ToetsVastgelegd,
    ZaakOvergang,
)


def vertrek_besluit(
    stand: Stand,
    eigen: Lopend,
    eind: dt.date,
    blijvend: int,
    herbeoordelen: bool,
    beoordelaar: str,
    peildatum: dt.date,
) -> dict:
    """The beëindiging of the departing client's own beschikking (R §8), addressed to that
    client's parties and the provider only. Its ingangsdatum and vervaldatum are the
    beschikking's start and its new end; the amount stays what it was. Nothing in it names
    another client of the group (the letter goes to this client's parties)."""
    client_id = eigen.client_id
    motivering = [
        f"Cliënt {client_id} verlaat de groep in zaak {stand.key}. De meerzorg voor deze "
        "cliënt liep "
        + (f"van {datum_nl(eigen.start)} " if eigen.start else "")
        + f"tot en met {datum_nl(eigen.eind)}, {bedrag_nl(eigen.bedrag_per_jaar)} per jaar.",
        "Bij groepsmeerzorg krijgt iedere cliënt een eigen beschikking, voor de zorg in de "
        "groep (R §8). Verlaat een cliënt de groep, dan eindigt diens beschikking; de "
        "beschikkingen van de andere cliënten lopen door zoals ze zijn.",
    ]
    regels = [
        [
            "Iedere cliënt in groepsmeerzorg heeft een eigen beschikking voor de zorg in de groep",
            "R §8",
        ]
    ]
    if herbeoordelen:
        motivering.append(
            f"Na het vertrek heeft de groep nog {blijvend} cliënt(en) met een lopende "
            "beschikking. Groepsmeerzorg is voor twee of meer cliënten (R §8): het zorgkantoor "
            "herbeoordeelt daarom de meerzorg voor de groep."
        )
        regels.append(["Groepsmeerzorg is voor twee of meer cliënten", "R §8"])
    return {
        **besluit_basis(stand, peildatum, beleid_op(peildatum).versie),
        "uitkomst": "vertrek",
        "soort": "beeindiging",
        "beoordelaar": beoordelaar,
        "client_ids": [client_id],
        "start": eigen.start,
        "eind": eind,
        "bedrag_per_jaar": eigen.bedrag_per_jaar,
        "dictum": [
            f"De meerzorg voor cliënt {client_id} eindigt per {datum_nl(eind)} "
            "(vertrek uit de groep)."
        ],
        "motivering": motivering,
        "regels": regels,
    }


def vertrek(
    stand: Stand,
    eigen: Lopend,
    per: dt.date,
    anderen: Iterable[Lopend],
    beoordelaar: str,
    peildatum: dt.date,
    toets_beleidsversie: str | None,
) -> ZaakOvergang:
    """A client leaves the group: its beschikking ends on `per` (at the latest its own end)
    by a besluit of its own, whose letter the provider's message carries. Fewer than two
    clients with a beschikking running after that day (a pending vertrek of another counts
    as gone by its own date) → reassessment at once (R §8), in the same transition.
    `toets_beleidsversie`: the zaak's, kept with the GROEP_TE_KLEIN finding on its toets."""
    eind = min(per, eigen.eind)
    blijvend = len(lopend_op(anderen, eind + dt.timedelta(days=1)))
    herbeoordelen = groep_te_klein(stand.aanvraag.vorm, blijvend)
    record = vertrek_besluit(stand, eigen, eind, blijvend, herbeoordelen, beoordelaar, peildatum)
    effecten: list = [
        ClientBeeindigd(eigen.client_id, per),
        NieuweRonde(),
        BesluitVastgelegd(record),
        Bericht(
            "mutatie_vertrek",
            client_id=eigen.client_id,
            context={"client_id": eigen.client_id, "eind": eind.isoformat()},
            bijlage=True,
        ),
    ]
    if herbeoordelen:
        bericht, bevinding = groep_signaal(blijvend, eind)
        effecten += [
            bericht,
            ToetsVastgelegd(met_bevinding(stand.toets, bevinding), toets_beleidsversie),
        ]
    return ZaakOvergang(
        status=stand.status,
        actie="mutatie_vertrek",
        nieuwe_wacht=False,
        effecten=tuple(effecten),
        details={
            "client_id": eigen.client_id,
            "per": per.isoformat(),
            "eind": eind.isoformat(),
            "blijvend": blijvend,
            "herbeoordeling_groep": herbeoordelen,
        },
    )
