"""The dashboard's standing configuration on the Prefect server, created idempotently by
`meerzorg up` and by `meerzorg dashboard inrichten` (production):

- notification blocks for the operations channel (MEERZORG_OPERATIONS_NOTIFY);
- an automation that alerts that channel when a meerzorg run fails or crashes;
- an automation that alerts it when the deadline sweep has not completed for a day;
- saved views ("saved filters") on the Runs page, one per role.

Prefect 3.9.1 has no block type for an arbitrary apprise URL, so each target becomes the
block that fits it: json:// and http(s):// webhooks a `CustomWebhookNotificationBlock` that
posts apprise's own JSON shape ({"version", "title", "message", "type"}), Slack URLs a
`SlackWebhook`. The server sends these itself, so they work on a self-hosted server with
no worker running. Running this twice changes nothing."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit, urlunsplit

from models.proces import ZAAK, S
from models.settings import get_settings
from models.werkbak import opent_werkbak

BLOCK_PREFIX = "meerzorg-operations"
AUTOMATION_MISLUKT = "meerzorg: run mislukt of gecrasht"
AUTOMATION_SWEEP = "meerzorg: deadline-sweep niet voltooid"
# Every flow of prefect.yaml: meerzorg-lifecycle, -deadline-sweep, -backfill, -intake,
# -werkvoorraad, -rapport, meerzorgdialoog, plan-dialogen, ...
ALERT_FLOWS = ["meerzorg*", "plan-dialogen"]
SWEEP_FLOW = "meerzorg-deadline-sweep"
# The Runs page filters on start time; a zaak can wait for years.
VIEW_SPAN_SECONDS = 10 * 365 * 24 * 3600

# name -> tag; the Runs page shows the runs carrying the tag (README, "Dashboard").
SAVED_VIEWS = {
    "Beoordelaar: wacht op beoordeling": f"wacht-op:{ZAAK.wacht(S.BEOORDELING).wacht_op}",
    "Beoordelaar: tweede beoordeling (vier ogen)": (
        f"wacht-op:{ZAAK.wacht(S.TWEEDE_BEOORDELING).wacht_op}"
    ),
    # Bezwaar staff (Awb 6:11, 7:2, 7:11): the bezwaren that wait for them, per step.
    "Bezwaar: termijnoverschrijding beoordelen": (
        f"wacht-op:{ZAAK.wacht(S.BEZWAAR_TE_LAAT).wacht_op}"
    ),
    "Bezwaar: hoorzitting plannen": f"wacht-op:{ZAAK.wacht(S.BEZWAAR_HOREN).wacht_op}",
    "Bezwaar: beslissing op bezwaar": f"wacht-op:{ZAAK.wacht(S.BEZWAAR_BESLISSEN).wacht_op}",
    "Termijn verlopen": "signaal:verlopen",
    "Termijn binnen twee weken": "signaal:urgent",
    "CCE: ontwikkeltraject met risico": "cce:risico",
    "CCE: ontwikkeltraject overschreden": "cce:overtreding",
    "Analist: alle zaken": "meerzorg",
}

MISLUKT_ONDERWERP = "meerzorg: {{ flow.name }} run {{ flow_run.name }} is {{ flow_run.state.name }}"
MISLUKT_TEKST = """De run {{ flow_run.name }} van {{ flow.name }} eindigde als {{ flow_run.state.name }}.
{% if flow_run.state.message %}Melding: {{ flow_run.state.message }}
{% endif %}Run: {{ flow_run|ui_url }}
{% if flow.name == "meerzorg-lifecycle" %}De deadline-sweep start een mislukte lifecycle-run vanzelf
opnieuw (nu meteen: `meerzorg sweep`); de zaak in de database gaat verder waar hij stond.
Gebruik geen Retry: die laat de run een beantwoord formulier opnieuw vragen.
{% else %}Bekijk de logs van de run en start hem opnieuw vanuit het dashboard.
{% endif %}"""
SWEEP_ONDERWERP = "meerzorg: de deadline-sweep is niet op tijd voltooid"
SWEEP_TEKST = """Er is in de afgelopen {venster} geen voltooide run van meerzorg-deadline-sweep.
Termijnen (beslistermijn, bezwaar, herbeoordeling, einde beschikking) vuren dan niet en de
outbox wordt niet opnieuw geprobeerd. Controleer de runner of worker en start de sweep met
`meerzorg sweep` of vanuit het dashboard (deployment deadline-sweep)."""


class DashboardFout(ValueError):
    """A configuration that cannot be applied (e.g. an unsupported notification URL)."""


def webhook_voor(apprise_url: str):
    """The Prefect notification block that delivers to this apprise URL, or None when
    Prefect 3.9.1 has no block for its scheme."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock, SlackWebhook

    parts = urlsplit(apprise_url)
    scheme = parts.scheme.lower()
    if scheme in ("slack",) or parts.hostname in ("hooks.slack.com", "hooks.slack-gov.com"):
        return SlackWebhook(url=apprise_url)
    http_scheme = {"json": "http", "jsons": "https", "http": "http", "https": "https"}.get(scheme)
    if http_scheme is None:
        return None
    # apprise's own arguments (?format=..., ?-Header=...) are not part of the endpoint.
    url = urlunsplit((http_scheme, parts.netloc, parts.path or "/", "", ""))
    return CustomWebhookNotificationBlock(
        name=BLOCK_PREFIX,
        url=url,
        json_data={
            "version": "1.0",
            "title": "{{subject}}",
            "message": "{{body}}",
            "type": "failure",
        },
        timeout=10,
    )


