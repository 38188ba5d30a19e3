"""The werkbak's and the dossier's pure rules (issue 27): which waits are a role's tasks
(the gateway's own rule, models/toegang.py), four eyes in the werkbak, the filter refused
with one line, the sort (deadline first), the holders laid over cached tasks, the form read
as the wait's model and a rule's message placed at its field."""

from __future__ import annotations

import datetime as dt

import pytest

from models.claim import Claim
from models.dossier_regels import Fout, formulier_invoer, mag_dossier_openen, veld_van_fout
from models.engine import OngeldigeInvoer
from models.overgang import ZaakStatus as S
from models.proces import ZAAK
from models.werkbak import filter_uit, gefilterd, is_taak_voor, met_houders, taken
from models.werkvoorraad import Rij

NU = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
DAG = dt.date(2026, 12, 7)


def rij(zaak: str, status: str, wacht_op: str, termijn: int | None, sinds: int = 3) -> Rij:
    datum = DAG + dt.timedelta(days=termijn) if termijn is not None else None
    return Rij(
        zaak=zaak,
        wacht_op=wacht_op,
        status=status,
        wacht_sinds=DAG - dt.timedelta(days=sinds),
        dagen_wachtend=sinds,
        termijn="beslistermijn" if datum else None,
        termijn_datum=datum,
        dagen_resterend=termijn,
        signaal="urgent" if termijn is not None and termijn <= 14 else "op-tijd",
        ontwikkeltraject_uiterlijk=None,
        cce_status=None,
        rollen=(),
        agb="1",
        leveringsvorm="verblijf",
        flow_run_id=None,
        laatste_fout=None,
    )


RIJEN = [
    rij("MZ-2026-000001", S.BEOORDELING, "beoordeling", 40, sinds=20),
    rij("MZ-2026-000002", S.TWEEDE_BEOORDELING, "tweede-beoordeling", 10),
    rij("MZ-2026-000003", S.HERSTEL, "aanvulling", 30),
    rij("MZ-2026-000004", S.BEZWAAR_HOREN, "hoorzitting", 5),
    rij("MZ-2026-000005", S.LOPEND, "einde-beschikking", 300),
]
KEYS = {r.zaak: f"{r.wacht_op}-1" for r in RIJEN}


def test_a_roles_tasks_are_the_waits_it_may_answer_of_the_zorgkantoor():
    assert is_taak_voor("beoordelaar", S.BEOORDELING)
    assert is_taak_voor("jurist", S.BEZWAAR_HOREN) and not is_taak_voor("jurist", S.BEOORDELING)
    # R §10: the CCE takes no part in the assessment; analysts and operations decide nothing.
    for rol in ("cce", "analist", "operations"):
        assert not any(is_taak_voor(rol, w.status) for w in ZAAK.wachten), rol
    # The provider's herstel and a running beschikking are nobody's task in the werkbak.
    assert not is_taak_voor("beoordelaar", S.HERSTEL)
    assert not is_taak_voor("teamleider", S.LOPEND)


def test_no_tweede_beoordeling_of_her_own_first_and_deadline_first():
    eerste = {"MZ-2026-000002": "bo-1"}
    voor_bo1 = taken(RIJEN, {}, KEYS, eerste, "bo-1", "beoordelaar", NU, 30)
    assert [t.zaak for t in voor_bo1] == ["MZ-2026-000001", "MZ-2026-000004"]
    voor_bo2 = taken(RIJEN, {}, KEYS, eerste, "bo-2", "beoordelaar", NU, 30)
    f = filter_uit({}, None)
    assert f["sorteer"] == "termijn"
    assert [t.zaak for t in gefilterd(voor_bo2, f, "bo-2")] == [
        "MZ-2026-000004",
        "MZ-2026-000002",
        "MZ-2026-000001",
    ]
    sinds = gefilterd(voor_bo2, {**f, "sorteer": "sinds"}, "bo-2")
    assert sinds[0].zaak == "MZ-2026-000001"  # waits the longest


