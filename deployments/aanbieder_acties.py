"""What the provider's API does (issue 28), as plain functions the routes run in a thread:
the submission that answers at once, and the answers to the waits that are the provider's.

Who may answer a wait is its declaration's (models/engine.Wacht.rol == "aanbieder": the
herstel, the bijstelling, the evaluatie, ...); the API finds the wait from the run's own
pause key, as the gateway's Resume does, and signs the form's identity field with the key's
id. Prefect (starting and resuming runs) is reached with the gateway's internal credential,
lazily: a submission is answered from the case database before any run exists, and a run
that could not be started now is started by the intake's reconcile (runs.start_missing_runs)."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from models.aanvraag import Aanvraag, InvoerFout, fout_regel, parse_aanvraag
from models.beleid import beleid_op
from models.bevinding import is_volledigheid
from models.dates import vandaag
from models.db.aanbieder_lezen import eerder_verzoek, onthoud_verzoek, verzoek_hash, zaak_van
from models.db.aanbieder_sleutels import meld
from models.db.engine_store import audit
from models.db.overlap_lezen import meerzorg_elders
from models.db.store import read_engine_for, registreer_zaak, session_scope
from models.db.tables import Zaak
from models.planner import beslistermijn_van
from models.settings import get_settings
from models.soorten import SOORTEN
from models.toets import toets

log = logging.getLogger("meerzorg.aanbieder_api")


_SCHRIJFSLOT = threading.Lock()


def lezen():
    """A read that takes no write lock (on SQLite: no BEGIN IMMEDIATE; WAL shows the last
    committed state)."""
    return session_scope(read_engine_for(get_settings().db_url))


@contextmanager
def schrijven():
    """A write transaction. On SQLite the API's writers take turns in this process first:
    woken by the lock's release rather than by SQLite's busy handler, whose growing sleeps
    gave a p95 of seconds with twenty clients (benchmarks/bench_aanbieder_api.py)."""
    if get_settings().db_url.startswith("sqlite"):
        with _SCHRIJFSLOT, session_scope() as session:
            yield session
    else:
        with session_scope() as session:
            yield session


class Probleem(Exception):
    """An answer in RFC 9457 problem details: a status and one line for a person."""

    def __init__(self, status: int, titel: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.titel, self.detail = status, titel, detail


@dataclass(frozen=True, slots=True)
class Aanbieder:
    agb: str
    sleutel_id: str

    @property
    def wie(self) -> str:
        """The identity recorded for what this key does (audit trail, signed forms)."""
        return f"aanbieder:{self.sleutel_id}"


def lees_aanvraag(inhoud: bytes | dict, wie: Aanbieder) -> Aanvraag:
    if isinstance(inhoud, bytes):
        try:
            inhoud = inhoud.decode("utf-8")
        except UnicodeDecodeError:
            raise Probleem(422, "Ongeldige aanvraag", "de aanvraag is geen JSON in UTF-8") from None
    try:
        aanvraag = parse_aanvraag(inhoud)
    except (InvoerFout, ValidationError) as exc:
        fout = str(exc) if isinstance(exc, InvoerFout) else fout_regel(exc)
        raise Probleem(422, "Ongeldige aanvraag", fout) from None
    if aanvraag.agb != wie.agb:
        # A budgethouder's aanvraag names no provider (issue 25): not one for a provider's key.
        genoemd = f"AGB {aanvraag.agb}" if aanvraag.agb else "geen zorgaanbieder"
        raise Probleem(
            422,
            "Andere zorgaanbieder",
            f"de aanvraag noemt {genoemd}; deze sleutel hoort bij AGB {wie.agb}",
        )
    return aanvraag


def dien_in(inhoud: bytes, wie: Aanbieder, idempotentie: str | None) -> tuple[dict, bool]:
    """Register the aanvraag and answer with its receipt and the toets's findings, at once.
    Returns (answer, created). A retry with the same Idempotency-Key (or the aanvraag's own
    provider_referentie) and the same body gets the same zaak; another body is refused.

    The toets and its overlap read run before the write transaction, on the read engine:
    the write (zaak, retry key, event) then holds SQLite's one writer lock for milliseconds,
    so twenty providers submitting at once do not queue behind each other's toets."""
    aanvraag = lees_aanvraag(inhoud, wie)
    sleutel = idempotentie or aanvraag.provider_referentie
    peildatum = vandaag()
    hash_ = verzoek_hash(inhoud)
    with lezen() as session:
        eerder = eerder_verzoek(session=session, agb=wie.agb, sleutel=sleutel) if sleutel else None
        if eerder is not None:
            return _bekend(session, eerder, hash_, wie), False
        elders = meerzorg_elders(
            session=session,
            zaak="",  # no zaak yet: every running beschikking of these clients counts
            bsns=[c.bsn for c in aanvraag.clienten],
            vorige_zaak=aanvraag.vorige_zaak,
        )
    uitslag = toets(aanvraag, peildatum, elders=elders).public()
    # On PostgreSQL two twins (or two providers' aanvragen for one client) may both pass the
    # read above and then insert the same row: the later one's insert waits for the first
    # commit and fails on the unique key. Once more, it finds the twin's zaak or client row.
    try:
        return _schrijf_in(aanvraag, wie, sleutel, hash_, uitslag, peildatum)
    except IntegrityError:
        return _schrijf_in(aanvraag, wie, sleutel, hash_, uitslag, peildatum)