def operations_blocks(targets: list[str]) -> tuple[list, list[str]]:
    """Save one block per supported target (overwriting), drop the ones no longer configured.
    Returns (block document ids, skipped targets)."""
    from prefect.client.orchestration import get_client

    ids, skipped = [], []
    names = []
    for i, target in enumerate(targets, start=1):
        block = webhook_voor(target)
        if block is None:
            skipped.append(urlsplit(target).scheme + "://…")
            continue
        name = f"{BLOCK_PREFIX}-{i}"
        ids.append(block.save(name, overwrite=True))
        names.append(name)
    with get_client(sync_client=True) as client:
        for slug in ("custom-webhook", "slack-webhook"):
            for doc in client.read_block_documents_by_type(slug):
                if doc.name and doc.name.startswith(BLOCK_PREFIX) and doc.name not in names:
                    client.delete_block_document(doc.id)
    return ids, skipped


def sweep_window() -> dt.timedelta:
    """How long without a completed sweep before operations hears of it
    (MEERZORG_SWEEP_ALERT_MINUTES, default 25 hours: a daily sweep plus an hour's slack)."""
    return dt.timedelta(minutes=get_settings().sweep_alert_minutes)


def venster_tekst(venster: dt.timedelta) -> str:
    """The alert window in words: "25 uur", "90 minuten", "1 minuut"."""
    minuten = max(1, round(venster.total_seconds() / 60))
    if minuten % 60 == 0:
        return f"{minuten // 60} uur"
    return "1 minuut" if minuten == 1 else f"{minuten} minuten"


def automations(block_ids: list, sweep_within: dt.timedelta | None = None) -> list:
    from prefect.events.actions import SendNotification
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    def notify(onderwerp: str, tekst: str) -> list:
        return [
            SendNotification(block_document_id=i, subject=onderwerp, body=tekst) for i in block_ids
        ]

    return [
        AutomationCore(
            name=AUTOMATION_MISLUKT,
            description="Meldt aan het operations-kanaal (MEERZORG_OPERATIONS_NOTIFY) dat een "
            "meerzorg-run (lifecycle, sweep, backfill, ...) mislukt of crasht.",
            trigger=EventTrigger(
                posture=Posture.Reactive,
                expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
                match={"prefect.resource.id": "prefect.flow-run.*"},
                match_related={
                    "prefect.resource.role": "flow",
                    "prefect.resource.name": ALERT_FLOWS,
                },
                for_each={"prefect.resource.id"},
                threshold=1,
                within=dt.timedelta(0),
            ),
            actions=notify(MISLUKT_ONDERWERP, MISLUKT_TEKST),
        ),
        AutomationCore(
            name=AUTOMATION_SWEEP,
            description="Meldt aan het operations-kanaal dat de deadline-sweep al een dag niet "
            "voltooid is (geen event prefect.flow-run.Completed van meerzorg-deadline-sweep).",
            trigger=EventTrigger(
                posture=Posture.Proactive,
                expect={"prefect.flow-run.Completed"},
                match={"prefect.resource.id": "prefect.flow-run.*"},
                match_related={
                    "prefect.resource.role": "flow",
                    "prefect.resource.name": SWEEP_FLOW,
                },
                threshold=1,
                within=sweep_within or sweep_window(),
            ),
            actions=notify(
                SWEEP_ONDERWERP,
                SWEEP_TEKST.format(venster=venster_tekst(sweep_within or sweep_window())),
            ),
        ),
    ]


