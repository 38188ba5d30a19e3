"""The dossier's HTML (issue 27): the zaak's data (deployments/dossier_data.py) as sections a
person reads top to bottom, and the decision form built from the wait's own form model
(models/formulieren.Beoordeling: every field, its Dutch title and help, choices as radio
buttons, yes/no as a checkbox), with the rule's reason next to its field."""

from __future__ import annotations

import datetime as dt
import typing

import pendulum

from deployments.werkbak import actie_knop
from deployments.werkbak_pagina import csrf_veld, e, melding_uit
from models.dates import TZ
from models.dossier_regels import Fout
from models.zaakinhoud import CHECK_VOORAF_LABELS, VRAGENLIJST_LABELS

LANG = ("motivering", "onderbouwing", "verwachting")


def _d(v) -> str:
    if isinstance(v, str):
        try:
            v = dt.date.fromisoformat(v[:10])
        except ValueError:
            return e(v)
    return f"{v:%d-%m-%Y}" if isinstance(v, dt.date) else ("—" if v is None else e(str(v)))


def _euro(v) -> str:
    if v is None:
        return "—"
    return "€ " + f"{float(v):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _dl(paren: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in paren) + "</dl>"


def _tabel(koppen: list[str], rijen: list[list[str]], leeg: str) -> str:
    if not rijen:
        return f"<p>{e(leeg)}</p>"
    kop = "".join(f'<th scope="col">{e(k)}</th>' for k in koppen)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rijen)
    return f"<table><thead><tr>{kop}</tr></thead><tbody>{body}</tbody></table>"


def _ja(v) -> str:
    return "ja" if v else "nee"


# --- the decision form ---------------------------------------------------------------------


def _veld(naam: str, info, waarde, fout: Fout | None) -> str:
    titel = e(info.title or naam.replace("_", " "))
    hulp = (
        f'<span class="hint" id="hulp-{naam}">{e(info.description)}</span>'
        if info.description
        else ""
    )
    fout_hier = fout is not None and fout.veld == naam
    beschreven = " ".join(
        x
        for x in (f"hulp-{naam}" if info.description else "", f"fout-{naam}" if fout_hier else "")
        if x
    )
    aria = (f' aria-describedby="{beschreven}"' if beschreven else "") + (
        ' aria-invalid="true"' if fout_hier else ""
    )
    melding = (
        f'<span class="veldfout" id="fout-{naam}" role="alert">{e(fout.melding)}</span>'
        if fout_hier
        else ""
    )
    if typing.get_origin(info.annotation) is typing.Literal:
        keuzes = [k for k in typing.get_args(info.annotation) if k != "kies"]
        knoppen = "".join(
            f'<label><input type="radio" name="{naam}" value="{e(k)}"'
            f"{' checked' if waarde == k else ''}{aria}> {e(k)}</label> "
            for k in keuzes
        )
        return f"<fieldset><legend>{titel}</legend>{hulp}{melding}{knoppen}</fieldset>"
    if info.annotation is bool:
        aan = " checked" if waarde in (True, "ja") else ""
        return (
            f'<div><input type="checkbox" id="v-{naam}" name="{naam}" value="ja"{aan}{aria}> '
            f'<label for="v-{naam}">{titel}</label>{hulp}{melding}</div>'
        )
    tekst = "" if waarde in (None, 0, 0.0) else str(waarde)
    label = f'<label for="v-{naam}">{titel}</label>{hulp}{melding}'
    if any(w in naam for w in LANG):
        return (
            f'<div>{label}<textarea id="v-{naam}" name="{naam}"{aria}>{e(tekst)}</textarea></div>'
        )
    soort = "date" if "JJJJ-MM-DD" in (info.description or "") else "text"
    extra = {float: ' inputmode="decimal"', int: ' inputmode="numeric"'}.get(info.annotation, "")
    return f'<div>{label}<br><input type="{soort}" id="v-{naam}" name="{naam}" value="{e(tekst)}"{extra}{aria}></div>'


