"""The store port of the case engine: what its one apply (models/db/engine_store.py) and the
zaak's effect handlers (models/db/zaak_store.py) ask of where a case's rows live, and nothing
more. Two adapters: the database (models/db/sql_store.py, the caller's Session: every live
transition) and memory (models/db/geheugen.py: the bulk historical import, whose zaken do not
exist in the database until the batch is written). The apply is written once against this
port, so the two cannot drift apart."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Store(Protocol):
    """Rows are the model's instances (SQL) or objects with the same attributes (memory):
    the apply reads and sets their columns as attributes either way. An effect that starts
    another record (a vervolg zaak, an ontwikkeltraject, the dialoog's next year) goes
    through the database's own store functions on the SQL store's `session`
    (engine_store.Context.session); a store in memory has none and refuses it."""

    # --- rows ---------------------------------------------------------------------------

    def add(self, model: type[T], **kolommen: Any) -> T:
        """A new row of `model`, written with the caller's transaction."""

    def save(self, rij: object) -> None:
        """A row read from this store was changed: written with the caller's transaction."""

    def flush(self) -> None:
        """What was added so far is written now: a unique key fails here, in this
        transaction, and later reads see it."""

    # --- a case's timers (models/db/engine_store.Timers plans and lapses them) -------------

    def open_timers(self, model: type, eigenaar: dict, voor_status: str | None = None) -> list:
        """The open timer rows of one case (`eigenaar`: the columns that tie a row to it),
        of one wait when `voor_status` is given; by datum, then in the order added."""

    def timer(self, model: type, sleutel: str) -> Any | None:
        """The timer row of that idempotency key, whatever its status."""

    # --- the outbox ------------------------------------------------------------------------

    def queue_bericht(
        self,
        *,
        sleutel: str,
        sjabloon: str,
        kanaal: str,
        zaak: str | None = None,
        agb: str | None = None,
        brief_id: int | None = None,
        **context: Any,
    ) -> bool:
        """One notification, once per `sleutel` (the idempotency key): False when queued
        already. `brief_id`: the letter it carries as its attachment."""

    # --- what the zaak's handlers read -----------------------------------------------------

    def beschikkingen(
        self, zaak: str, client_id: str | None = None, status: str | None = None
    ) -> list:
        """The zaak's beschikkingen, of one client and/or one status when given."""

    def client(self, agb: str | None, client_id: str, bsn: str | None = None) -> Any | None:
        """The provider's client row; without a provider (agb None) the one with this BSN
        (models/db/store.registreer_zaak: the client id is no one's key there)."""

    def open_taken(self, zaak: str, client_id: str) -> list:
        """The client's contact tasks on the zaak not done yet (models/contact.py)."""

    def open_bezwaar(self, zaak: str) -> Any | None:
        """The zaak's latest bezwaar without an uitkomst."""
