"""The obligations planner: what must happen, and by when, for one beschikking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import compliance
from models.aanvraag import Beschikking, Client
from models.beleid import Beleid, beleid_op
from models.dates import atw_einde, plus_maanden

SOORTEN = (
    "ontwikkeltraject_herinnering",
    "ontwikkeltraject_uiterlijk",
    "periodiek_contact",
    "herbeoordeling_start",
    "passende_overgang_start",
    "verlenging_uiterlijk",
    "passende_overgang_uiterlijk",
    "einde_beschikking",
    "bezwaartermijn_einde",
)
# The obligations the running system keeps with a timer row, and for whom: per client of a
# group, or once for the zaak (on the last end of its beschikkingen).
CLIENT_TIMERS = ("ontwikkeltraject_herinnering", "ontwikkeltraject_uiterlijk", "periodiek_contact")
ZAAK_TIMERS = (
    "herbeoordeling_start",
    "passende_overgang_start",
    "verlenging_uiterlijk",
    "passende_overgang_uiterlijk",
    "einde_beschikking",
)
# A reminder whose moment passed before the decision is not sent late; a deadline still is.
HERINNERINGEN = ("ontwikkeltraject_herinnering", "periodiek_contact")


@dataclass(frozen=True, slots=True)
class Verplichting:
    soort: str
    datum: dt.date
    toelichting: str
    client_id: str | None = None

    def public(self, peildatum: dt.date, beleidsversie: str) -> dict:
        out = {
            "soort": self.soort,
            "datum": self.datum.isoformat(),
            "toelichting": self.toelichting,
        }
        if self.client_id:
            out["client_id"] = self.client_id
        out["status"] = "verstreken" if self.datum < peildatum else "open"
        out["vuurt_op"] = vuurdatum(self).isoformat()  # when the running system acts on it
        out["beleidsversie"] = beleidsversie
        return out


@dataclass(frozen=True, slots=True)
class Timer:
    """A timer row as the running system schedules it: fires on `datum`."""

    soort: str
    datum: dt.date
    client_id: str | None = None


def vuurdatum(verplichting: Verplichting) -> dt.date:
    """The day the sweep acts on an obligation: the beschikking holds through its last day,
    so it ends on the day after `einde_beschikking`; every other one on its own date."""
    if verplichting.soort == "einde_beschikking":
        return verplichting.datum + dt.timedelta(days=1)
    return verplichting.datum


def timers(beschikkingen: list[Beschikking], beleid: Beleid, peildatum: dt.date) -> list[Timer]:
    """What a toekenning schedules: the plan of each client's beschikking for that client,
    and the zaak's own obligations from the plan of the whole group to its last end. The
    one source of the running system's timers (models/proces.py) and of `meerzorg plan`."""
    out: list[Timer] = []
    for b in beschikkingen:
        for v in plan(b, beleid, peildatum):
            if v.soort in CLIENT_TIMERS and not (v.soort in HERINNERINGEN and v.datum < peildatum):
                out.append(Timer(v.soort, vuurdatum(v), v.client_id))
    eind = max(b.eind for b in beschikkingen)
    vg7_plus = any(c.vg7_plus for c in beschikkingen[0].clienten)
    zaak = zaak_verplichtingen(beschikkingen[0].start, eind, vg7_plus, beleid)
    return out + [Timer(v.soort, vuurdatum(v)) for v in zaak]


def bezwaartermijn_einde(besluitdatum: dt.date, beleid: Beleid) -> dt.date:
    """Awb 6:7/6:8: six weeks from the day after the decision; the last day counts, and a
    last day in a weekend or on a feestdag moves to the next working day (Atw art. 1)."""
    return atw_einde(besluitdatum + dt.timedelta(weeks=beleid.termijnen.bezwaar_weken))


def beslistermijn_einde(
    ontvangen: dt.date, beleid: Beleid, opgeschort_dagen: int = 0, verlengd_dagen: int = 0
) -> dt.date:
    """Awb 4:13: the decision is due within eight weeks of receipt; Awb 4:15: the days the
    term was suspended while the provider completed the aanvraag are added; Awb 4:14: so are
    the days of its one extension with a notice."""
    dagen = max(0, opgeschort_dagen) + max(0, verlengd_dagen)
    return atw_einde(
        ontvangen + dt.timedelta(weeks=beleid.termijnen.beslistermijn_weken, days=dagen)
    )  # a last day in a weekend or on a feestdag moves to the next working day (Atw art. 1)


def beslistermijn_van(zaak, beleid: Beleid, extra_dagen: int = 0) -> dt.date:
    """The beslistermijn that applies to a zaak now (a Stand or a zaak row: its receipt, the
    days in herstel and its extension), `extra_dagen` of an extension being decided."""
    return beslistermijn_einde(
        zaak.ingediend_op, beleid, zaak.opgeschort_dagen, zaak.verlengd_dagen + extra_dagen
    )


def waarschuwing_op(termijn: dt.date, peildatum: dt.date, beleid: Beleid) -> dt.date:
    """Operations is warned this many days before the beslistermijn ends, never in the past."""
    return max(
        peildatum, termijn - dt.timedelta(days=beleid.termijnen.beslistermijn_waarschuwing_dagen)
    )