def _schrijf_in(aanvraag, wie: Aanbieder, sleutel, hash_: str, uitslag: dict, peildatum):
    with schrijven() as session:
        if sleutel:
            eerder = eerder_verzoek(session=session, agb=wie.agb, sleutel=sleutel)
            if eerder is not None:  # a twin got there between the read and this write
                return _bekend(session, eerder, hash_, wie), False
        zaak, nieuw = registreer_zaak(
            session=session,
            aanvraag=aanvraag,
            ingediend_op=peildatum,
            # Namespaced by the provider: one provider's reference never finds another's zaak.
            provider_referentie=f"api:{wie.agb}:{sleutel}" if sleutel else None,
            actor=wie.wie,
        )
        if sleutel:
            rij = onthoud_verzoek(
                session=session, agb=wie.agb, sleutel=sleutel, verzoek_hash=hash_, zaak=zaak.key
            )
            if rij.zaak != zaak.key:  # a concurrent twin registered it first
                raise Probleem(
                    409,
                    "Gelijktijdig verzoek",
                    "een gelijk verzoek is zojuist verwerkt; herhaal het",
                )
        meld(session=session, agb=wie.agb, gebeurtenis="zaak.ingediend", zaak=zaak.key)
        # The call's audit event in the same transaction (one write instead of two: the
        # middleware skips a request audited here).
        audit(
            session=session,
            actor=wie.wie,
            actie="api_verzoek",
            zaak=zaak.key,
            details={
                "methode": "POST",
                "route": "/aanvragen",
                "status": 201 if nieuw else 200,
                "agb": wie.agb,
            },
        )
        antwoord = _ontvangst(zaak, uitslag, peildatum)
    return antwoord, nieuw


def _bekend(session, eerder, hash_: str, wie: Aanbieder) -> dict:
    if eerder.verzoek_hash != hash_:
        raise Probleem(
            422,
            "Idempotency-Key al gebruikt",
            "deze Idempotency-Key hoort bij een ander verzoek; gebruik een nieuwe sleutel",
        )
    zaak = zaak_van(session=session, agb=wie.agb, key=eerder.zaak)
    uitslag = toets(parse_aanvraag(zaak.aanvraag), zaak.ingediend_op)
    return _ontvangst(zaak, uitslag.public(), zaak.ingediend_op)


def _ontvangst(zaak, uitslag: dict, peildatum) -> dict:
    """The answer to a submission: the receipt and what is missing (Awb 4:5), so the provider
    can complete at once. Only completeness findings: the content findings and the advice are
    the assessor's, and the overlap check reads every provider's beschikkingen (another
    zaak's key and dates), which no provider may learn from an answer."""
    return {
        "zaak": zaak.key,
        "ontvangstbevestiging": {
            "ontvangen_op": zaak.ingediend_op,
            # Awb 4:13, 4:15: eight weeks from receipt, the days in herstel added later.
            "beslistermijn_einde": beslistermijn_van(zaak, beleid_op(peildatum)),
        },
        "volledig": uitslag.get("volledig"),
        "bevindingen": [
            b for b in uitslag.get("bevindingen", []) if is_volledigheid(b.get("code", ""))
        ],
    }


def start_run(key: str) -> None:
    """Start the zaak's run now (after the answer has gone); best effort: the intake's
    reconcile starts any run that is missing."""
    try:
        from tasks import runs  # lazy: Prefect's client (~1.5 s CPU) only when a run starts

        with lezen() as session:
            z = session.get(Zaak, key)
            agb, lv, run = z.agb, z.leveringsvorm, z.flow_run_id
        if run is None:
            runs.start_lifecycle(key, agb, lv)
    except Exception as exc:  # noqa: BLE001 - Prefect away: the reconcile starts it later
        log.warning(
            "run van %s niet gestart (%s); de intake start haar later", key, type(exc).__name__
        )