def test_holders_are_laid_over_the_tasks_and_filtered_on():
    basis = taken(RIJEN, {}, KEYS, {}, "bo-2", "beoordelaar", NU, 30)
    claims = {
        "MZ-2026-000001": Claim("MZ-2026-000001", KEYS["MZ-2026-000001"], "bo-1", NU, NU),
        # A claim on an earlier wait holds nothing.
        "MZ-2026-000002": Claim("MZ-2026-000002", "beoordeling-1", "bo-1", NU, NU),
    }
    lijst = met_houders(basis, claims, KEYS, NU, 30)
    assert {t.zaak: t.houder for t in lijst}["MZ-2026-000001"] == "bo-1"
    assert {t.zaak: t.houder for t in lijst}["MZ-2026-000002"] is None
    f = filter_uit({"houder": "vrij"}, None)
    assert "MZ-2026-000001" not in [t.zaak for t in gefilterd(lijst, f, "bo-2")]
    f = filter_uit({"houder": "anderen", "signaal": "alle"}, None)
    assert [t.zaak for t in gefilterd(lijst, f, "bo-2")] == ["MZ-2026-000001"]


def test_a_saved_filter_is_used_and_a_value_not_offered_is_one_line():
    assert filter_uit({}, {"signaal": "urgent"})["signaal"] == "urgent"
    assert filter_uit({"signaal": "alle"}, {"signaal": "urgent"})["signaal"] == "alle"
    for query, woorden in (
        ({"sorteer": "x"}, "onbekende sortering"),
        ({"houder": "x"}, "opgepakt door"),
        ({"wacht_op": "<b>"}, "onbekende wacht"),
        ({"signaal": "rood"}, "onbekend signaal"),
    ):
        with pytest.raises(OngeldigeInvoer, match=woorden) as exc:
            filter_uit(query, None)
        assert "\n" not in str(exc.value)


def test_only_deciding_and_bezwaar_roles_open_a_dossier():
    for rol in ("beoordelaar", "teamleider", "jurist"):
        assert mag_dossier_openen(rol) is None
    for rol in ("cce", "analist", "operations"):
        assert "opent geen dossier" in mag_dossier_openen(rol)


def test_the_form_is_read_as_the_waits_model_and_signed_by_the_login():
    wacht = ZAAK.wacht(S.BEOORDELING)
    invoer = formulier_invoer(
        wacht,
        {"uitkomst": "toekennen", "zorg_en_context": "ja", "beoordelaar": "iemand", "csrf": "t"},
        "bo-1",
        DAG,
    )
    assert invoer["beoordelaar"] == "bo-1" and invoer["peildatum"] == DAG.isoformat()
    assert invoer["zorg_en_context"] is True and invoer["basis_op_orde"] is False
    fout = formulier_invoer(wacht, {"bedrag_per_jaar": "veel"}, "bo-1", DAG)
    assert fout == Fout("bedrag per jaar (euro): vul een bedrag in (cijfers, bijv. 12500,50)",
                        "bedrag_per_jaar")  # fmt: skip
    assert formulier_invoer(wacht, {"bedrag_per_jaar": "12500,50"}, "bo-1", DAG)[
        "bedrag_per_jaar"
    ] == pytest.approx(12500.5)
    assert formulier_invoer(wacht, {"uitkomst": "goedkeuren"}, "bo-1", DAG).veld == "uitkomst"
    assert formulier_invoer(wacht, {"zomaar": "x"}, "bo-1", DAG).melding.startswith(
        "onbekend veld 'zomaar'"
    )


def test_a_rules_message_is_placed_at_its_field():
    velden = ZAAK.wacht(S.BEOORDELING).formulier.model_fields
    cases = {
        "een VG7-plus-beschikking duurt ten hoogste 12 maanden (R §9); gekozen: 32 maanden": "eind",
        "meerzorg kent geen terugwerkende kracht: de start is op zijn vroegst 2026-12-01": "start",
        "motiveer het oordeel over de pijler doelmatigheid (R §10)": "doelmatigheid",
        "kies een uitkomst: toekennen, bijstellen of afwijzen": "uitkomst",
        "afwijzen vraagt een onderbouwing (Awb 3:47)": "onderbouwing",
        "toekennen kan niet: 'de basiszorg en de context vanuit het zorgprofiel zijn op orde' "
        "is niet met ja beantwoord (R §10 algemene toetsingscriteria)": "basis_op_orde",
        "vul in wanneer het perspectief wordt geëvalueerd (R §10–11)": "evalueren_op",
    }
    for melding, veld in cases.items():
        assert veld_van_fout(melding, velden) == veld, melding
    assert veld_van_fout("de tweede beoordeling moet door een ander (vier ogen)", velden) is None


