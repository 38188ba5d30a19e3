"""Publishing the werkvoorraad into Prefect: one Markdown artifact per role with a stable
key, and the `signaal:`/`cce:` tags on the waiting runs that need attention (README,
"Dashboard"). flows/werkvoorraad.py runs these as tasks."""

from __future__ import annotations

import datetime as dt
import logging
from uuid import UUID

from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterTags

from models.werkvoorraad import ROLLEN, Rij, markdown, voor_rol
from tasks.status import markdown as status_markdown
from tasks.status import status
from tasks.werkvoorraad import run_url, ui_base_url

log = logging.getLogger("meerzorg.werkvoorraad")


# Artifact key per role; the analyst's view (everything) has the plain key.
ARTIFACT_KEYS = {
    rol: "werkvoorraad" if rol == "analist" else f"werkvoorraad-{rol}" for rol in ROLLEN
}


SIGNAAL_PREFIX = "signaal:"


CCE_PREFIX = "cce:"


def run_tags(rij: Rij) -> set[str]:
    """The attention tags of a waiting run: `signaal:verlopen|urgent` for its deadline and
    `cce:<status>` for its clients' ontwikkeltraject (the lifecycle sets the same `cce:` tag
    when it runs; this keeps it current while the run is suspended)."""
    tags = set()
    if rij.signaal in ("verlopen", "urgent"):
        tags.add(f"{SIGNAAL_PREFIX}{rij.signaal}")
    if rij.cce_status:
        tags.add(f"{CCE_PREFIX}{rij.cce_status}")
    return tags


def systeemstatus() -> str:
    """The operator's health view (`meerzorg status`) for the top of the werkvoorraad."""
    try:
        return status_markdown(status())
    except Exception as exc:  # the werkvoorraad itself must still be published
        log.warning("systeemstatus niet bepaald: %s", exc)
        return f"## Systeemstatus: niet bepaald ({type(exc).__name__})\n"


def publiceer(rows: list[Rij], peildatum: dt.date, kop: str = "") -> dict[str, str]:
    base = ui_base_url()
    out = {}
    for rol in ROLLEN:
        text = markdown(voor_rol(rows, rol), peildatum, rol=rol, run_url=lambda i: run_url(i, base))
        if rol == "analist" and kop:  # operations reads the analyst's (complete) view
            text = kop + "\n" + text
        key = ARTIFACT_KEYS[rol]
        create_markdown_artifact(
            key=key, markdown=text, description=f"Werkvoorraad {rol}, peildatum {peildatum}"
        )
        out[rol] = key
    return out


def zet_signaal_tags(rows: list[Rij]) -> int:
    """Set the attention tags on the waiting runs and take them off the runs that no longer
    need them. Other tags are left alone."""
    wanted = {r.flow_run_id: run_tags(r) for r in rows if r.flow_run_id}
    changed = 0
    alle = [f"{SIGNAAL_PREFIX}{s}" for s in ("verlopen", "urgent")] + [
        f"{CCE_PREFIX}{s}" for s in ("ok", "risico", "overtreding")
    ]
    with get_client(sync_client=True) as client:
        runs = {}
        offset = 0
        while True:  # every run that carries one of these tags now
            page = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(any_=alle)),
                limit=200,
                offset=offset,
            )
            runs.update({str(r.id): r for r in page})
            if len(page) < 200:
                break
            offset += 200
        ids = [UUID(i) for i, tags in wanted.items() if tags and i not in runs]
        for start in range(0, len(ids), 200):
            for r in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=ids[start : start + 200])),
                limit=200,
            ):
                runs[str(r.id)] = r
        for run_id, run in runs.items():
            keep = {t for t in run.tags if not t.startswith((SIGNAAL_PREFIX, CCE_PREFIX))}
            new = keep | wanted.get(run_id, set())
            if new != set(run.tags):
                client.update_flow_run(UUID(run_id), tags=sorted(new))
                changed += 1
    return changed