def apply_automations(wanted: list) -> dict[str, str]:
    """Create or update each automation by name; duplicates with the same name are removed."""
    from prefect.client.orchestration import get_client

    out = {}
    with get_client(sync_client=True) as client:
        for automation in wanted:
            existing = client.read_automations_by_name(automation.name)
            if existing:
                keep, *extra = existing
                for e in extra:
                    client.delete_automation(e.id)
                client.update_automation(keep.id, automation)
                out[automation.name] = str(keep.id)
            else:
                out[automation.name] = str(client.create_automation(automation))
    return out


def saved_views(span_seconds: int = VIEW_SPAN_SECONDS) -> dict[str, str]:
    """The role views of the Runs page ("saved filters"), upserted by name."""
    from prefect.client.orchestration import get_client

    out = {}
    with get_client(sync_client=True) as client:
        for name, tag in SAVED_VIEWS.items():
            filters = [
                {
                    "object": "flowRun",
                    "property": "tag",
                    "type": "",
                    "operation": "",
                    "value": [tag],
                },
                {
                    "object": "flowRun",
                    "property": "range",
                    "type": "",
                    "operation": "",
                    "value": {"type": "span", "seconds": -span_seconds},
                },
            ]
            r = client.request("PUT", "/saved_searches/", json={"name": name, "filters": filters})
            r.raise_for_status()
            out[name] = r.json()["id"]
    return out


def view_url(base: str, tag: str, span_seconds: int = VIEW_SPAN_SECONDS) -> str:
    """A link to the Runs page filtered on one tag (the same filter as the saved view)."""
    return f"{base.rstrip('/')}/runs?tag={tag}&type=span&seconds=-{span_seconds}"


# What a login opens on (issue 27 point 5): the werkbak for the roles with tasks in it (the
# deciding roles and the CCE, models/werkbak.WERKBAK_ROLLEN); for operations its saved view
# on the Runs page (issue 14), for the analist the werkvoorraad in Prefect.
STARTVIEW = {"operations": "Termijn verlopen"}
STARTWERKVOORRAAD: dict[str, str] = {}


def startpagina(rol: str) -> str:
    """The path a login of this role opens on."""
    if opent_werkbak(rol):
        return "/werkbak"
    if rol in STARTVIEW:
        return view_url("", SAVED_VIEWS[STARTVIEW[rol]])
    return f"/artifacts/key/{STARTWERKVOORRAAD.get(rol, 'werkvoorraad')}"


def inrichten(targets: list[str] | None = None, sweep_within: dt.timedelta | None = None) -> dict:
    """Everything above, for the operations targets of the settings unless given."""
    targets = get_settings().operations_targets if targets is None else targets
    block_ids, skipped = operations_blocks(targets)
    result = {
        "kanalen": len(block_ids),
        "niet_ondersteund": skipped,
        "automations": {},
        "views": saved_views(),
    }
    if block_ids:
        result["automations"] = apply_automations(automations(block_ids, sweep_within))
    else:
        # Without a channel an automation would alert no one: remove stale ones.
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            for name in (AUTOMATION_MISLUKT, AUTOMATION_SWEEP):
                for a in client.read_automations_by_name(name):
                    client.delete_automation(a.id)
    return result