def _eerste_beoordeling(vb: dict | None) -> str:
    if not vb:
        return ""
    pijlers = vb.get("pijlers") or {}
    rijen = [
        [e(p.replace("_", " ")), e(v.get("oordeel", "")), e(v.get("motivering", ""))]
        for p, v in pijlers.items()
    ]
    return (
        '<section aria-labelledby="h-eerste"><h3 id="h-eerste">Eerste beoordeling (vier ogen)</h3>'
        + _dl(
            [
                ("Door", e(str(vb.get("beoordelaar", "")))),
                ("Uitkomst", e(str(vb.get("uitkomst", "")))),
                ("Termijn", f"{_d(vb.get('start'))} t/m {_d(vb.get('eind'))}"),
                ("Bedrag per jaar", _euro(vb.get("bedrag_per_jaar"))),
                ("Onderbouwing", e(str(vb.get("onderbouwing") or "—"))),
            ]
        )
        + _tabel(["Pijler", "Oordeel", "Motivering"], rijen, "Geen pijlers vastgelegd.")
        + "<p>Bevestig met <strong>toekennen</strong>, of wijk af met bijstellen of afwijzen en een onderbouwing.</p></section>"
    )


def beslisformulier(request, data: dict, ident, fout: Fout | None, invoer: dict | None) -> str:
    wacht = data["wacht"]
    if data["houder"] != ident.id:
        wie = data["houder"]
        reden = (
            f"Al opgepakt door {e(wie)}: alleen {e(wie)} dient in."
            if wie
            else "Pak de taak eerst op om te beslissen."
        )
        knop = "" if wie else actie_knop(request, "oppakken", data["key"], "Oppakken")
        if fout is not None:
            reden = (
                f'<span class="fout" role="alert">Niet ingediend: {e(fout.melding)}</span> {reden}'
            )
        return f'<section aria-labelledby="h-beslis"><h2 id="h-beslis">Beslissen</h2>{_eerste_beoordeling(data["voorlopig_besluit"])}<p>{reden}</p>{knop}</section>'
    model = wacht.formulier
    invoer = invoer or {}
    velden = "".join(
        _veld(n, info, invoer.get(n), fout)
        for n, info in model.model_fields.items()
        if n not in (wacht.identiteit, "peildatum")
    )
    boven = ""
    if fout is not None and fout.veld is None:
        boven = f'<p class="fout" role="alert">{e(fout.melding)}</p>'
    elif fout is not None:
        boven = f'<p class="fout" role="alert">Niet ingediend: zie <a href="#v-{e(fout.veld)}">de melding bij het veld</a>.</p>'
    return (
        '<section aria-labelledby="h-beslis"><h2 id="h-beslis">Beslissen</h2>'
        + _eerste_beoordeling(data["voorlopig_besluit"])
        + f"<p>{e(wacht.uitleg.replace('**', ''))}</p>{boven}"
        + f'<form method="post" action="/zaken/{e(data["key"])}/beslissen" novalidate>{csrf_veld(request)}'
        + velden
        + f"<p>Besluitdatum: vandaag ({data['peildatum']:%d-%m-%Y}); u ondertekent als {e(ident.id)}.</p>"
        + '<button type="submit">Beslissing indienen</button></form></section>'
    )


# --- the zaak ------------------------------------------------------------------------------


def _aanvraag(data: dict) -> str:
    a, inhoud = data["aanvraag"], data["feiten"]["aanvraag_inhoud"]
    clienten = [
        [e(c.get("client_id", "")), e(c.get("zorgprofiel", "")), e(c.get("leveringsvorm", "")),
         _ja(c.get("vg7_plus")), _d(c.get("indicatie_einddatum"))]
        for c in a.get("clienten") or []
    ]  # fmt: skip
    vragen = "".join(
        f'<h4>{e(label)}</h4><p class="tekst">{e(inhoud["vragenlijst"].get(k) or "—")}</p>'
        for k, label in VRAGENLIJST_LABELS.items()
    )
    doelen = "".join(f"<li>{e(d)}</li>" for d in inhoud["doelen"]) or "<li>geen</li>"
    check = [[e(CHECK_VOORAF_LABELS[k]), _ja(v)] for k, v in inhoud["check_vooraf"].items()]
    uren = inhoud["uren"]
    per_cat = [[e(k), f"{v:g}"] for k, v in uren["per_week"].items()]
    per_cat.append(["<strong>totaal</strong>", f"<strong>{uren['totaal_per_week']:g}</strong>"])
    beh = [[e(k), f"{v:g}"] for k, v in inhoud["behandelaar_uren"]["per_week"].items()]
    return (
        '<section aria-labelledby="h-aanvraag"><h2 id="h-aanvraag">Aanvraag</h2><div class="kolommen"><div>'
        + _dl(
            [
                ("Soort", e(data["soort"])),
                ("Vorm", e(data["vorm"])),
                ("Leveringsvorm", e(data["leveringsvorm"])),
                ("Zorgaanbieder (AGB)", e(data["agb"] or "geen (pgb)")),
                ("Ingediend op", _d(data["ingediend_op"])),
                ("Gevraagde termijn", f"{_d(a.get('gevraagde_start'))} t/m {_d(a.get('gevraagde_eind'))}"),
            ]
        )
        + "<h3>Cliënten</h3>"
        + _tabel(["Client-id", "Zorgprofiel", "Leveringsvorm", "VG7-plus", "Indicatie tot"], clienten, "Geen.")
        + "<h3>Vragenlijst</h3>" + vragen
        + f"<h3>Doelen</h3><ul>{doelen}</ul></div><div>"
        + "<h3>Check vooraf</h3>" + _tabel(["Vraag", "Antwoord"], check, "Niet ingevuld.")
        + "<h3>Rekentool: zorguren per week</h3>"
        + _tabel(["Categorie", "Uren"], per_cat, "Geen uren.")
        + f"<p>Norm van het zorgprofiel: {uren['norm_per_week'] if uren['norm_per_week'] is not None else '—'} uur per week; "
        + f"boven de norm: {uren['boven_norm_per_week'] if uren['boven_norm_per_week'] is not None else '—'} uur.</p>"
        + "<h3>Behandelaar-uren per week</h3>" + _tabel(["Behandelaar", "Uren"], beh, "Geen.")
        + f"<p>Context-gebonden middelen: {_euro(inhoud['context_middelen'])} per jaar.</p>"
        + "</div></div></section>"
    )  # fmt: skip


