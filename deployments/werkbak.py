"""The werkbak (issue 27): `/werkbak`, the login's open tasks from the case database, with the
deadline that bounds each, days left and a signal, and who holds it; filters and sort saved
per login; Oppakken, Vrijgeven and (teamleider) Herverdelen as plain form POSTs with the
session's CSRF token. Served by the gateway itself, behind its login; nothing here reaches
Prefect. The rows refresh every minute without a reload when JavaScript runs (a small fetch
of the table), and by the Vernieuwen link when it does not."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from deployments.werkbak_claims import claim_actie, lees_werkbak
from deployments.werkbak_pagina import (
    ZAAK_KEY,
    csrf_klopt,
    csrf_veld,
    e,
    formulier,
    melden,
    melding_uit,
    pagina,
    persoon,
    terug,
    weigering,
)
from models.dossier_regels import mag_dossier_openen
from models.engine import OngeldigeInvoer
from models.werkbak import (
    HOUDERS,
    SIGNAAL_TEKST,
    SIGNALEN,
    SORTERINGEN,
    TERMIJN_TEKST,
    korte_uitleg,
)
from models.werkbak_overig import dialoog_uit_key

ACTIES = ("oppakken", "vrijgeven", "herverdelen")
PER_PAGINA = 100
VERVERS = """<script>
// Progressive enhancement: the table refreshes every minute without a reload, unless the
// keyboard is in it (a person choosing a colleague must not lose her place).
setInterval(async () => {
  const t = document.getElementById("taken");
  if (!t || t.contains(document.activeElement)) return;
  const r = await fetch(location.pathname + location.search, {headers: {"x-deel": "taken"}});
  if (r.ok) t.outerHTML = await r.text();
}, 60000);
</script>"""


def _keuze(naam: str, label: str, opties: dict[str, str], gekozen: str) -> str:
    items = "".join(
        f'<option value="{e(k)}"{" selected" if k == gekozen else ""}>{e(v)}</option>'
        for k, v in opties.items()
    )
    return f'<div><label for="f-{naam}">{e(label)}</label><select id="f-{naam}" name="{naam}">{items}</select></div>'


def _filters(data: dict) -> str:
    f = data["filter"]
    wachten = {"alle": "Alle", **{w: korte_uitleg(w) for w in data["wachten"]}}
    signalen = {"alle": "Alle", **{s: SIGNAAL_TEKST[s] for s in SIGNALEN}}
    return (
        '<form class="filters" method="get" action="/werkbak" aria-label="Filter en sortering">'
        + _keuze("wacht_op", "Wacht op", wachten, f["wacht_op"])
        + _keuze("signaal", "Signaal", signalen, f["signaal"])
        + _keuze("houder", "Opgepakt", HOUDERS, f["houder"])
        + _keuze("sorteer", "Sorteren op", SORTERINGEN, f["sorteer"])
        + '<div><button type="submit">Toon</button></div></form>'
        + '<p class="hint">Uw filter en sortering worden bewaard voor uw volgende bezoek.</p>'
    )


def actie_knop(request: Request, actie: str, zaak: str, label: str, extra: str = "") -> str:
    klasse = "" if actie == "oppakken" else ' class="tweede"'
    return (
        f'<form class="inline" method="post" action="/werkbak/{actie}">{csrf_veld(request)}'
        f'<input type="hidden" name="zaak" value="{e(zaak)}">{extra}'
        f'<button type="submit"{klasse} aria-label="{e(label)} {e(zaak)}">{e(label)}</button></form>'
    )


def _rij(request: Request, t, wie: str, rol: str, collegas: dict[str, str]) -> str:
    if t.termijn_datum:
        termijn = f"{e(TERMIJN_TEKST.get(t.termijn, t.termijn.replace('_', ' ')))}<br>{t.termijn_datum:%d-%m-%Y}"
        dagen = f"{t.dagen_resterend}"
    else:
        termijn, dagen = "—", "—"
    signaal = f'<span class="{t.signaal}">{e(SIGNAAL_TEKST[t.signaal])}</span>'
    if t.soort != "wacht":
        return _overige_rij(request, t, wie, rol, collegas, termijn, dagen, signaal)
    houder, acties = _claim_cellen(request, t, wie, rol, collegas)
    return (
        f'<tr><th scope="row"><a href="/zaken/{e(t.zaak)}">{e(t.zaak)}</a></th>'
        f"<td>{e(t.uitleg)}</td><td>{t.wacht_sinds:%d-%m-%Y} ({t.dagen_wachtend} d)</td>"
        f"<td>{termijn}</td><td>{dagen}</td><td>{signaal}</td><td>{houder}</td><td>{acties}</td></tr>"
    )


def _claim_cellen(request: Request, t, wie: str, rol: str, collegas: dict[str, str]):
    """Who holds a wait and its buttons: Oppakken, Vrijgeven, (teamleider) Herverdelen."""
    if t.houder is None:
        houder = "niemand"
        acties = actie_knop(request, "oppakken", t.zaak, "Oppakken")
    elif t.houder == wie:
        houder = "u"
        acties = actie_knop(request, "vrijgeven", t.zaak, "Vrijgeven")
    else:
        houder = e(t.houder)
        acties = (
            actie_knop(request, "vrijgeven", t.zaak, "Vrijgeven") if rol == "teamleider" else ""
        )
    if rol == "teamleider" and collegas:
        opties = "".join(
            f'<option value="{e(c)}">{e(c)} ({e(r)})</option>' for c, r in collegas.items()
        )
        kies = (
            f'<label for="naar-{e(t.zaak)}" class="hint">Geef aan</label>'
            f'<select id="naar-{e(t.zaak)}" name="naar">{opties}</select> '
        )
        acties += " " + actie_knop(request, "herverdelen", t.zaak, "Herverdelen", kies)
    return houder, acties


def _overige_rij(request, t, wie, rol, collegas, termijn: str, dagen: str, signaal: str) -> str:
    """A task that is no zaak wait (models/werkbak_overig.py), done where the row says: a
    dialoog in its run's Resume (its wait is claimed as a zaak's), a contact or an
    ontwikkeltraject by the command the werkvoorraad names (not claimed)."""
    if t.soort == "dialoog" or mag_dossier_openen(rol) is not None:
        zaak = e(t.zaak)
    else:
        zaak = f'<a href="/zaken/{e(t.zaak)}">{e(t.zaak)}</a>'
    uitleg = e(t.uitleg) + (f"<br>cliënt {e(t.client_id)}" if t.client_id else "")
    houder, acties = '<span class="hint">niet op te pakken</span>', ""
    if t.soort == "dialoog":
        houder, acties = _claim_cellen(request, t, wie, rol, collegas)
        acties += "<br>"
    if t.waar:
        acties += f'<a href="{e(t.waar)}">Beantwoorden in Prefect (Resume) <span class="hint">{e(t.zaak)}</span></a>'
    elif t.opdracht:
        acties += f'<span class="hint">Vastleggen met</span><code>{e(t.opdracht)}</code>'
    else:
        acties += '<span class="hint">Run nog niet gestart</span>'
    return (
        f'<tr><th scope="row">{zaak}</th>'
        f"<td>{uitleg}</td><td>{t.wacht_sinds:%d-%m-%Y} ({t.dagen_wachtend} d)</td>"
        f"<td>{termijn}</td><td>{dagen}</td><td>{signaal}</td><td>{houder}</td><td>{acties}</td></tr>"
    )


def _bladzijde(query: dict[str, str]) -> int:
    try:
        return max(1, min(int(query.get("pagina", "1")), 10_000))
    except ValueError:
        return 1


def _bladeren(data: dict, nummer: int) -> str:
    """Vorige/volgende: a page holds PER_PAGINA tasks (10,000 rows is no page to read)."""
    laatste = max(1, -(-len(data["taken"]) // PER_PAGINA))
    links = []
    for doel, tekst in ((nummer - 1, "Vorige"), (nummer + 1, "Volgende")):
        if 1 <= doel <= laatste:
            q = urlencode({**data["filter"], "pagina": doel})
            links.append(f'<a href="/werkbak?{e(q)}">{tekst} {PER_PAGINA}</a>')
    kop = f"Pagina {nummer} van {laatste}"
    return f'<nav aria-label="Pagina\'s van de werkbak"><p>{kop} {" · ".join(links)}</p></nav>'


def tabel(request: Request, data: dict, wie: str, rol: str, nummer: int = 1) -> str:
    deel = data["taken"][(nummer - 1) * PER_PAGINA : nummer * PER_PAGINA]
    rijen = "".join(_rij(request, t, wie, rol, data["collegas"]) for t in deel)
    if not rijen:
        rijen = '<tr><td colspan="8">Geen open taken bij dit filter.</td></tr>'
    return (
        '<table id="taken"><caption class="hint">'
        f"{len(data['taken'])} van {data['totaal']} open taken, peildatum "
        f"{data['peildatum']:%d-%m-%Y}</caption><thead><tr>"
        '<th scope="col">Zaak</th><th scope="col">Wacht op</th><th scope="col">Sinds</th>'
        '<th scope="col">Wettelijke termijn</th><th scope="col">Dagen over</th>'
        '<th scope="col">Signaal</th><th scope="col">Opgepakt door</th>'
        f'<th scope="col">Actie</th></tr></thead><tbody>{rijen}</tbody></table>'
    )


def werkbak_routes(gw) -> list[Route]:
    async def werkbak(request: Request) -> Response:
        ident = await persoon(gw, request)
        if isinstance(ident, Response):
            return ident
        query = {k: v for k, v in request.query_params.items()}
        try:
            data = await run_in_threadpool(lees_werkbak, ident.id, ident.rol, query)
        except OngeldigeInvoer as exc:
            return weigering("Werkbak", str(exc), ident, 400)
        nummer = _bladzijde(query)
        if request.headers.get("x-deel") == "taken":
            return HTMLResponse(
                tabel(request, data, ident.id, ident.rol, nummer),
                headers={"cache-control": "no-store"},
            )
        vernieuw = "/werkbak?" + urlencode(data["filter"])
        inhoud = (
            f"<h1>Werkbak van {e(ident.id)}</h1>{melding_uit(request)}"
            + (
                ""
                if data["wachten"]
                else f'<p class="hint">Uw rol {e(ident.rol)} beantwoordt geen wachtende zaak; '
                "de werkbak blijft leeg.</p>"
            )
            + _filters(data)
            + f'<p><a href="{e(vernieuw)}">Vernieuwen</a></p>'
            + tabel(request, data, ident.id, ident.rol, nummer)
            + _bladeren(data, nummer)
            + VERVERS
        )
        return pagina("Werkbak", inhoud, ident)

    async def actie(request: Request) -> Response:
        ident = await persoon(gw, request)
        if isinstance(ident, Response):
            return ident
        soort = request.path_params["actie"]
        form = await formulier(request)
        if soort not in ACTIES or form is None:
            return weigering(
                "Werkbak", "onbekend verzoek: gebruik de knoppen van de werkbak", ident, 400
            )
        if not csrf_klopt(request, form):
            return weigering(
                "Werkbak",
                "het formulier is verlopen of komt niet van deze site: open de werkbak opnieuw",
                ident,
                403,
            )
        zaak = form.get("zaak", "")
        if not ZAAK_KEY.match(zaak) and dialoog_uit_key(zaak) is None:
            return weigering(
                "Werkbak",
                "ongeldig zaaknummer: verwacht MZ-JJJJ-NNNNNN of dialoog-AGB-JJJJ",
                ident,
                400,
            )
        reden = await run_in_threadpool(
            claim_actie, ident.id, ident.rol, soort, zaak, form.get("naar", "")[:64]
        )
        if reden is not None:
            melden(request, f"{zaak}: {reden}", fout=True)
            return terug("/werkbak")
        if soort == "oppakken" and dialoog_uit_key(zaak) is not None:
            melden(request, f"U heeft {zaak} opgepakt; beantwoord hem in Prefect (Resume).")
            return terug("/werkbak")
        if soort == "oppakken":
            melden(request, f"U heeft {zaak} opgepakt.")
            return terug(f"/zaken/{zaak}")
        melden(
            request,
            f"{zaak}: {'vrijgegeven' if soort == 'vrijgeven' else 'herverdeeld aan ' + form.get('naar', '')}.",
        )
        return terug("/werkbak")

    return [
        Route("/werkbak", werkbak, methods=["GET"]),
        Route("/werkbak/{actie}", actie, methods=["POST"]),
    ]