# --- tasks that are no zaak wait (models/werkbak_overig.py) ------------------------------


def test_contact_tasks_are_for_zorgkantoor_staff_with_the_command_that_does_them():
    from models.werkbak_overig import contact_taken
    from models.werkvoorraad import OpenTermijn, WachtendeZaak, taak_rijen

    z = WachtendeZaak("MZ-2026-000007", S.AFGEWEZEN, "", DAG - dt.timedelta(days=90))
    rijen = taak_rijen(
        z, [OpenTermijn(z.key, "contact_client", DAG + dt.timedelta(days=2), "C1")], DAG
    )
    [t] = contact_taken(rijen, "beoordelaar")
    assert (t.soort, t.client_id, t.signaal, t.dagen_resterend) == ("contact", "C1", "urgent", 2)
    assert t.opdracht.startswith("meerzorg contact MZ-2026-000007 --client C1 --bevinding")
    assert t.houder is None and t.waar is None
    # N 2025 / R §10: the CCE never acts for the zorgkantoor towards a client.
    assert contact_taken(rijen, "cce") == [] and contact_taken(rijen, "operations") == []


def test_the_cce_gets_one_task_per_client_whose_ontwikkeltraject_is_at_risk():
    from models.werkbak_overig import cce_taken
    from models.werkvoorraad import CceStatus, WachtendeZaak

    cce = (
        CceStatus("C1", "risico", DAG + dt.timedelta(days=30)),
        CceStatus("C2", "ok", DAG + dt.timedelta(days=400)),
        CceStatus("C3", "overtreding", DAG - dt.timedelta(days=5)),
    )
    z = WachtendeZaak(
        "MZ-2026-000008", S.LOPEND, "einde-beschikking", DAG - dt.timedelta(days=700), cce=cce
    )
    lijst = cce_taken([z], "cce", DAG)
    assert [(t.client_id, t.signaal, t.termijn_datum) for t in lijst] == [
        ("C1", "op-tijd", DAG + dt.timedelta(days=30)),
        ("C3", "verlopen", DAG - dt.timedelta(days=5)),
    ]
    assert lijst[0].opdracht == (
        "meerzorg ontwikkeltraject MZ-2026-000008 --client C1 --bijeenkomst-1 DATUM"
    )
    assert cce_taken([z], "beoordelaar", DAG) == []  # the werkvoorraad's --rol cce only


def test_a_dialoogs_waits_are_for_the_roles_each_declares_and_link_to_the_runs_resume():
    from models.werkbak_overig import OpenDialoog, dialoog_taken

    plan = OpenDialoog(
        "dialoog-73730001-2026", "uitgenodigd", "meerzorgplan-te-laat", DAG - dt.timedelta(60),
        DAG - dt.timedelta(3), DAG + dt.timedelta(25), None, "run-1",
    )  # fmt: skip
    verslag = OpenDialoog(
        "dialoog-73730002-2026", "plan_ontvangen", "dialoog", DAG - dt.timedelta(60),
        DAG - dt.timedelta(30), DAG - dt.timedelta(2), DAG - dt.timedelta(20), "run-2",
        termijnen=(("verslag_herinnering", DAG + dt.timedelta(5)),),
    )  # fmt: skip
    url = lambda run: f"/runs/flow-run/{run}"  # noqa: E731
    for rol in ("beoordelaar", "teamleider", "cce"):  # models/dialoog_proces.DIALOOG_ROLLEN
        lijst = dialoog_taken([plan, verslag], rol, DAG, url)
        assert [(t.wacht_op, t.termijn, t.signaal) for t in lijst] == [
            ("meerzorgplan", "meerzorgplan_uiterlijk", "verlopen"),
            ("dialoog", "verslag_uiterlijk", "urgent"),
        ]
        assert lijst[0].uitleg == "Dialoog: meerzorgplan te laat"
        assert [t.waar for t in lijst] == ["/runs/flow-run/run-1", "/runs/flow-run/run-2"]
        assert lijst[1].wacht_sinds == DAG - dt.timedelta(20)  # since the plan came in
    for rol in ("jurist", "analist", "operations"):
        assert dialoog_taken([plan, verslag], rol, DAG, url) == [], rol