def _toets(data: dict) -> str:
    t, f = data["toets"], data["feiten"]
    bevindingen = [
        [e(b.get("code", "")), e(b.get("ernst", "")), e(b.get("toelichting", ""))]
        for b in t.get("bevindingen") or []
    ]
    termijn = t.get("termijn") or {}
    spiegel = f.get("spiegel") or {}
    return (
        '<section aria-labelledby="h-toets"><h2 id="h-toets">Toets en advies</h2>'
        + _dl(
            [
                (
                    "Advies",
                    f"<strong>{e(str(f.get('advies') or '—'))}</strong> {e(f.get('advies_toelichting') or '')}",
                ),
                (
                    "Termijn uit de toets",
                    f"{_d(termijn.get('start'))} t/m {_d(termijn.get('eind'))}",
                ),
                ("Bedrag per jaar (rekentool)", _euro(t.get("bedrag_per_jaar"))),
                ("Spiegel: vergelijkbare beschikkingen", e(str(spiegel.get("aantal", "—")))),
            ]
        )
        + _tabel(["Bevinding", "Ernst", "Toelichting"], bevindingen, "Geen bevindingen.")
        + "</section>"
    )


def _partijen(data: dict) -> str:
    rijen = []
    for c in data["aanvraag"].get("clienten") or []:
        corr = c.get("correspondentie") or {}
        vert = c.get("vertegenwoordiger") or {}
        vcorr = vert.get("correspondentie") or {}
        rijen.append(
            [
                e(c.get("client_id", "")),
                e(corr.get("naam") or "—")
                + (
                    f" ({e(corr.get('kanaal') == 'post' and 'post' or 'digitaal')})" if corr else ""
                ),
                e(f"{vert.get('rol')}: {vcorr.get('naam', '')}") if vert else "—",
                e(str(c.get("budgethouder") or "—")),
            ]
        )
    return (
        '<section aria-labelledby="h-partijen"><h2 id="h-partijen">Partijen</h2>'
        + _tabel(
            ["Client-id", "Correspondentie", "Vertegenwoordiger", "Budgethouder"],
            rijen,
            "Geen partijen vastgelegd.",
        )
        + "</section>"
    )


def _besluiten(data: dict) -> str:
    rijen = []
    for b in data["besluiten"]:
        links = " ".join(
            f'<a href="/zaken/{e(data["key"])}/brieven/{br["id"]}">brief aan {e(", ".join(br["rollen"]))}'
            f"{' ' + e(br['client_id']) if br['client_id'] else ''} (PDF)</a>"
            for br in b["brieven"]
        )
        rijen.append(
            [_d(b["datum"]), e(b["uitkomst"]), e(b.get("soort") or ""), e(b["beoordelaar"]),
             e(b.get("tweede_beoordelaar") or "—"), f"{_d(b['start'])} t/m {_d(b['eind'])}",
             _euro(b["bedrag_per_jaar"]), links or "—"]
        )  # fmt: skip
    koppen = [
        "Datum",
        "Uitkomst",
        "Soort",
        "Beoordelaar",
        "Tweede",
        "Termijn",
        "Bedrag/jaar",
        "Documenten",
    ]
    return (
        '<section aria-labelledby="h-besluiten"><h2 id="h-besluiten">Besluiten</h2>'
        + _tabel(koppen, rijen, "Nog geen besluit.")
        + "</section>"
    )


