"""The store port (models/db/port.py) in memory: the bulk historical import
(tasks/historie_bulk.py) registers a batch of historical zaken and brings each to where its
history left it by the engine's one apply (models/db/zaak_store.pas_toe) on this store, then
writes what it collected with one executemany per table. None of those rows exists in the
database until then, so every read the apply makes is answered here, from memory.

Rows are plain objects whose __dict__ is the row (every column but the id, each table's
defaults filled in): the apply sets their columns as attributes, the bulk insert takes the
dicts as they are, and neither pays for the ORM's instrumentation.

It answers only what the rows it holds can answer. The zaken it applies to are new (so are
their keys, and every timer's idempotency key starts with one): no row of theirs can exist
outside it. Whatever it cannot hold (a notification, a bezwaar, a contact, a vervolg zaak) is
refused with a TypeError, so a historical transition that starts to produce one fails the
import and its equality test (tests/integration/test_import_bulk.py) instead of being
dropped silently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter, itemgetter

from models.contact import TAAK_OPEN, TAAK_SOORT
from models.db.tables import Beschikking, Client, Deadline, Ontwikkeltraject

# What a row is found by in memory: its table's unique key.
SLEUTELS: dict[type, tuple[str, ...]] = {
    Client: ("agb", "client_id"),
    Ontwikkeltraject: ("agb", "client_id", "bijeenkomst_1"),
    Deadline: ("sleutel",),
}
# The tables the port reads by zaak (beschikkingen, timers, contact tasks).
PER_ZAAK = frozenset({Beschikking, Deadline})
_datum = attrgetter("datum")
_new = object.__new__


class Rij:
    """One row in memory: its columns as attributes, as on a model instance."""

    def __init__(self, kolommen: dict) -> None:
        self.__dict__ = kolommen

    def __repr__(self) -> str:
        return f"Rij({self.__dict__!r})"


def standaard(model: type, nu: dt.datetime) -> dict:
    """Every column of `model` that has a default, with it: a bulk insert bypasses the
    model's constructor. The batch's one `nu` for every creation time; a default_factory's
    value is made once and shared by the rows (none of them changes it in place: the apply
    sets a column, it does not edit one)."""
    vast: dict = {}
    for naam, veld in model.model_fields.items():
        if naam not in model.__table__.columns or naam == "id":
            continue
        if veld.default_factory is not None:
            waarde = veld.default_factory()
            vast[naam] = nu if isinstance(waarde, dt.datetime) else waarde
        elif not veld.is_required():
            vast[naam] = veld.default
    return vast


class _Tabel:
    """One table's rows in memory. `add` runs once per row of a bulk import: what it needs
    per table is looked up once, here."""

    __slots__ = ("vast", "nieuw", "sleutel", "index", "per_zaak", "gelezen")

    def __init__(self, model: type, nu: dt.datetime) -> None:
        self.vast = standaard(model, nu)
        self.nieuw: list[Rij] = []  # in the order added
        velden = SLEUTELS.get(model)
        self.sleutel = itemgetter(*velden) if velden else None
        self.index: dict = {}  # by `sleutel`: a single column's value, else a tuple
        self.per_zaak: dict[str, list[Rij]] | None = {} if model in PER_ZAAK else None
        self.gelezen: list[tuple[Rij, dict]] = []  # existing rows, with a copy as read


class MemoryStore:
    """The rows of `tabellen` one batch adds, in the order added (the order the SQL store
    would insert them, so their ids follow it), and the existing rows it was given to read
    and maybe change (`bekend`)."""

    def __init__(self, tabellen: Sequence[type], nu: dt.datetime) -> None:
        self.tabellen = {m: _Tabel(m, nu) for m in tabellen}

    # --- the batch's own use -----------------------------------------------------------

    def bekend(self, model: type, rijen: Iterable[Mapping]) -> None:
        """Existing rows read from the database (every column): found like new ones, and
        written back by `gewijzigd` only when they changed."""
        tabel = self.tabellen[model]
        for r in rijen:
            rij = Rij(dict(r))
            tabel.index[tabel.sleutel(r)] = rij
            tabel.gelezen.append((rij, dict(r)))

    def vind(self, model: type, *sleutel):
        return self.tabellen[model].index.get(sleutel if len(sleutel) > 1 else sleutel[0])

    def nieuwe(self, model: type) -> list[dict]:
        """The rows added to `model`'s table, in order, for one executemany."""
        return [r.__dict__ for r in self.tabellen[model].nieuw]

    def gewijzigd(self, model: type) -> list[dict]:
        """The existing rows of `model` that changed, with their primary key."""
        return [r.__dict__ for r, kopie in self.tabellen[model].gelezen if r.__dict__ != kopie]

    # --- the port ----------------------------------------------------------------------

    def add(self, model, **kolommen):
        try:
            tabel = self.tabellen[model]
        except KeyError:
            raise TypeError(f"the store in memory holds no {model.__tablename__} rows") from None
        rij = _new(Rij)  # Rij(...) without a Python-level __init__: once per row
        rij.__dict__ = {**tabel.vast, **kolommen}
        tabel.nieuw.append(rij)
        if tabel.sleutel is not None:
            tabel.index[tabel.sleutel(kolommen)] = rij
        if tabel.per_zaak is not None:
            tabel.per_zaak.setdefault(kolommen["zaak"], []).append(rij)
        return rij

    def save(self, rij) -> None:
        """Held already: a changed row is written as it is."""

    def flush(self) -> None:
        """Nothing to write before the batch is."""

    def open_timers(self, model, eigenaar: dict, voor_status: str | None = None) -> list:
        zaak = eigenaar.get("zaak")
        if zaak is None or len(eigenaar) != 1:
            raise TypeError(f"the store in memory finds timers by zaak only, not {eigenaar}")
        rijen = [
            t
            for t in self.tabellen[model].per_zaak.get(zaak, ())
            if t.status == "open" and (voor_status is None or t.voor_status == voor_status)
        ]
        if len(rijen) > 1:
            rijen.sort(key=_datum)  # stable: then in the order added, as by id
        return rijen

    def timer(self, model, sleutel: str):
        return self.tabellen[model].index.get(sleutel)

    def queue_bericht(self, *, sleutel: str, **bericht) -> bool:
        raise TypeError(f"the store in memory queues no notifications ({sleutel})")

    def beschikkingen(
        self, zaak: str, client_id: str | None = None, status: str | None = None
    ) -> list:
        return [
            b
            for b in self.tabellen[Beschikking].per_zaak.get(zaak, ())
            if (client_id is None or b.client_id == client_id)
            and (status is None or b.status == status)
        ]

    def client(self, agb: str | None, client_id: str, bsn: str | None = None):
        rij = self.tabellen[Client].index.get((agb, client_id))
        # Without a provider another person's row with the same client id is not hers.
        return None if rij is not None and agb is None and bsn and rij.bsn != bsn else rij

    def open_taken(self, zaak: str, client_id: str) -> list:
        return [
            t
            for t in self.tabellen[Deadline].per_zaak.get(zaak, ())
            if t.soort == TAAK_SOORT and t.client_id == client_id and t.status in TAAK_OPEN
        ]

    def open_bezwaar(self, zaak: str):
        raise TypeError(f"the store in memory holds no bezwaren ({zaak})")

    @property
    def session(self):
        """An effect beyond the port (a vervolg zaak, an ontwikkeltraject): not in memory."""
        raise TypeError("the store in memory has no database session")