@dataclass(frozen=True, slots=True)
class WachtendGeval:
    """A case of the provider's that waits on something the provider answers."""

    soort: str  # the kind (models/soorten.py): "zaak" or "dialoog"
    key: str
    status: str
    flow_run_id: str | None
    wacht_key: str | None
    wacht: object  # models/engine.Wacht


# The zienswijze is recorded by the zorgkantoor from whoever gives it (rol "zorgkantoor":
# models/zienswijze.py); the provider, as applicant a belanghebbende (Awb 4:7), also gives
# its own through the API, recorded as from "zorgaanbieder".
OOK_VAN_AANBIEDER = frozenset({"zienswijze"})


def wacht_van_aanbieder(soort: str, rij, key: str, wacht_op: tuple[str, ...]) -> WachtendGeval:
    """The case when it waits on one of `wacht_op` and that wait is the provider's to answer
    (its declaration's `rol`, or a zienswijze); else a Probleem with the reason."""
    if rij is None:
        raise Probleem(404, "Onbekend", f"{key} bestaat niet voor deze zorgaanbieder")
    wacht = SOORTEN[soort].wacht(rij.status)
    van_aanbieder = wacht is not None and (
        wacht.rol == "aanbieder" or wacht.wacht_op in OOK_VAN_AANBIEDER
    )
    if wacht is None or wacht.wacht_op not in wacht_op or not van_aanbieder:
        nu = rij.wacht_op or "niets"
        raise Probleem(
            409,
            "Wacht hier niet op",
            f"{key} wacht nu op {nu} (status {rij.status}), niet op {' of '.join(wacht_op)}",
        )
    return WachtendGeval(soort, key, rij.status, rij.flow_run_id, rij.wacht_key, wacht)


def hervat(
    geval: WachtendGeval, invoer: dict, wie: Aanbieder, actie: str, lees, wacht_seconden: float = 15
) -> dict:
    """Resume the zaak's run with the wait's form, signed by the key; then wait briefly for
    the zaak to move, so the answer shows where it went."""
    from models.toegang import onderteken
    from tasks import runs  # lazy: Prefect's client

    wacht = geval.wacht
    try:
        wacht.formulier.model_validate(invoer)
    except ValidationError as exc:
        raise Probleem(422, "Ongeldige invoer", fout_regel(exc)) from None
    if geval.flow_run_id is None:
        raise Probleem(
            503, "Nog niet gestart", f"de run van {geval.key} start nog; probeer het zo opnieuw"
        )
    run_input = onderteken(invoer, wacht.identiteit, wie.wie)
    try:
        # The run's own pause key decides which wait this answers (as the gateway's Resume
        # and the dossier do): the case row read a moment ago may have moved on since.
        if runs.pause_key(geval.flow_run_id) != geval.wacht_key:
            raise Probleem(
                409,
                "Wacht hier niet meer op",
                f"{geval.key} wacht nu niet (meer) op {wacht.wacht_op}; vraag de zaak opnieuw op",
            )
        ok = runs.resume(geval.flow_run_id, run_input)
    except Probleem:
        raise
    except Exception as exc:  # noqa: BLE001 - Prefect unreachable
        log.warning("hervatten van %s mislukt: %s", geval.key, type(exc).__name__)
        raise Probleem(
            503, "Even niet bereikbaar", "de procesmotor antwoordt niet; probeer het zo opnieuw"
        ) from None
    if not ok:
        raise Probleem(409, "Niet aangenomen", f"{geval.key} wachtte niet meer op deze invoer")
    with schrijven() as session:
        zaak = geval.key if geval.soort == "zaak" else None
        audit(
            session=session,
            actor=wie.wie,
            actie=actie,
            zaak=zaak,
            details={"wacht": wacht.wacht_op, "geval": geval.key},
        )
    return _na_beweging(geval, lees, wacht_seconden)


def _na_beweging(geval: WachtendGeval, lees, seconden: float) -> dict:
    """Wait until the case left the wait it was answered on (`lees(session)`: its row now)."""
    einde = time.monotonic() + seconden
    while True:
        with lezen() as session:
            rij = lees(session)
            status, wacht_op, wk, fout = rij.status, rij.wacht_op, rij.wacht_key, rij.laatste_fout
        if wk != geval.wacht_key or time.monotonic() > einde:
            return {
                "zaak": geval.key,
                "status": status,
                "wacht_op": wacht_op,
                "verwerkt": wk != geval.wacht_key,
                "fout": fout,
            }
        time.sleep(0.25)
