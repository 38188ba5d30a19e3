"""The historical import in bulk: one batch of validated lines in one transaction, with a
few statements per table instead of a flush per row.

What exists is read once per batch (the zaken of these lines, their providers, clients and
ontwikkeltrajecten), the batch's zaak keys come from one counter update per year, every zaak
is registered and brought to where its history left it in memory, by the same transitions
(tasks/historie_overgangen.py) and the live apply itself (models/db/zaak_store.pas_toe) on
the store in memory (models/db/geheugen.py), and the rows are written per table with one
executemany each. The result is row for row what the per-transition path
(tasks/historie_import.importeer_per_overgang) writes; tests/integration/test_import_bulk.py
holds the two together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session

from models.db.geheugen import MemoryStore
from models.db.historie_store import (
    bekende_aanbieders,
    clienten_van,
    nieuwe_zaak_keys,
    schrijf_geheugen,
    trajecten_van,
    zaken_van_referenties,
)
from models.db.tables import (
    AuditEvent,
    Beschikking,
    Besluit,
    Client,
    Deadline,
    Ontwikkeltraject,
    Zaak,
    Zorgaanbieder,
)
from models.db.zaak_store import pas_toe
from models.historie import Regel
from models.overgang import Stand
from tasks.historie_overgangen import IMPORT_ACTOR, historische_overgangen, ontvangst_toets

# The tables a batch inserts into, parents first (foreign keys).
TABELLEN = (
    Zorgaanbieder,
    Client,
    Zaak,
    Ontwikkeltraject,
    Besluit,
    Beschikking,
    Deadline,
    AuditEvent,
)
# What a client row takes from every aanvraag that names the client (store.registreer_zaak).
CLIENT_VELDEN = ("bsn", "zorgprofiel", "leveringsvorm", "vg7_plus", "indicatie_einddatum")


def importeer_batch(
    session: Session, regels: Sequence[Regel], peildatum: dt.date
) -> list[tuple[str, str | None]]:
    """Import one batch in the caller's transaction. Per line, in order: its zaak key, and
    the zaak's status when this call created it (None: the zaak existed already)."""
    aanwezig = zaken_van_referenties(session=session, referenties=[r.sleutel for r in regels])
    nieuw: list[Regel] = []
    for regel in regels:
        if regel.sleutel not in aanwezig:
            aanwezig[regel.sleutel] = None  # the same zaak twice in one batch: once
            nieuw.append(regel)
    if not nieuw:
        return [(aanwezig[r.sleutel], None) for r in regels]
    batch = _Batch(session, nieuw)
    keys = nieuwe_zaak_keys(session=session, jaren=[r.zaak.ingediend_op.year for r in nieuw])
    status: dict[str, str] = {}
    for regel, key in zip(nieuw, keys, strict=True):
        aanwezig[regel.sleutel] = key
        status[key] = batch.registreer(regel, key, peildatum)
    batch.schrijf()
    uit, gemeld = [], set()
    for r in regels:
        key = aanwezig[r.sleutel]
        uit.append((key, status.get(key) if key not in gemeld else None))
        gemeld.add(key)
    return uit


class _Batch:
    """The rows one batch reads and writes: what existed is read once, what is new is
    collected in the store in memory in the order the per-row path would insert it."""

    def __init__(self, session: Session, regels: Sequence[Regel]) -> None:
        self.session = session
        self.store = MemoryStore(TABELLEN, dt.datetime.now(dt.UTC))
        agbs = {r.zaak.agb for r in regels if r.zaak.agb}  # none: a budgethouder's zaak
        client_ids = {c.client_id for r in regels for c in r.zaak.clienten}
        traject_ids = {c.client_id for r in regels for c in r.zaak.clienten if c.ontwikkeltrajecten}
        self.aanbieders = bekende_aanbieders(session=session, agbs=agbs)
        # Existing rows: found like new ones, written back only when they changed.
        self.store.bekend(Client, clienten_van(session=session, client_ids=client_ids))
        self.store.bekend(Ontwikkeltraject, trajecten_van(session=session, client_ids=traject_ids))

    def registreer(self, regel: Regel, key: str, peildatum: dt.date) -> str:
        """store.registreer_zaak, the import's ontwikkeltrajecten and its transitions, in
        memory; returns the zaak's status."""
        h, store = regel.zaak, self.store
        aanvraag = h.aanvraag()
        agb = aanvraag.agb
        if agb is not None and agb not in self.aanbieders:
            self.aanbieders.add(agb)
            store.add(Zorgaanbieder, agb=agb, naam=aanvraag.zorgaanbieder.naam, notify=[])
        for c in aanvraag.clienten:
            client = store.client(agb, c.client_id)
            if client is None:
                client = store.add(Client, agb=agb, client_id=c.client_id)
            vars(client).update({k: getattr(c, k) for k in CLIENT_VELDEN})
        zaak = store.add(
            Zaak,
            key=key,
            agb=agb,
            soort=aanvraag.soort,
            vorm=aanvraag.vorm,
            leveringsvorm=aanvraag.clienten[0].leveringsvorm,
            thuis=aanvraag.is_thuis,
            ingediend_op=h.ingediend_op,
            aanvraag=aanvraag.model_dump(mode="json"),
            provider_referentie=regel.sleutel,
            flow_run_id=None,
            vorige_zaak=aanvraag.vorige_zaak,
        )
        store.add(
            AuditEvent,
            actor=IMPORT_ACTOR,
            actie="zaak_geregistreerd",
            zaak=key,
            details={"clienten": [c.client_id for c in aanvraag.clienten]},
        )
        self._trajecten(key, agb, aanvraag)
        resultaat, ontvangst = ontvangst_toets(h, aanvraag)
        stand = Stand(
            key=key,
            status=zaak.status,
            stap=0,
            ronde=0,
            aanvraag=aanvraag,
            ingediend_op=h.ingediend_op,
            toets=resultaat,
        )
        for overgang, datum in historische_overgangen(h, stand, resultaat, ontvangst, peildatum):
            pas_toe(store=store, zaak=zaak, overgang=overgang, peildatum=datum, actor=IMPORT_ACTOR)
        return zaak.status

    def _trajecten(self, key: str, agb: str, aanvraag) -> None:
        """historie_import's ontwikkeltrajecten: the same traject listed twice counts once;
        a known one gets its second bijeenkomst when it had none."""
        gezien = set()
        for c in aanvraag.clienten:
            for o in c.ontwikkeltrajecten:
                if (c.client_id, o.bijeenkomst_1) in gezien:
                    continue
                gezien.add((c.client_id, o.bijeenkomst_1))
                rij = self.store.vind(Ontwikkeltraject, agb, c.client_id, o.bijeenkomst_1)
                if rij is None:
                    self.store.add(
                        Ontwikkeltraject,
                        agb=agb,
                        client_id=c.client_id,
                        zaak=key,
                        bijeenkomst_1=o.bijeenkomst_1,
                        bijeenkomst_2=o.bijeenkomst_2,
                    )
                elif rij.bijeenkomst_2 is None and o.bijeenkomst_2 is not None:
                    rij.bijeenkomst_2 = o.bijeenkomst_2

    def schrijf(self) -> None:
        schrijf_geheugen(
            session=self.session,
            store=self.store,
            tabellen=TABELLEN,
            bijwerken=(Client, Ontwikkeltraject),
        )
