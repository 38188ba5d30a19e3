"""The applicant of a zaak (issue 25): the provider, or the budgethouder of a pgb aanvraag
that names no provider (models/partijen.zonder_aanbieder_fout decides when that may).

A rule speaks to "the aanbieder" of a zaak (a `Bericht` with kanaal "aanbieder": the
ontvangstbevestiging, a herstel request, a reminder). A zaak without provider has no one
behind that channel: the budgethouder is the applicant, so each such message becomes a
letter to the budgethouder on its correspondentie channel (a `Mededeling`, made and made known
as every letter of the zaak, models/db/brieven.maak_mededeling), and no webhook to a provider
is queued. The message that carries a besluit's letter (`Bericht.bijlage`) is dropped: the
besluit's own letters already reach the budgethouder (models/besluit_brief.adresseringen).

One letter per person: a rewritten message and a transition's own notice of the same text
(a client-side indiener of a bezwaar, models/bezwaar_procedure.aan_indieners) merge into one
notice, which reaches each person once whatever roles they hold.

Provider-level parts read `ZONDER_AANBIEDER` to group these zaken (docs/DOMAIN.md §19).
"""

from __future__ import annotations

import dataclasses

from models.engine import Bericht, Overgang
from models.overgang import Mededeling
from models.partijen import ROLLEN

# How provider-level overviews (the werkvoorraad, reports) name the zaken without provider.
ZONDER_AANBIEDER = "pgb zonder aanbieder"


def aanbieder_label(agb: str | None) -> str:
    """A provider's AGB, or the group of zaken a budgethouder applied for without one."""
    return agb if agb else ZONDER_AANBIEDER


def naar_budgethouder(overgang: Overgang, client_ids: tuple[str, ...]) -> Overgang:
    """The transition of a zaak without provider (`client_ids`: its clients): what it sends
    to the aanbieder goes to the budgethouder as a letter instead (aanname: the budgethouder,
    as applicant, receives what the applicant receives; the seeds are silent on pgb)."""
    if not any(isinstance(e, Bericht) and e.kanaal == "aanbieder" for e in overgang.effecten):
        return overgang
    effecten: list = []
    for e in overgang.effecten:
        if not (isinstance(e, Bericht) and e.kanaal == "aanbieder"):
            effecten.append(e)
        elif not e.bijlage:
            ids = (e.client_id,) if e.client_id else client_ids
            effecten.append(Mededeling(e.sjabloon, dict(e.context), ids, ("budgethouder",)))
    return dataclasses.replace(overgang, effecten=tuple(_samen(effecten)))


def _samen(effecten: list) -> list:
    """Notices of one text (template and fields) merged into one: its clients and roles
    together, so a person with several of those roles receives it once."""
    out: list = []
    for e in effecten:
        zelfde = next(
            (
                i
                for i, m in enumerate(out)
                if isinstance(e, Mededeling)
                and isinstance(m, Mededeling)
                and (m.sjabloon, m.context) == (e.sjabloon, e.context)
            ),
            None,
        )
        if zelfde is None:
            out.append(e)
            continue
        m = out[zelfde]
        out[zelfde] = Mededeling(
            m.sjabloon,
            m.context,
            tuple(sorted({*m.client_ids, *e.client_ids})),
            tuple(r for r in ROLLEN if r in m.rollen or r in e.rollen),
        )
    return out
