"""A besluit's letters in the case database (issue 25): made with the besluit in its
transition's transaction, one per addressee, each queued in the outbox with its PDF as the
attachment; and the bekendmaking when the outbox has delivered one (Awb 3:41), from which that
addressee's term runs (Awb 6:8). The zaak's bezwaartermijn timer is planned only when every
addressee's letter is known: a letter that cannot be delivered starts no term."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlmodel import Session, select

from models.aanvraag import Aanvraag
from models.beleid import beleid_op
from models.berichten import maak_bericht
from models.besluit_brief import adresseringen, brief_inhoud, mededeling_inhoud
from models.brief import Afzender, render_pdf
from models.db.engine_store import Context, Timers
from models.db.tables import Besluit, Deadline, Notificatie, Zaak
from models.db.tables_brief import Brief
from models.engine import Termijn
from models.planner import bezwaartermijn_einde
from models.settings import get_settings

# The wait in which the zaak's own timer for the end of the term runs (after an afwijzing).
TERMIJN_TIMER = {"bezwaartermijn": "bezwaartermijn_einde"}


def afzender() -> Afzender:
    s = get_settings()
    return Afzender(
        naam=s.zorgkantoor_naam,
        adres=tuple(r.strip() for r in s.zorgkantoor_adres.split("|") if r.strip()),
        bezwaar_adres=tuple(r.strip() for r in s.bezwaar_adres.split("|") if r.strip()),
        bezwaar_digitaal=s.bezwaar_digitaal,
    )


def functie_van(beoordelaar: str | None) -> str:
    # aanname: the letter names the function under mandaat; the register holds no names.
    if not beoordelaar or beoordelaar == "deadline-sweep":
        return "afdeling Meerzorg"
    return "beoordelaar Meerzorg"


def maak_brieven(ctx: Context, zaak: Zaak, besluit: Besluit, record: dict) -> int | None:
    """Every addressee's letter and its outbox row; returns the applicant's letter id (the
    transition's own message to the provider carries it)."""
    aanvraag = Aanvraag.model_validate(zaak.aanvraag)
    beschikkingen = [
        {
            "client_id": b.client_id,
            "start": b.start,
            "eind": b.eind,
            "bedrag_per_jaar": b.bedrag_per_jaar,
            "uitkomst_rekentool": b.uitkomst_rekentool,
        }
        for b in ctx.store.beschikkingen(zaak.key)
        if b.besluitdatum == besluit.datum and b.status == "actief"
    ]
    kenmerk = f"{zaak.key}/B{besluit.id}"
    van = afzender()
    aanbieder_brief = None
    client_ids = tuple(record["client_ids"]) if record.get("client_ids") else None
    geadresseerd = adresseringen(aanvraag, client_ids)
    for adres in geadresseerd:
        inhoud = brief_inhoud(
            adressering=adres,
            zaak=zaak.key,
            kenmerk=kenmerk,
            record=record,
            aanvraag=aanvraag,
            toets=zaak.toets,
            beschikkingen=beschikkingen,
            afzender=van,
            functie=functie_van(record.get("beoordelaar")),
        )
        brief = _verstuur(ctx, zaak, adres, render_pdf(inhoud), besluit_id=besluit.id)
        if adres.kanaal == "aanbieder":
            aanbieder_brief = brief.id  # sent with the transition's message to the provider
    ctx.details["brieven"] = len(geadresseerd)
    return aanbieder_brief


def maak_mededeling(ctx: Context, zaak: Zaak, e) -> int:
    """A notice to the parties of `e.client_ids` with one of `e.rollen` (models/overgang.
    Mededeling): a letter without a besluit, sent and made known like one, with no term."""
    aanvraag = Aanvraag.model_validate(zaak.aanvraag)
    onderwerp, tekst = maak_bericht(e.sjabloon, zaak=zaak.key, **e.context)
    alineas = tuple(a.strip() for a in tekst.split("\n") if a.strip())
    van = afzender()
    n = 0
    for adres in adresseringen(aanvraag, tuple(e.client_ids)):
        if adres.client_id is None or not set(adres.rollen) & set(e.rollen):
            continue
        n += 1
        pdf = render_pdf(
            mededeling_inhoud(
                adressering=adres,
                zaak=zaak.key,
                kenmerk=f"{zaak.key}/M{zaak.versie}-{n}",
                datum=ctx.peildatum,
                onderwerp=onderwerp,
                alineas=alineas,
                afzender=van,
            )
        )
        _verstuur(ctx, zaak, adres, pdf, besluit_id=None, details={"sjabloon": e.sjabloon})
    ctx.details.setdefault("mededelingen", []).append({"sjabloon": e.sjabloon, "brieven": n})
    return n


def _verstuur(ctx: Context, zaak: Zaak, adres, pdf: bytes, besluit_id, details=None):
    """The letter row and, for a party, its outbox row (the provider's goes with the
    transition's own message)."""
    brief = ctx.store.add(
        Brief,
        besluit_id=besluit_id,
        zaak=zaak.key,
        rollen=list(adres.rollen),
        client_id=adres.client_id,
        kanaal=adres.kanaal,
        doel=adres.doel,
        naam=adres.naam,
        adres=list(adres.adres),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        details=details or {},
    )
    ctx.store.flush()
    if adres.kanaal != "aanbieder":
        ctx.store.add(
            Notificatie,
            sleutel=f"{zaak.key}-brief-{brief.id}",
            zaak=zaak.key,
            kanaal="partij",
            onderwerp=f"Brief in zaak {zaak.key}"
            if besluit_id is None
            else f"Besluit in zaak {zaak.key}",
            tekst=(
                "U ontvangt een brief van het zorgkantoor als bijlage."
                if besluit_id is None
                else "U ontvangt het besluit als bijlage. Lees de brief voor wat het besluit "
                "voor u betekent en hoe u bezwaar kunt maken."
            ),
            brief_id=brief.id,
        )
    return brief


def reactietermijn_einde(besluit: Besluit, bekendgemaakt_op: dt.date) -> dt.date | None:
    """Awb 6:7, 6:8: six weeks from the day after the letter was made known (the last day
    moved past a weekend or feestdag, Atw); no term for a letter without a rechtsmiddel."""
    if besluit.rechtsmiddel == "geen":
        return None
    return bezwaartermijn_einde(bekendgemaakt_op, beleid_op(besluit.datum))


def bekendgemaakt(*, session: Session, brief_id: int, dag: dt.date) -> None:
    """The outbox delivered the letter (or put it in the post queue) on `dag`: it is known
    to its addressee from then; when every letter of the besluit is, the besluit's own dates
    are set and, if the zaak still waits out that term, its timer is planned."""
    brief = session.get(Brief, brief_id)
    if brief is None or brief.status == "bekendgemaakt":
        return
    if brief.besluit_id is None:  # a notice: known, no term
        brief.status, brief.bekendgemaakt_op = "bekendgemaakt", dag
        session.add(brief)
        return
    besluit = session.get(Besluit, brief.besluit_id)
    # Never before the besluit was taken: a backfill or test decides on a later peildatum.
    dag = max(dag, besluit.datum)
    brief.status, brief.bekendgemaakt_op = "bekendgemaakt", dag
    brief.uiterlijke_reactiedatum = reactietermijn_einde(besluit, dag)
    session.add(brief)
    besluit.verzenddatum = min(besluit.verzenddatum or dag, dag)
    session.add(besluit)
    session.flush()
    brieven = brieven_van(session=session, besluit_id=besluit.id)
    if any(b.status != "bekendgemaakt" for b in brieven):
        return
    besluit.bekendgemaakt_op = max(b.bekendgemaakt_op for b in brieven)
    termijnen = [b.uiterlijke_reactiedatum for b in brieven if b.uiterlijke_reactiedatum]
    besluit.uiterlijke_reactiedatum = max(termijnen) if termijnen else None
    session.add(besluit)
    zaak = session.get(Zaak, besluit.zaak)
    soort = TERMIJN_TIMER.get(zaak.status)
    if (
        soort
        and besluit.uiterlijke_reactiedatum
        and besluit.ronde == laatste_ronde(session=session, zaak=zaak.key)
    ):
        # The zaak waits out the term: the day after its last day, it moves on.
        Timers(Deadline, {"zaak": zaak.key}).plan(
            session,
            zaak.key,
            Termijn(soort, besluit.uiterlijke_reactiedatum + dt.timedelta(days=1)),
            zaak.status,
        )


def onbestelbaar(*, session: Session, brief_id: int, fout: str) -> None:
    """The letter could not be delivered after every try: no term starts for its addressee
    (and so none for the besluit's timer); operations is alerted by the outbox."""
    brief = session.get(Brief, brief_id)
    if brief is not None and brief.status == "te_verzenden":
        brief.status = "onbestelbaar"
        brief.details = {**brief.details, "fout": fout[:300]}
        session.add(brief)


def brief_bijlage(*, session: Session, brief_id: int) -> tuple[str, bytes] | None:
    """The letter as an attachment: a file name with the kenmerk only, and the PDF."""
    brief = session.get(Brief, brief_id)
    if brief is None:
        return None
    return f"besluit-{brief.zaak}-B{brief.besluit_id}-{brief.id}.pdf", brief.pdf


def laatste_ronde(*, session: Session, zaak: str) -> int | None:
    return session.exec(
        select(Besluit.ronde).where(Besluit.zaak == zaak).order_by(Besluit.ronde.desc())
    ).first()


def brieven_van(*, session: Session, besluit_id: int) -> list[Brief]:
    return list(
        session.exec(select(Brief).where(Brief.besluit_id == besluit_id).order_by(Brief.id))
    )


def brieven_van_zaak(*, session: Session, zaak: str) -> list[Brief]:
    return list(session.exec(select(Brief).where(Brief.zaak == zaak).order_by(Brief.id)))
