"""Database access: engine, migrations and keyword-only data functions that take the session."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine, select

from models.aanvraag import Aanvraag
from models.berichten import maak_bericht
from models.overgang import ROLLEN, Overgang, Stand, ZaakStatus
from models.proces import ZAAK
from models.settings import PROJECT_DIR, get_settings
from models.tables import (
    AuditEvent,
    Beschikking,
    Besluit,
    Client,
    Contact,
    Deadline,
    Medewerker,
    Notificatie,
    Ontwikkeltraject,
    Teller,
    Zaak,
    Zorgaanbieder,
)

MIGRATIONS = PROJECT_DIR / "models" / "migrations"


def sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL + busy timeout: the runner, the sweep and the CLI write concurrently.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    # pysqlite opens a transaction only at the first write, so a read-check-write (the
    # zaak lock, a deadline still open) would check a stale read: two sweeps fired the
    # same timer (tests/reliability). We issue BEGIN IMMEDIATE ourselves instead.
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn) -> None:
    # Take the write lock at the start of every transaction: SQLite's stand-in for
    # SELECT ... FOR UPDATE; the busy timeout makes the other writers wait their turn.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@functools.cache
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(eng, "connect", sqlite_pragmas)
        event.listen(eng, "begin", _sqlite_begin)
        return eng
    return create_engine(url, pool_pre_ping=True)


def get_engine() -> Engine:
    return engine_for(get_settings().db_url)


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    url = url or get_settings().db_url
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    engine = engine_for(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def audit(
    *,
    session: Session,
    actor: str,
    actie: str,
    zaak: str | None = None,
    client_id: str | None = None,
    namens: str | None = None,
    details: dict | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor=actor,
            actie=actie,
            zaak=zaak,
            client_id=client_id,
            namens=namens,
            details=details or {},
        )
    )


def registreer_aanbieder(
    *, session: Session, agb: str, naam: str, notify: list[str]
) -> Zorgaanbieder:
    """Create or update a provider; notification targets are replaced, not appended."""
    aanbieder = session.get(Zorgaanbieder, agb)
    if aanbieder is None:
        aanbieder = Zorgaanbieder(agb=agb, naam=naam, notify=list(notify))
    else:
        aanbieder.naam = naam
        aanbieder.notify = list(notify)
    session.add(aanbieder)
    return aanbieder


def registreer_medewerker(*, session: Session, id: str, rol: str) -> Medewerker:
    if rol not in ROLLEN:
        raise ValueError(f"unknown rol '{rol}'; choose one of {', '.join(ROLLEN)}")
    medewerker = session.get(Medewerker, id) or Medewerker(id=id, rol=rol)
    medewerker.rol, medewerker.actief = rol, True
    session.add(medewerker)
    return medewerker


def medewerker_rollen(*, session: Session) -> dict[str, str]:
    """Registered, active staff and their roles: a decision names one of them."""
    return {m.id: m.rol for m in session.exec(select(Medewerker).where(Medewerker.actief))}


def nieuwe_zaak_key(*, session: Session, jaar: int) -> str:
    """Next MZ-<jaar>-<nnnnnn>, atomic under concurrent writers: the year's row is created if
    missing (ON CONFLICT DO NOTHING), then incremented with UPDATE ... RETURNING."""
    dialect = session.bind.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(Teller).values(jaar=jaar, laatste=0).on_conflict_do_nothing(index_elements=["jaar"])
    )
    laatste = session.execute(
        update(Teller)
        .where(Teller.jaar == jaar)
        .values(laatste=Teller.laatste + 1)
        .returning(Teller.laatste)
    ).scalar_one()
    return f"MZ-{jaar}-{laatste:06d}"


# --- zaken and their transitions -------------------------------------------------------


def _aanvraag_model(zaak: Zaak) -> Aanvraag:
    return Aanvraag.model_validate(zaak.aanvraag)


def stand_van(zaak: Zaak) -> Stand:
    return Stand(
        key=zaak.key,
        status=zaak.status,
        stap=zaak.stap,
        ronde=zaak.ronde,
        aanvraag=_aanvraag_model(zaak),
        ingediend_op=zaak.ingediend_op,
        toets=zaak.toets,
        wacht_sinds=zaak.wacht_sinds,
        voorlopig_besluit=zaak.voorlopig_besluit,
    )


def lees_zaak(*, session: Session, key: str, lock: bool = False) -> Zaak | None:
    stmt = select(Zaak).where(Zaak.key == key)
    if lock:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def registreer_zaak(
    *,
    session: Session,
    aanvraag: Aanvraag,
    ingediend_op: dt.date,
    provider_referentie: str | None = None,
    flow_run_id: str | None = None,
    actor: str = "systeem",
) -> tuple[Zaak, bool]:
    """Register a zaak for an aanvraag. Idempotent on the provider reference and on the
    flow run id: a second call returns the existing zaak and False."""
    ref = provider_referentie or aanvraag.provider_referentie
    for column, value in ((Zaak.provider_referentie, ref), (Zaak.flow_run_id, flow_run_id)):
        if value:
            bestaand = session.exec(select(Zaak).where(column == value)).first()
            if bestaand is not None:
                return bestaand, False
    aanbieder = session.get(Zorgaanbieder, aanvraag.zorgaanbieder.agb)
    if aanbieder is None:
        session.add(
            Zorgaanbieder(
                agb=aanvraag.zorgaanbieder.agb, naam=aanvraag.zorgaanbieder.naam, notify=[]
            )
        )
        session.flush()
    for c in aanvraag.clienten:
        row = session.exec(
            select(Client).where(
                Client.agb == aanvraag.zorgaanbieder.agb, Client.client_id == c.client_id
            )
        ).first()
        row = row or Client(
            agb=aanvraag.zorgaanbieder.agb,
            client_id=c.client_id,
            bsn=c.bsn,
            zorgprofiel=c.zorgprofiel,
            leveringsvorm=c.leveringsvorm,
            indicatie_einddatum=c.indicatie_einddatum,
        )
        row.bsn, row.zorgprofiel, row.leveringsvorm = c.bsn, c.zorgprofiel, c.leveringsvorm
        row.vg7_plus, row.indicatie_einddatum = c.vg7_plus, c.indicatie_einddatum
        session.add(row)
    key = nieuwe_zaak_key(session=session, jaar=ingediend_op.year)
    zaak = Zaak(
        key=key,
        agb=aanvraag.zorgaanbieder.agb,
        soort=aanvraag.soort,
        vorm=aanvraag.vorm,
        leveringsvorm=aanvraag.clienten[0].leveringsvorm,
        thuis=aanvraag.is_thuis,
        ingediend_op=ingediend_op,
        aanvraag=aanvraag.model_dump(mode="json"),
        provider_referentie=ref,
        flow_run_id=flow_run_id,
        vorige_zaak=aanvraag.vorige_zaak,
    )
    session.add(zaak)
    audit(
        session=session,
        actor=actor,
        actie="zaak_geregistreerd",
        zaak=key,
        details={"clienten": [c.client_id for c in aanvraag.clienten]},
    )
    session.flush()
    return zaak, True


def pas_toe(
    *,
    session: Session,
    zaak: Zaak,
    overgang: Overgang,
    peildatum: dt.date,
    actor: str = "systeem",
    namens: str | None = None,
) -> Zaak:
    """Apply one Overgang to a zaak that the caller has locked and checked. One transaction
    (the caller's): state, deadlines, decision, beschikkingen, outbox and audit together."""
    oude_status = zaak.status
    if overgang.status != oude_status:
        for d in session.exec(
            select(Deadline).where(
                Deadline.zaak == zaak.key,
                Deadline.status == "open",
                Deadline.voor_status == oude_status,
            )
        ):
            d.status = "vervallen"
            session.add(d)
    zaak.status = overgang.status
    zaak.versie += 1
    zaak.bijgewerkt = dt.datetime.now(dt.UTC)
    zaak.laatste_fout = (
        overgang.details.get("fout") if overgang.actie == "ongeldige_invoer" else None
    )
    if overgang.nieuwe_ronde:
        zaak.ronde += 1
    if overgang.toets is not None:
        zaak.toets = overgang.toets
        zaak.beleidsversie = overgang.beleidsversie
    if overgang.aanvraag is not None:
        zaak.aanvraag = overgang.aanvraag
    if overgang.voorlopig_besluit is not None:
        zaak.voorlopig_besluit = overgang.voorlopig_besluit or None
    elif overgang.status != oude_status and oude_status == ZaakStatus.TWEEDE_BEOORDELING:
        zaak.voorlopig_besluit = None
    _follow_up(session=session, zaak=zaak, overgang=overgang, peildatum=peildatum, actor=actor)
    if overgang.sluit:
        zaak.wacht_op, zaak.wacht_key, zaak.gesloten_op = None, None, peildatum
        for d in session.exec(
            select(Deadline).where(Deadline.zaak == zaak.key, Deadline.status == "open")
        ):
            d.status = "vervallen"
            session.add(d)
        if overgang.status == "beeindigd":
            for b in session.exec(
                select(Beschikking).where(
                    Beschikking.zaak == zaak.key, Beschikking.status == "actief"
                )
            ):
                b.status, b.beeindigd_op = "beeindigd", min(b.eind, peildatum)
                session.add(b)
    elif ZAAK.wacht(zaak.status) is None:
        zaak.wacht_op, zaak.wacht_key = None, None
    elif overgang.nieuwe_wacht:
        zaak.stap += 1
        zaak.wacht_key = ZAAK.wacht_key(zaak.status, zaak.stap)
        zaak.wacht_op = overgang.wacht_op or ZAAK.wacht(zaak.status).wacht_op
        if overgang.status != oude_status:
            zaak.wacht_sinds = peildatum
    elif overgang.wacht_op:
        zaak.wacht_op = overgang.wacht_op
    for d in overgang.deadlines:
        suffix = f"-{d.client_id}" if d.client_id else ""
        sleutel = f"{zaak.key}-{d.soort}-{d.datum.isoformat()}{suffix}"
        if session.exec(select(Deadline.id).where(Deadline.sleutel == sleutel)).first() is None:
            session.add(
                Deadline(
                    sleutel=sleutel,
                    zaak=zaak.key,
                    soort=d.soort,
                    client_id=d.client_id,
                    datum=d.datum,
                    voor_status=zaak.status if d.aan_wacht else None,
                )
            )
    if overgang.besluit is not None:
        b = overgang.besluit
        session.add(
            Besluit(
                zaak=zaak.key,
                ronde=b["ronde"],
                uitkomst=b["uitkomst"],
                onderbouwing=b.get("onderbouwing", ""),
                beoordelaar=b["beoordelaar"],
                tweede_beoordelaar=b.get("tweede_beoordelaar"),
                coulant=bool(b.get("coulant")),
                pijlers=b.get("pijlers", {}),
                start=b.get("start"),
                eind=b.get("eind"),
                bedrag_per_jaar=b.get("bedrag_per_jaar"),
                datum=b["datum"],
                beleidsversie=b["beleidsversie"],
            )
        )
    for b in overgang.beschikkingen:
        session.add(Beschikking(zaak=zaak.key, **b))
        client = session.exec(
            select(Client).where(Client.agb == zaak.agb, Client.client_id == b["client_id"])
        ).first()
        if client is not None and client.meerzorg_sinds is None:
            client.meerzorg_sinds = b["start"]
            session.add(client)
    for bericht in overgang.berichten:
        context = {"zaak": zaak.key, **bericht.context}
        onderwerp, tekst = maak_bericht(bericht.sjabloon, **context)
        suffix = f"-{bericht.client_id}" if bericht.client_id else ""
        kanaal = "" if bericht.kanaal == "aanbieder" else f"-{bericht.kanaal}"
        sleutel = f"{zaak.key}-{zaak.versie}-{bericht.sjabloon}{suffix}{kanaal}"
        session.add(
            Notificatie(
                sleutel=sleutel,
                zaak=zaak.key,
                kanaal=bericht.kanaal,
                agb=zaak.agb if bericht.kanaal == "aanbieder" else None,
                onderwerp=onderwerp,
                tekst=tekst,
            )
        )
    audit(
        session=session,
        actor=actor,
        namens=namens,
        actie=overgang.actie,
        zaak=zaak.key,
        details={
            "status": [oude_status, zaak.status],
            **_jsonable(overgang.details),
            **({"besluit": _jsonable(overgang.besluit)} if overgang.besluit else {}),
        },
    )
    session.add(zaak)
    session.flush()
    return zaak


def _follow_up(
    *, session: Session, zaak: Zaak, overgang: Overgang, peildatum: dt.date, actor: str
) -> None:
    """The parts of an Overgang that concern a running beschikking."""
    if overgang.evaluatie is not None:
        zaak.evaluatie = overgang.evaluatie
    if overgang.goed_voorbeeld is not None:
        zaak.goed_voorbeeld = overgang.goed_voorbeeld
    if overgang.ontwikkeltraject is not None:
        registreer_ontwikkeltraject(
            session=session, agb=zaak.agb, zaak=zaak.key, **overgang.ontwikkeltraject
        )
    if overgang.contact is not None:
        session.add(Contact(zaak=zaak.key, medewerker=actor, **overgang.contact))
    for client_id, eind in overgang.beeindig_clienten.items():
        for b in session.exec(
            select(Beschikking).where(
                Beschikking.zaak == zaak.key, Beschikking.client_id == client_id
            )
        ):
            b.eind = min(b.eind, eind)
            if b.eind < peildatum or eind <= peildatum:
                b.status, b.beeindigd_op = "beeindigd", b.eind
            session.add(b)
    if overgang.vervolg_aanvraag is not None:
        vervolg, _ = registreer_zaak(
            session=session,
            aanvraag=Aanvraag.model_validate(overgang.vervolg_aanvraag),
            ingediend_op=peildatum,
            actor=actor,
        )
        overgang.details["vervolg_zaak"] = vervolg.key


def registreer_ontwikkeltraject(
    *,
    session: Session,
    agb: str,
    client_id: str,
    bijeenkomst_1: dt.date,
    bijeenkomst_2: dt.date | None = None,
    zaak: str | None = None,
) -> Ontwikkeltraject:
    """Record (or complete) a client's ontwikkeltraject; the first bijeenkomst identifies it."""
    row = session.exec(
        select(Ontwikkeltraject).where(
            Ontwikkeltraject.agb == agb,
            Ontwikkeltraject.client_id == client_id,
            Ontwikkeltraject.bijeenkomst_1 == bijeenkomst_1,
        )
    ).first()
    row = row or Ontwikkeltraject(
        agb=agb, client_id=client_id, bijeenkomst_1=bijeenkomst_1, zaak=zaak
    )
    if bijeenkomst_2 is not None:
        row.bijeenkomst_2 = bijeenkomst_2
    session.add(row)
    session.flush()
    return row


def ontwikkeltrajecten_van(
    *, session: Session, agb: str, client_id: str, aanvraag_client: dict | None = None
) -> list[dict]:
    """Every known ontwikkeltraject of a client: recorded ones and those its aanvragen carried."""
    known = {
        (o["bijeenkomst_1"], o.get("bijeenkomst_2"))
        for o in (aanvraag_client or {}).get("ontwikkeltrajecten", [])
    }
    for row in session.exec(
        select(Ontwikkeltraject).where(
            Ontwikkeltraject.agb == agb, Ontwikkeltraject.client_id == client_id
        )
    ):
        known = {k for k in known if k[0] != row.bijeenkomst_1.isoformat()}
        known.add(
            (
                row.bijeenkomst_1.isoformat(),
                row.bijeenkomst_2.isoformat() if row.bijeenkomst_2 else None,
            )
        )
    return [{"bijeenkomst_1": b1, "bijeenkomst_2": b2} for b1, b2 in sorted(known)]


def _jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def queue_bericht(
    *,
    session: Session,
    sleutel: str,
    sjabloon: str,
    kanaal: str,
    zaak: str | None = None,
    agb: str | None = None,
    **context,
) -> bool:
    """Queue one notification outside a zaak transition (intake errors, delivery alerts)."""
    if (
        session.exec(select(Notificatie.id).where(Notificatie.sleutel == sleutel)).first()
        is not None
    ):
        return False
    onderwerp, tekst = maak_bericht(sjabloon, zaak=zaak, **context)
    session.add(
        Notificatie(
            sleutel=sleutel, zaak=zaak, kanaal=kanaal, agb=agb, onderwerp=onderwerp, tekst=tekst
        )
    )
    return True
