"""The case database: SQLModel tables (the truth the lifecycle flows drive from)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ZorgaanbiederBase(SQLModel):
    agb: str = Field(primary_key=True, max_length=8)
    naam: str


class Zorgaanbieder(ZorgaanbiederBase, table=True):
    notify: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    aangemaakt: dt.datetime = Field(default_factory=_now)


class Client(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("agb", "client_id"),)
    id: int | None = Field(default=None, primary_key=True)
    # None: a pgb client whose budgethouder applied without a provider (models/aanvrager.py).
    agb: str | None = Field(default=None, foreign_key="zorgaanbieder.agb", index=True)
    client_id: str = Field(index=True)
    bsn: str = Field(max_length=9)
    zorgprofiel: str
    leveringsvorm: str
    vg7_plus: bool = False
    indicatie_einddatum: dt.date
    meerzorg_sinds: dt.date | None = None


class ZaakBase(SQLModel):
    key: str = Field(primary_key=True, max_length=20)
    # None: a pgb aanvraag by its budgethouder, without a provider (models/aanvrager.py).
    agb: str | None = Field(default=None, foreign_key="zorgaanbieder.agb", index=True)
    soort: str
    vorm: str
    leveringsvorm: str
    thuis: bool = False
    status: str = Field(default="geregistreerd", index=True)
    wacht_op: str | None = Field(default=None, index=True)
    ingediend_op: dt.date
    beleidsversie: str | None = None


class Zaak(ZaakBase, table=True):
    wacht_key: str | None = None
    wacht_sinds: dt.date | None = None
    stap: int = 0
    ronde: int = 0
    laatste_fout: str | None = None
    versie: int = 0
    aanvraag: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    toets: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    provider_referentie: str | None = Field(default=None, unique=True)
    vorige_zaak: str | None = None
    flow_run_id: str | None = None
    goed_voorbeeld: bool = False
    # A toekenning that needs a second, different beoordelaar (four-eyes) waits here.
    voorlopig_besluit: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # Awb 4:15: days the beslistermijn was suspended while the provider completed the aanvraag.
    opgeschort_dagen: int = 0
    # Awb 4:14: days the beslistermijn was extended (once), with a notice to the provider.
    verlengd_dagen: int = 0
    # R §10 bijstellen: term, consent to suspend (Awb 4:15 lid 2 sub a), how it ended
    # (models/bijstelling.py).
    bijstelling: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # The provider's evaluation of the goals at herbeoordeling (PDCA).
    evaluatie: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    aangemaakt: dt.datetime = Field(default_factory=_now)
    bijgewerkt: dt.datetime = Field(default_factory=_now)
    gesloten_op: dt.date | None = None


class ZaakPublic(ZaakBase):
    """Pseudonymous view: no BSN, no aanvraag body."""


class Besluit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("zaak", "ronde"),)
    id: int | None = Field(default=None, primary_key=True)
    zaak: str = Field(foreign_key="zaak.key", index=True)
    ronde: int
    uitkomst: str
    onderbouwing: str = ""
    beoordelaar: str
    tweede_beoordelaar: str | None = None
    # N 2025: the decision applied a coulante maatwerkbeoordeling (thuis verlenging).
    coulant: bool = False
    pijlers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The rest of the assessment (R §10): the criteria answered, the perspectief recorded at
    # toekenning, a contact planned after a rejected thuis verlenging (N 2025).
    beoordeling: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    start: dt.date | None = None
    eind: dt.date | None = None
    bedrag_per_jaar: float | None = None
    datum: dt.date  # the day it was taken (never a form field for a person)
    beleidsversie: str
    # In the shape of the ZGW Besluiten API (issue 25), for a records system to take later.
    soort: str = ""  # toekenning, gedeeltelijke_toekenning, afwijzing, buiten_behandeling, ...
    rechtsmiddel: str = "bezwaar"  # bezwaar | beroep | geen: the letter's clause (Awb 3:45)
    ingangsdatum: dt.date | None = None
    vervaldatum: dt.date | None = None
    vervalreden: str | None = None
    # The first day a letter of it was made known, and the day the last addressee's was: the
    # besluit is in force towards each addressee from its own bekendmaking (Awb 3:40).
    verzenddatum: dt.date | None = None
    bekendgemaakt_op: dt.date | None = None
    # The end of the last addressee's bezwaar or beroep term (None: not every letter known).
    uiterlijke_reactiedatum: dt.date | None = None


class Beschikking(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("zaak", "client_id"),)
    id: int | None = Field(default=None, primary_key=True)
    zaak: str = Field(foreign_key="zaak.key", index=True)
    client_id: str = Field(index=True)
    start: dt.date
    eind: dt.date
    bedrag_per_jaar: float
    uitkomst_rekentool: str
    status: str = Field(default="actief", index=True)
    beleidsversie: str
    besluitdatum: dt.date
    beeindigd_op: dt.date | None = None


class Deadline(SQLModel, table=True):
    """A timer row: the deadline sweep fires it once by resuming the waiting run."""

    # The sweep asks for open rows due by a date: cost proportional to what is due.
    __table_args__ = (Index("ix_deadline_status_datum", "status", "datum"),)
    id: int | None = Field(default=None, primary_key=True)
    sleutel: str = Field(unique=True)
    zaak: str = Field(foreign_key="zaak.key", index=True)
    soort: str
    client_id: str | None = None
    datum: dt.date = Field(index=True)
    status: str = Field(default="open", index=True)
    # Set when the timer belongs to one zaak status (e.g. the herstel termijn); it lapses
    # when the zaak leaves that status. None: it runs for the life of the beschikking.
    voor_status: str | None = None
    gevuurd_op: dt.date | None = None


class Notificatie(SQLModel, table=True):
    """The outbox: written in the transition's transaction, delivered exactly once."""

    id: int | None = Field(default=None, primary_key=True)
    sleutel: str = Field(unique=True)
    zaak: str | None = Field(default=None, index=True)
    kanaal: str  # "aanbieder", "operations", "cce" or "partij" (a letter: `brief_id`)
    # A besluit's letter (models/db/tables_brief.Brief): sent as the attachment.
    brief_id: int | None = Field(default=None, index=True)
    agb: str | None = None
    onderwerp: str
    tekst: str
    status: str = Field(default="wachtend", index=True)
    pogingen: int = 0
    volgende_poging: dt.datetime = Field(default_factory=_now)
    laatste_fout: str | None = None
    aangemaakt: dt.datetime = Field(default_factory=_now)
    verzonden: dt.datetime | None = None


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    tijd: dt.datetime = Field(default_factory=_now)
    actor: str
    namens: str | None = None
    actie: str
    zaak: str | None = Field(default=None, index=True)
    client_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Teller(SQLModel, table=True):
    """Per-year counter for zaak keys (MZ-2026-000123)."""

    jaar: int = Field(primary_key=True)
    laatste: int = 0