def test_a_dialoogs_deadline_is_its_waits_own_term_whichever_timers_are_open():
    """The meerzorgplan's wait is bounded by its due date, not by the reminder before it or
    the escalation after it; the verslag's by its reminder, the dialoog's day once that fired."""
    from models.werkbak_overig import OpenDialoog, dialoog_taken

    plan = OpenDialoog(
        "dialoog-73730001-2026", "uitgenodigd", "meerzorgplan", DAG - dt.timedelta(30),
        DAG + dt.timedelta(20), DAG + dt.timedelta(48), None, "run-1",
        termijnen=(("escalatie_meerzorgplan", DAG + dt.timedelta(27)),
                   ("herinnering_meerzorgplan", DAG + dt.timedelta(6))),
    )  # fmt: skip
    verslag = OpenDialoog(
        "dialoog-73730002-2026", "plan_ontvangen", "dialoog", DAG - dt.timedelta(60),
        DAG - dt.timedelta(30), DAG - dt.timedelta(20), DAG - dt.timedelta(35), "run-2",
    )  # fmt: skip
    lijst = dialoog_taken([plan, verslag], "beoordelaar", DAG)
    assert [(t.termijn, t.termijn_datum, t.wacht_sinds) for t in lijst] == [
        ("meerzorgplan_uiterlijk", DAG + dt.timedelta(20), DAG - dt.timedelta(30)),
        ("dialoog_datum", DAG - dt.timedelta(20), DAG - dt.timedelta(35)),
    ]


def met_bevestiging(monkeypatch):
    """Issue 24's exercise as a declaration: DIALOOG with a third wait after the verslag (the
    provider confirms the afspraken), bounded by its own timer, for the beoordelaar and the
    CCE; installed where the werkbak and the gateway's rule read the kind, for this test."""
    import dataclasses
    from enum import StrEnum

    import models.engine
    import models.werkbak_overig as overig
    from models import soorten
    from models.dialoog_formulieren import DialoogVerslag
    from models.dialoog_proces import DIALOOG
    from models.engine import TermijnRegel, Wacht

    class Status(StrEnum):
        GEPLAND = "gepland"
        UITGENODIGD = "uitgenodigd"
        PLAN_ONTVANGEN = "plan_ontvangen"
        BEVESTIGING = "bevestiging"
        AFGEROND = "afgerond"
        VERVALLEN = "vervallen"

    bevestiging = Wacht(
        Status.BEVESTIGING,
        "afspraken-bevestiging",
        "Wacht op de bevestiging van de afspraken door de zorgaanbieder.",
        ("bevestiging_herinnering",),
        DialoogVerslag,
        "verslaglegger",
        lambda *_: None,
        rollen=("beoordelaar", "cce"),
        rol="aanbieder",
        termijnregels={
            "bevestiging_herinnering": TermijnRegel(frozenset({Status.BEVESTIGING}), None)
        },
    )
    # Declaring a kind registers its open statuses: the test's stays in the test.
    monkeypatch.setattr(models.engine, "OPEN_STATUSSEN", set(models.engine.OPEN_STATUSSEN))
    soort = dataclasses.replace(DIALOOG, statussen=Status, wachten=(*DIALOOG.wachten, bevestiging))
    monkeypatch.setattr(overig, "DIALOOG", soort)
    monkeypatch.setitem(soorten.SOORTEN, "dialoog", soort)  # the gateway's rule reads it
    return soort