def _termijnen_en_bezwaar(data: dict) -> str:
    termijnen = [
        [e(d["soort"].replace("_", " ")), _d(d["datum"]), e(d.get("client_id") or "—")]
        for d in data["deadlines"]
    ]
    bezwaren = [
        [
            _d(b["ontvangen"]),
            e(b["indiener"]),
            _ja(b["tijdig"]),
            _d(b["uiterlijk"]),
            e(b.get("uitkomst") or "loopt"),
            e(b.get("gronden") or ""),
        ]
        for b in data["bezwaren"]
    ]
    return (
        '<section aria-labelledby="h-termijnen"><h2 id="h-termijnen">Open termijnen</h2>'
        + _tabel(["Termijn", "Datum", "Client"], termijnen, "Geen open termijnen.")
        + '</section><section aria-labelledby="h-bezwaar"><h2 id="h-bezwaar">Bezwaar</h2>'
        + _tabel(
            ["Ontvangen", "Indiener", "Tijdig", "Beslissen uiterlijk", "Uitkomst", "Gronden"],
            bezwaren,
            "Geen bezwaar.",
        )
        + "</section>"
    )


def _audit(data: dict) -> str:
    rijen = [
        [e(pendulum.instance(a["tijd"] if a["tijd"].tzinfo else a["tijd"].replace(tzinfo=dt.UTC)).in_timezone(TZ).format("DD-MM-YYYY HH:mm:ss")),
         e(a["actor"]), e(a["actie"]), e(a.get("client_id") or "—"), e(str(a["details"].get("via") or ""))]
        for a in reversed(data["audit"])
    ]  # fmt: skip
    return (
        '<section aria-labelledby="h-audit"><h2 id="h-audit">Audittrail (NEN 7513)</h2>'
        + _tabel(["Tijd", "Wie", "Handeling", "Client", "Via"], rijen, "Geen gebeurtenissen.")
        + "</section>"
    )


def dossier_pagina(request, data: dict, ident, fout: Fout | None, invoer: dict | None) -> str:
    wacht = data["wacht"]
    houder = data["houder"]
    if data["wacht_op"] and wacht is not None and wacht.rol != "aanbieder":
        if houder is None:
            knop = actie_knop(request, "oppakken", data["key"], "Oppakken")
        elif houder == ident.id or ident.rol == "teamleider":
            knop = actie_knop(request, "vrijgeven", data["key"], "Vrijgeven")
        else:
            knop = ""
    else:
        knop = ""
    kop = _dl(
        [
            ("Status", e(data["status"].replace("_", " "))),
            ("Wacht op", e(data["wacht_op"] or "niets (afgesloten of bezig)")),
            ("Sinds", _d(data["wacht_sinds"])),
            ("Opgepakt door", ("u" if houder == ident.id else e(houder or "niemand")) + " " + knop),
        ]
    )
    fout_run = (
        f'<p class="fout">Laatste invoer niet verwerkt: {e(data["laatste_fout"])}</p>'
        if data["laatste_fout"]
        else ""
    )
    beslis = beslisformulier(request, data, ident, fout, invoer) if data["mag_beslissen"] else ""
    if not beslis and data["wacht_op"] and data["flow_run_id"]:
        # Other waits (bezwaar steps, passende overgang) are answered in Prefect's Resume form.
        beslis = (
            '<section aria-labelledby="h-beslis"><h2 id="h-beslis">Beantwoorden</h2>'
            f'<p><a href="/runs/flow-run/{e(data["flow_run_id"])}">Open de run in het '
            "Prefect-dashboard</a> en kies Resume; de werkbak-claim geldt daar ook.</p></section>"
        )
    return (
        f"<h1>Dossier {e(data['key'])}</h1>{melding_uit(request)}{kop}{fout_run}"
        + ('<p><a href="#h-beslis">Naar het beslisformulier</a></p>' if beslis else "")
        + _aanvraag(data) + _toets(data) + beslis + _partijen(data) + _besluiten(data)
        + _termijnen_en_bezwaar(data) + _audit(data)
    )  # fmt: skip