class Medewerker(SQLModel, table=True):
    """Staff of the zorgkantoor and the CCE, with the role that decides what they may do."""

    id: str = Field(primary_key=True, max_length=64)
    rol: str  # one of models/overgang.ROLLEN
    actief: bool = True
    # Argon2id hash (argon2-cffi) for the dashboard login; None: no login (a provider or
    # staff without a dashboard account). Never the password itself.
    wachtwoord_hash: str | None = None
    aangemaakt: dt.datetime = Field(default_factory=_now)


class MedewerkerSessie(SQLModel, table=True):
    """A login of the gateway's own login page, so a logout or a password change ends it on
    every gateway replica (the signed cookie alone would stay valid until it expires).
    Keyed by the SHA-256 of the cookie's token: a read of this table gives no cookie."""

    __tablename__ = "medewerker_sessie"
    sleutel: str = Field(primary_key=True, max_length=64)
    medewerker: str = Field(foreign_key="medewerker.id", index=True, max_length=64)
    aangemaakt: dt.datetime = Field(default_factory=_now)
    verloopt: dt.datetime = Field(index=True)


class Ontwikkeltraject(SQLModel, table=True):
    """A CCE ontwikkeltraject of a client: two bijeenkomsten on different days (R §10)."""

    __table_args__ = (UniqueConstraint("agb", "client_id", "bijeenkomst_1"),)
    id: int | None = Field(default=None, primary_key=True)
    agb: str | None = Field(default=None, index=True)  # None: a zaak without provider
    client_id: str = Field(index=True)
    zaak: str | None = None
    bijeenkomst_1: dt.date
    bijeenkomst_2: dt.date | None = None
    geregistreerd: dt.datetime = Field(default_factory=_now)


