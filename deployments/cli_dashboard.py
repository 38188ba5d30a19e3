"""The operations dashboard from the command line:

- `meerzorg werkvoorraad [--rol beoordelaar|cce|contact|bezwaar|analist] [--peildatum D]`: every waiting zaak
  with what it waits for, since when, its deadline and a link to its run, oldest first;
- `meerzorg dashboard inrichten [--sweep-alarm-uren N]`: the alert automations and the saved
  views per role on the Prefect server (`meerzorg up` does this itself)."""

from __future__ import annotations

import datetime as dt

from deployments.cli_args import Parser, datum
from deployments.errors import CliFout
from models.werkvoorraad import ROLLEN


def werkvoorraad_overzicht(peildatum: dt.date, rol: str | None = None) -> dict:
    from deployments.operations import ensure_db
    from models.werkvoorraad import samenvatting
    from tasks.werkvoorraad import lees, run_url, ui_base_url

    ensure_db()
    rows = lees(peildatum, rol=rol)
    base = ui_base_url()
    return {
        "peildatum": peildatum.isoformat(),
        "rol": rol or "analist",
        **samenvatting(rows),
        "zaken": [r.public(run_url=lambda i: run_url(i, base)) for r in rows],
    }


def dashboard_inrichten(sweep_alarm_uren: float | None) -> dict:
    import httpx

    from deployments.automations import inrichten

    if sweep_alarm_uren is not None and sweep_alarm_uren <= 0:
        raise CliFout("--sweep-alarm-uren must be more than 0")
    within = dt.timedelta(hours=sweep_alarm_uren) if sweep_alarm_uren else None
    try:
        return inrichten(sweep_within=within)
    except (OSError, httpx.TransportError) as exc:
        raise CliFout(f"the Prefect server does not answer: {exc}") from None


def register(sub, out) -> None:
    p = sub.add_parser(
        "werkvoorraad",
        help="every waiting zaak: what it waits for, since when, its deadline (oldest first)",
    )
    p.add_argument(
        "--rol",
        choices=list(ROLLEN),
        default=None,
        help="beoordelaar: (tweede) beoordeling; cce: ontwikkeltraject at risk; contact: the "
        "zorgkantoor's contact tasks with clients at home (N 2025); analist: all",
    )
    p.add_argument("--peildatum", type=datum, default=None)
    p.set_defaults(func=lambda a: out(werkvoorraad_overzicht(a.peildatum, a.rol)))

    p = sub.add_parser("dashboard", help="the dashboard's alerts and saved views")
    dsub = p.add_subparsers(dest="dashboard_command", required=True, parser_class=Parser)
    r = dsub.add_parser(
        "inrichten",
        help="create or update the alert automations (MEERZORG_OPERATIONS_NOTIFY) and the "
        "saved views per role; safe to repeat",
    )
    r.add_argument(
        "--sweep-alarm-uren",
        type=float,
        default=None,
        help="alert when the deadline sweep has not completed for this many hours "
        "(default MEERZORG_SWEEP_ALERT_MINUTES, 25 hours)",
    )
    r.set_defaults(func=lambda a: out(dashboard_inrichten(a.sweep_alarm_uren)))