def test_a_new_dialoog_wait_is_measured_by_its_own_timer_and_its_own_date(monkeypatch):
    """Issue 24's exercise: a wait after the verslag is declared, and the werkbak follows the
    declaration: its roles, its own timer as the deadline, the day the dialoog was held as
    its "since"; not the invitation's day, not the past dialoog date."""
    from models.werkbak_overig import OpenDialoog, dialoog_taken, soorten_voor

    met_bevestiging(monkeypatch)

    def dialoog(*termijnen):
        return OpenDialoog(
            "dialoog-73730003-2026", "bevestiging", "afspraken-bevestiging",
            DAG - dt.timedelta(125), DAG - dt.timedelta(68), DAG - dt.timedelta(40),
            DAG - dt.timedelta(75), "run-3", termijnen=termijnen,
            gehouden_op=DAG - dt.timedelta(3),
        )  # fmt: skip

    # A timer of another wait (the verslag's) bounds nothing here.
    d = dialoog(
        ("bevestiging_herinnering", DAG + dt.timedelta(11)),
        ("verslag_herinnering", DAG - dt.timedelta(26)),
    )
    [t] = dialoog_taken([d], "cce", DAG)
    assert (t.wacht_op, t.uitleg) == ("afspraken-bevestiging", "Afspraken bevestiging")
    assert (t.termijn, t.termijn_datum, t.dagen_resterend, t.signaal) == (
        "bevestiging_herinnering",
        DAG + dt.timedelta(11),
        11,
        "urgent",
    )
    assert (t.wacht_sinds, t.dagen_wachtend) == (DAG - dt.timedelta(3), 3)
    # Its timer fired: no deadline of its own left, and none borrowed from another wait.
    [t] = dialoog_taken([dialoog()], "beoordelaar", DAG)
    assert (t.termijn, t.termijn_datum, t.signaal) == (None, None, "geen-termijn")
    # Its declared roles: a teamleider is not among them this time.
    assert dialoog_taken([d], "teamleider", DAG) == []
    assert soorten_voor("cce")[-1] == "afspraken-bevestiging"
    assert "afspraken-bevestiging" not in soorten_voor("teamleider")


def test_a_claim_holds_a_wait_a_zaaks_or_a_dialoogs_not_a_contact_task():
    from models.claim import reden_herverdelen
    from models.werkbak import Taak, opent_werkbak
    from models.werkbak_overig import dialoog_uit_key, soorten_voor

    wacht = taken(RIJEN[:1], {}, KEYS, {}, "bo-2", "beoordelaar", NU, 30)
    contact = Taak(
        "MZ-2026-000001", S.BEOORDELING, "contact-client", "Contact", DAG, 0, "contact_client",
        DAG, 0, "urgent", None, soort="contact", client_id="C1",
    )  # fmt: skip
    dialoog = Taak(
        "dialoog-73730001-2026", "plan_ontvangen", "dialoog", "Dialoog", DAG, 0, None, None,
        None, "geen-termijn", None, soort="dialoog",
    )  # fmt: skip
    claims = {
        "MZ-2026-000001": Claim("MZ-2026-000001", KEYS["MZ-2026-000001"], "bo-1", NU, NU),
        dialoog.zaak: Claim(dialoog.zaak, "dialoog-1", "tl-1", NU, NU),
    }
    keys = {**KEYS, dialoog.zaak: "dialoog-1"}
    lijst = met_houders([*wacht, contact, dialoog], claims, keys, NU, 30)
    assert [(t.soort, t.houder) for t in lijst] == [
        ("wacht", "bo-1"),
        ("contact", None),  # a contact is no wait: the zaak's claim is not on it
        ("dialoog", "tl-1"),  # a dialoog's wait is claimed by its key
    ]
    # A teamleider gives a dialoog's wait to a role its declaration names, not a jurist.
    assert (
        reden_herverdelen("teamleider", "cce-1", "cce", "plan_ontvangen", "d-1", "dialoog") is None
    )
    assert "mag de meerzorgdialoog niet" in reden_herverdelen(
        "teamleider", "ju-1", "jurist", "plan_ontvangen", "d-1", "dialoog"
    )
    assert dialoog_uit_key("dialoog-73730001-2026") == ("73730001", 2026)
    assert dialoog_uit_key("MZ-2026-000001") is None and dialoog_uit_key("dialoog-x") is None
    for soort in ("contact-client", "ontwikkeltraject", "meerzorgplan", "dialoog"):
        assert filter_uit({"wacht_op": soort}, None)["wacht_op"] == soort
    assert soorten_voor("cce") == ["ontwikkeltraject", "meerzorgplan", "dialoog"]
    assert soorten_voor("jurist") == ["contact-client"]
    assert soorten_voor("operations") == []
    # Issue 27 point 5: the login opens the werkbak for the roles with tasks in it.
    assert [r for r in ("beoordelaar", "teamleider", "jurist", "cce") if opent_werkbak(r)] == [
        "beoordelaar",
        "teamleider",
        "jurist",
        "cce",
    ]
    assert not opent_werkbak("analist") and not opent_werkbak("operations")