class Contact(SQLModel, table=True):
    """A recorded periodic contact with a client at home (N 2025)."""

    id: int | None = Field(default=None, primary_key=True)
    zaak: str = Field(foreign_key="zaak.key", index=True)
    client_id: str
    datum: dt.date
    verslag: str = ""
    medewerker: str
    # N 2025: verantwoord | zorgen | niet verantwoord (models/contact.py); None before 0006.
    bevinding: str | None = None


class Bezwaar(SQLModel, table=True):
    """The bezwaar procedure against one besluit and its handling (Awb chapters 6-7,
    models/bezwaar.py): one per besluit; every bezwaarschrift against it is an indiener."""

    id: int | None = Field(default=None, primary_key=True)
    zaak: str = Field(foreign_key="zaak.key", index=True)
    besluit_id: int = Field(foreign_key="besluit.id", unique=True)
    besluit_datum: dt.date
    ontvangen: dt.date
    verzonden: dt.date | None = None  # Awb 6:9: the date it was posted, when it matters
    tijdig: bool
    gronden: str = ""
    indiener: str  # the first: zorgaanbieder | client | vertegenwoordiger | budgethouder
    # Every bezwaarschrift in the procedure (Awb 7:12 lid 2: each receives the beslissing):
    # {indiener, client_id, ontvangen, verzonden, tijdig, verschoonbaar, pro_forma, gronden,
    # gronden_uiterlijk (Awb 6:6), niet_ontvankelijk}, dates as ISO strings, no names.
    indieners: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # The clients the contested besluit concerns (its letters' clients); None: every client
    # of the aanvraag. The beslissing op bezwaar goes to their parties and the applicant.
    clienten: list[str] | None = Field(default=None, sa_column=Column(JSON))
    uiterlijk: dt.date  # Awb 7:10: the beslissing op bezwaar is due by then
    verdaagd: bool = False
    verdaging_reden: str | None = None
    # Where the zaak goes when the besluit stands (ongegrond, niet-ontvankelijk).
    terug_status: str
    # Who took or confirmed the contested besluit: they may not handle it (Awb 7:5).
    betrokken: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    behandelaar: str | None = None
    verschoonbaar: bool | None = None  # Awb 6:11, for a late bezwaar
    verschoonbaar_onderbouwing: str | None = None
    hoorzitting_op: dt.date | None = None  # Awb 7:2
    afzien_grond: str | None = None  # Awb 7:3
    uitkomst: str | None = None  # gegrond | ongegrond | niet-ontvankelijk; None: in behandeling
    onderbouwing: str | None = None
    beslist_op: dt.date | None = None
    # Gegrond: the ronde in which the new besluit is taken (it is the beslissing op bezwaar).
    heropend_ronde: int | None = None
    # Awb 7:13: an adviescommissie advises (the 7:10 term is twelve weeks instead of six).
    adviescommissie: bool = False
    advies_commissie: str | None = None  # Awb 7:13 lid 7: the uitkomst it advised
    uitgenodigd_op: dt.date | None = None  # Awb 7:4: the invitation to the hoorzitting
    # Awb 7:7: the verslag of the hoorzitting: {gehoord: [roles], opgemaakt_op, verzonden_op,
    # tekst}; the tekst is free text and stays in this database.
    verslag: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # Awb 7:15: {gevraagd, toegekend, bedrag} when the costs were asked for.
    kostenvergoeding: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    geregistreerd: dt.datetime = Field(default_factory=_now)
