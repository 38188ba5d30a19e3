"""`meerzorg besluit document BESLUIT_ID --uitvoer FILE.pdf`: a besluit's letter as its
addressee received it (issue 25), read from the case database and audited as a view (NEN
7513). The file holds case data: it is written 0600, like every file of the service.
`meerzorg partij wijzig ZAAK --client C ...`: a client's parties changed later, audited. Bad
input exits 2 with one line, nothing written."""

from __future__ import annotations

from pathlib import Path

from deployments.bestanden import open_prive
from deployments.errors import CliFout
from deployments.operations import actor, ensure_db

ROLLEN = ("zorgaanbieder", "client", "vertegenwoordiger", "budgethouder")


def document(a) -> dict:
    from models.db.brieven import brieven_van
    from models.db.engine_store import audit
    from models.db.store import session_scope
    from models.db.tables import Besluit

    uitvoer = Path(a.uitvoer)
    if uitvoer.suffix.lower() != ".pdf":
        raise CliFout(f"--uitvoer {a.uitvoer}: give a file name ending in .pdf")
    if not uitvoer.parent.is_dir():
        raise CliFout(f"--uitvoer {a.uitvoer}: directory {uitvoer.parent} does not exist")
    ensure_db()
    with session_scope() as session:
        besluit = session.get(Besluit, a.besluit_id)
        if besluit is None:
            raise CliFout(f"besluit {a.besluit_id} does not exist")
        alle = brieven_van(session=session, besluit_id=besluit.id)
        # The applicant: the provider, or without one the budgethouder (issue 25).
        rol = a.rol or (
            "zorgaanbieder" if any("zorgaanbieder" in b.rollen for b in alle) else "budgethouder"
        )
        brieven = [
            b for b in alle if rol in b.rollen and (a.client is None or b.client_id == a.client)
        ]
        if not brieven:
            raise CliFout(
                f"besluit {a.besluit_id} has no letter to the {rol}"
                + (f" of client {a.client}" if a.client else "")
            )
        brief = brieven[0]
        audit(
            session=session,
            actor=actor(),
            actie="besluit_document_gelezen",
            zaak=besluit.zaak,
            client_id=brief.client_id,
            details={"besluit": besluit.id, "brief": brief.id, "sha256": brief.sha256},
        )
        pdf, sha = brief.pdf, brief.sha256
        uit = {
            "besluit": besluit.id,
            "zaak": besluit.zaak,
            "brief": brief.id,
            "rollen": brief.rollen,
            "kanaal": "post" if brief.kanaal == "post" else "digitaal",
            "sha256": sha,
        }
    with open_prive(uitvoer, "wb") as f:
        f.write(pdf)
    return uit | {"uitvoer": str(uitvoer), "bytes": len(pdf)}


def partij_wijzig(a) -> dict:
    """A client's parties changed: JSON objects as in the aanvraag (DOMAIN.md §18)."""
    import json

    from models.aanvraag import InvoerFout
    from models.db.partijen import wijzig_partijen
    from models.db.store import session_scope

    wijziging: dict = {}
    for veld, tekst in (
        ("correspondentie", a.correspondentie),
        ("vertegenwoordiger", a.vertegenwoordiger),
    ):
        if tekst is not None:
            try:
                wijziging[veld] = json.loads(tekst)
            except ValueError:
                raise CliFout(f"--{veld}: not valid JSON") from None
    if a.geen_vertegenwoordiger:
        wijziging["vertegenwoordiger"] = None
    if a.budgethouder is not None:
        wijziging["budgethouder"] = a.budgethouder
    if not wijziging:
        raise CliFout(
            "give --correspondentie, --vertegenwoordiger, --geen-vertegenwoordiger or --budgethouder"
        )
    ensure_db()
    try:
        with session_scope() as session:
            velden = wijzig_partijen(
                session=session,
                zaak_key=a.zaak,
                client_id=a.client,
                wijziging=wijziging,
                actor=actor(persoon=True),
            )
    except InvoerFout as exc:
        raise CliFout(str(exc)) from None
    return {"zaak": a.zaak, "client_id": a.client, "gewijzigd": velden}


def register(sub, out) -> None:
    p = sub.add_parser("besluit", help="a besluit's letters (issue 25)")
    bsub = p.add_subparsers(dest="besluit_command", required=True, parser_class=type(p))
    d = bsub.add_parser("document", help="write the PDF letter of a besluit to a file")
    d.add_argument("besluit_id", type=int, help="the besluit's id (meerzorg zaak KEY: besluiten)")
    d.add_argument("--uitvoer", required=True, help="the PDF file to write")
    d.add_argument(
        "--rol",
        choices=ROLLEN,
        help="whose letter (default: the applicant's, the budgethouder's without a provider)",
    )
    d.add_argument("--client", help="the client whose party's letter (with --rol)")
    d.set_defaults(func=lambda a: out(document(a)))

    p = sub.add_parser("partij", help="a client's parties: where its besluiten go (issue 25)")
    psub = p.add_subparsers(dest="partij_command", required=True, parser_class=type(p))
    w = psub.add_parser(
        "wijzig", help="change a client's correspondentie, vertegenwoordiger or budgethouder"
    )
    w.add_argument("zaak")
    w.add_argument("--client", required=True)
    w.add_argument(
        "--correspondentie", help='JSON: {"kanaal": URL or "post", "naam", "adres": [...]}'
    )
    w.add_argument("--vertegenwoordiger", help='JSON: {"rol", "correspondentie": {...}}')
    w.add_argument(
        "--geen-vertegenwoordiger", action="store_true", help="remove the vertegenwoordiger"
    )
    w.add_argument("--budgethouder", choices=("client", "vertegenwoordiger"))
    w.set_defaults(func=lambda a: out(partij_wijzig(a)))