def ontwikkeltraject_uiterlijk(
    client: Client, meerzorg_sinds: dt.date, peildatum: dt.date, beleid: Beleid
) -> dt.date:
    """The last day of the current 3-year window, counting the trajecten completed by the
    peildatum (models.compliance.uiterlijk)."""
    trajecten = [o.model_dump() for o in client.ontwikkeltrajecten]
    return compliance.uiterlijk(trajecten, meerzorg_sinds, peildatum, beleid)


def plan(beschikking: Beschikking, beleid: Beleid, peildatum: dt.date) -> list[Verplichting]:
    """The obligations of a beschikking, date-sorted (client order breaks ties). The CCE
    deadline counts the trajecten completed by the peildatum (DOMAIN.md §10)."""
    if beschikking.uitkomst in ("afwijzen", "bijstellen"):
        if beschikking.besluitdatum is None:
            return []
        return [
            Verplichting(
                "bezwaartermijn_einde",
                bezwaartermijn_einde(beschikking.besluitdatum, beleid),
                f"Laatste dag voor bezwaar tegen het besluit ({beschikking.uitkomst}) van "
                f"{beschikking.besluitdatum} (Awb 6:7).",
            )
        ]
    clienten = [c for c in beschikking.clienten if beschikking.client_id in (None, c.client_id)]
    sinds = beschikking.meerzorg_sinds or beschikking.start
    out = [
        v
        for client in clienten
        for v in client_verplichtingen(
            client, beschikking.start, beschikking.eind, sinds, peildatum, beleid
        )
    ]
    out += zaak_verplichtingen(
        beschikking.start, beschikking.eind, any(c.vg7_plus for c in clienten), beleid
    )
    volgorde = {s: i for i, s in enumerate(SOORTEN)}
    out.sort(key=lambda v: (v.datum, volgorde[v.soort], v.client_id or ""))
    return out


def client_verplichtingen(
    client: Client,
    start: dt.date,
    eind: dt.date,
    sinds: dt.date,
    peildatum: dt.date,
    beleid: Beleid,
) -> list[Verplichting]:
    """Each client's own: the CCE ontwikkeltraject (R §10) and, at home, periodic contact."""
    t = beleid.termijnen
    out = []
    uiterlijk = ontwikkeltraject_uiterlijk(client, sinds, peildatum, beleid)
    binnen = (
        "" if uiterlijk <= eind else " (na het einde van deze beschikking; geldt bij verlenging)"
    )
    herinnering = plus_maanden(uiterlijk, -t.ontwikkeltraject_herinnering_maanden)
    if t.ontwikkeltraject_herinnering_maanden and herinnering > start:
        out.append(
            Verplichting(
                "ontwikkeltraject_herinnering",
                herinnering,
                "Herinner zorgaanbieder en CCE: ontwikkeltraject (twee bijeenkomsten) plannen.",
                client.client_id,
            )
        )
    out.append(
        Verplichting(
            "ontwikkeltraject_uiterlijk",
            uiterlijk,
            f"Uiterlijk afgerond CCE-ontwikkeltraject (twee bijeenkomsten, R §10){binnen}.",
            client.client_id,
        )
    )
    if client.leveringsvorm in ("mpt", "pgb"):
        n = 1
        while (contact := plus_maanden(start, n * t.periodiek_contact_maanden)) < eind:
            out.append(
                Verplichting(
                    "periodiek_contact",
                    contact,
                    "Periodiek contact met de client thuis: is de situatie verantwoord? (N 2025)",
                    client.client_id,
                )
            )
            n += 1
    return out


def zaak_verplichtingen(
    start: dt.date, eind: dt.date, vg7_plus: bool, beleid: Beleid
) -> list[Verplichting]:
    """The zaak's own, on the last end of its beschikkingen: herbeoordeling and verlenging
    (R §11), or for VG7-plus the passende overgang (R §9); the end itself."""
    t = beleid.termijnen
    herbeoordeling = max(start, plus_maanden(eind, -t.herbeoordeling_voor_einde_maanden))
    verlenging = max(herbeoordeling, plus_maanden(eind, -t.verlenging_uiterlijk_voor_einde_maanden))
    if vg7_plus:
        out = [
            Verplichting(
                "passende_overgang_start",
                herbeoordeling,
                "VG7-plus: in principe geen verlenging (R §9); start een passende overgang.",
            ),
            Verplichting(
                "passende_overgang_uiterlijk",
                verlenging,
                "VG7-plus: uiterlijk dan is de passende overgang afgesproken; anders escaleert "
                "het zorgkantoor (aanname: dezelfde termijn als een verlenging).",
            ),
        ]
    else:
        out = [
            Verplichting(
                "herbeoordeling_start",
                herbeoordeling,
                "Start herbeoordeling: evaluatie van de doelen (PDCA) en eventueel verlenging "
                "aanvragen; geen terugwerkende kracht (R §11).",
            ),
            Verplichting(
                "verlenging_uiterlijk",
                verlenging,
                "Uiterlijke datum voor de aanvraag tot verlenging; daarna eindigt de meerzorg.",
            ),
        ]
    out.append(Verplichting("einde_beschikking", eind, "Laatste dag van de beschikking."))
    return out


def plan_public(
    beschikking: Beschikking, peildatum: dt.date, beleid: Beleid | None = None
) -> list[dict]:
    """`meerzorg plan`: the policy in force on the besluitdatum (else the start) applies."""
    beleid = beleid or beleid_op(beschikking.besluitdatum or min(beschikking.start, peildatum))
    return [v.public(peildatum, beleid.versie) for v in plan(beschikking, beleid, peildatum)]
