"""The werkbak and the dossier (issue 27) through the gateway's Starlette app, on a real
database with a real zaak (registered and toetst by the same code as the run), and a
stand-in for Prefect that records what reached it. The attacker's paths: deciding without a
claim, with another's claim, as a wrong role, on an unknown or forged key, without or with a
foreign CSRF token, with a form the rules refuse: each a one-line Dutch refusal, and no
Resume reaches Prefect. A valid decision reaches it once, signed by the login."""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from models.dates import termijn_einde, vandaag
from models.db.store import migrate, registreer_aanbieder, session_scope
from models.db.tables import AuditEvent, Zaak
from tests.factories import AGB, TOEKENNEN_VOLLEDIG, aanvraag_dict

RUN = "11111111-2222-3333-4444-555555555555"
DIALOOG_RUN = "66666666-2222-3333-4444-555555555555"
WACHTWOORD = "lang-genoeg-wachtwoord"
TEKST = "Mevrouw slaapt slecht sinds de verhuizing; begeleiding in de nacht nodig."


class NepPrefect:
    """Answers as a run suspended on the zaak's wait would, and records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.pause_key = "beoordeling-1"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path.endswith("-schema"):
            return httpx.Response(200, text=json.dumps({"title": "Beoordeling"}))
        if path.startswith("/api/flow_runs/") and request.method == "GET":
            keyset = {k: f"suspended-{self.pause_key}-{k}" for k in ("schema", "response")}
            state = {
                "type": "PAUSED",
                "state_details": {"pause_key": self.pause_key, "run_input_keyset": keyset},
            }
            return httpx.Response(200, json={"id": RUN, "state": state})
        return httpx.Response(200, json={"status": "ACCEPT"})

    def resumes(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests if r.url.path.endswith("/resume")]


@pytest.fixture
def werkbak(db_url, monkeypatch, tmp_path):
    from argon2 import PasswordHasher

    from deployments.cli_beheer import medewerker_registreer
    from deployments.gateway import create_app
    from models.aanvraag import parse_aanvraag
    from tasks.zaak import registreer, voer_actie_uit

    monkeypatch.setattr(
        "deployments.gateway_auth._HASHER", PasswordHasher(time_cost=1, memory_cost=1024)
    )
    monkeypatch.setattr("deployments.dossier.WACHT_SECONDEN", 0.3)
    monkeypatch.setenv("MEERZORG_DATABASE_URL", db_url)
    monkeypatch.setenv("MEERZORG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEERZORG_SERVICE_TOKEN", "dienst-token-voor-de-test")
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "meerzorg-service:dienst-token-voor-de-test")
    monkeypatch.setattr("deployments.aanmelding._ingelogd", {})
    monkeypatch.setenv("MEERZORG_MEDEWERKER", "beheerder")
    migrate(db_url)
    for wie, rol in (
        ("bo-1", "beoordelaar"),
        ("bo-2", "beoordelaar"),
        ("tl-1", "teamleider"),
        ("cce-1", "cce"),
        ("an-1", "analist"),
    ):
        medewerker_registreer(wie, rol, WACHTWOORD)
    with session_scope() as session:
        registreer_aanbieder(session=session, agb=AGB, naam="Stichting Testzorg", notify=[])
    start = vandaag() + dt.timedelta(days=10)
    data = aanvraag_dict(gevraagde_start=start, maanden=12, client={"vg7_plus": True})
    data["vragenlijst"]["huidige_situatie"] = TEKST
    key, _ = registreer(parse_aanvraag(data), vandaag(), flow_run_id=RUN)
    assert voer_actie_uit(key, vandaag())
    prefect = NepPrefect()
    with session_scope() as session:
        z = session.get(Zaak, key)
        assert z.status == "beoordeling", z.laatste_fout
        prefect.pause_key = z.wacht_key
    app = create_app("http://prefect.intern", "intern-geheim", httpx.MockTransport(prefect))
    return app, prefect, key, start


def client_van(app, wie: str | None) -> TestClient:
    c = TestClient(app, follow_redirects=False)
    if wie:
        r = c.post("/login", data={"id": wie, "wachtwoord": WACHTWOORD, "next": "/werkbak"})
        assert r.status_code == 303
    return c


def csrf(c: TestClient, pad: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', c.get(pad).text)
    assert m, f"no CSRF token on {pad}"
    return m.group(1)


def pak(c: TestClient, key: str) -> httpx.Response:
    return c.post("/werkbak/oppakken", data={"zaak": key, "csrf": csrf(c, "/werkbak")})


def beslis(c: TestClient, key: str, token: str | None = None, **velden) -> httpx.Response:
    form = {k: ("ja" if v is True else v) for k, v in {**TOEKENNEN_VOLLEDIG, **velden}.items() if v}
    form["evalueren_op"] = velden.get(
        "evalueren_op", (vandaag() + dt.timedelta(days=60)).isoformat()
    )
    if token is not False:
        form["csrf"] = token or csrf(c, f"/zaken/{key}")
    return c.post(f"/zaken/{key}/beslissen", data=form)


def acties(key: str) -> list[tuple[str, str]]:
    with session_scope() as session:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.zaak == key).order_by(AuditEvent.id)
        ).all()
        return [(a.actor, a.actie) for a in rows]


def test_the_werkbak_shows_the_roles_tasks_and_a_claim_is_one_persons(werkbak):
    app, prefect, key, _ = werkbak
    assert client_van(app, None).get("/werkbak").headers["location"] == "/login?next=/werkbak"
    bo1, bo2 = client_van(app, "bo-1"), client_van(app, "bo-2")
    pagina = bo1.get("/werkbak")
    assert pagina.status_code == 200 and key in pagina.text and "beslistermijn" in pagina.text
    # The CCE takes no part in the assessment (R §10): its werkbak has no beoordeling.
    assert key not in client_van(app, "cce-1").get("/werkbak").text
    # Both see the task free; bo-1 is first, bo-2's click comes a moment later.
    token2 = csrf(bo2, "/werkbak")
    r = pak(bo1, key)
    assert r.status_code == 303 and r.headers["location"] == f"/zaken/{key}"
    r = bo2.post("/werkbak/oppakken", data={"zaak": key, "csrf": token2})
    assert r.headers["location"] == "/werkbak"
    assert f"{key}: al opgepakt door bo-1" in bo2.get("/werkbak").text
    assert acties(key).count(("bo-1", "taak_opgepakt")) == 1
    assert ("bo-2", "taak_opgepakt") not in acties(key)
    # A filter is saved per login; a value not offered is one line, nothing saved.
    assert key not in bo2.get("/werkbak?houder=vrij").text
    assert key not in bo2.get("/werkbak").text  # opens as she left it
    r = bo2.get("/werkbak?sorteer=<script>")
    assert r.status_code == 400 and "onbekende sortering" in r.text and "<script>" not in r.text
    assert prefect.requests == []  # nothing of the werkbak reaches Prefect


def test_deciding_is_refused_on_every_attackers_path_before_prefect(werkbak):
    app, prefect, key, start = werkbak
    bo1, bo2 = client_van(app, "bo-1"), client_van(app, "bo-2")
    token2 = csrf(bo2, "/werkbak")  # her session's token, from the werkbak's Oppakken
    # No claim yet: nobody submits.
    r = beslis(bo1, key)
    assert r.status_code == 409 and "pak de taak eerst op" in r.text
    assert pak(bo1, key).status_code == 303
    # Someone else's claim.
    r = beslis(bo2, key, token=token2)
    assert r.status_code == 409 and "al opgepakt door bo-1" in r.text
    # Missing and foreign CSRF tokens (the one of another session).
    assert beslis(bo1, key, token=False).status_code == 403
    r = beslis(bo1, key, token=token2)
    assert r.status_code == 403 and "komt niet van deze site" in r.text
    # Wrong roles: the CCE and the analist open no dossier and decide nothing.
    for wie in ("cce-1", "an-1"):
        c = client_van(app, wie)
        assert c.get(f"/zaken/{key}").status_code == 403
        r = c.post(f"/zaken/{key}/beslissen", data={"uitkomst": "toekennen", "csrf": "x"})
        assert r.status_code == 403
    # Unknown and forged keys.
    assert bo1.get("/zaken/MZ-2026-999999").status_code == 404
    assert bo1.get("/zaken/MZ-1%27%20OR%201=1").status_code == 400
    r = beslis(bo1, "MZ-2026-999999", token=csrf(bo1, f"/zaken/{key}"))
    assert r.status_code == 404 and "bestaat niet" in r.text
    # The rules' own reason, next to its field: VG7-plus is at most 12 months (R §9).
    eind = termijn_einde(start, 32) - dt.timedelta(days=0)
    r = beslis(bo1, key, start=start.isoformat(), eind=eind.isoformat())
    assert r.status_code == 422
    assert "een VG7-plus-beschikking duurt ten hoogste 12 maanden (R §9)" in r.text
    assert 'id="fout-eind"' in r.text and 'aria-invalid="true"' in r.text
    r = beslis(bo1, key, bedrag_per_jaar="veel")
    assert r.status_code == 422 and "vul een bedrag in" in r.text
    assert prefect.resumes() == []
    with session_scope() as session:
        assert session.get(Zaak, key).status == "beoordeling"


def test_a_valid_decision_resumes_the_run_signed_by_the_login(werkbak):
    app, prefect, key, _ = werkbak
    bo1 = client_van(app, "bo-1")
    pak(bo1, key)
    r = beslis(bo1, key, beoordelaar="iemand-anders")
    assert r.status_code == 303 and r.headers["location"] == f"/zaken/{key}"
    [resume] = prefect.resumes()
    invoer = resume["run_input"]
    assert invoer["beoordelaar"] == "bo-1" and invoer["uitkomst"] == "toekennen"
    assert invoer["peildatum"] == vandaag().isoformat()
    assert TEKST not in json.dumps(resume)  # the aanvraag's text stays in the case database
    gebeurd = acties(key)
    assert ("bo-1", "hervat") in gebeurd and ("bo-1", "taak_vrijgegeven") in gebeurd
    assert ("bo-1", "dossier_geopend") in gebeurd


def test_the_dossier_shows_the_aanvraags_text_and_every_opening_is_audited(werkbak):
    app, prefect, key, _ = werkbak
    bo2 = client_van(app, "bo-2")
    for _ in range(2):
        pagina = bo2.get(f"/zaken/{key}")
        assert pagina.status_code == 200
        assert TEKST in pagina.text and "Toets en advies" in pagina.text
    assert acties(key).count(("bo-2", "dossier_geopend")) == 2
    assert prefect.requests == []


def test_prefects_resume_follows_the_claim_and_a_teamleider_reassigns(werkbak):
    app, prefect, key, _ = werkbak
    bo1, bo2, tl = client_van(app, "bo-1"), client_van(app, "bo-2"), client_van(app, "tl-1")
    token2 = csrf(bo2, "/werkbak")
    pak(bo1, key)
    r = bo2.post(f"/api/flow_runs/{RUN}/resume", json={"run_input": {"uitkomst": "toekennen"}})
    assert r.status_code == 409 and "opgepakt door bo-1" in r.json()["detail"]
    assert prefect.resumes() == []
    # A beoordelaar cannot give the task away; the teamleider can, to bo-2.
    bo2.post("/werkbak/herverdelen", data={"zaak": key, "naar": "bo-2", "csrf": token2})
    assert "alleen een teamleider verdeelt" in bo2.get("/werkbak").text
    token = csrf(tl, "/werkbak")
    r = tl.post("/werkbak/herverdelen", data={"zaak": key, "naar": "cce-1", "csrf": token})
    assert "cce-1 kan deze taak niet doen" in tl.get("/werkbak").text
    r = tl.post("/werkbak/herverdelen", data={"zaak": key, "naar": "bo-2", "csrf": token})
    assert r.status_code == 303
    assert ("tl-1", "taak_herverdeeld") in acties(key)
    r = bo2.post(f"/api/flow_runs/{RUN}/resume", json={"run_input": {"uitkomst": "toekennen"}})
    assert r.status_code == 200 and len(prefect.resumes()) == 1


def test_contact_tasks_ontwikkeltrajecten_and_dialogen_are_in_the_werkbak_of_their_roles(
    werkbak, monkeypatch
):
    """Issue 27 point 1: the open tasks that are no zaak wait, for the roles that may do them,
    each with its deadline, days left, signal and where it is done; and point 5: the login
    opens the werkbak for the deciding roles and the CCE."""
    from pathlib import Path

    from deployments.cli_beheer import medewerker_registreer
    from models.aanvraag import parse_aanvraag
    from models.db.tables import Deadline
    from models.db.tables_dialoog import Dialoog
    from tasks import zaak as ops
    from tests.factories import toekennen

    app, prefect, key, _ = werkbak
    medewerker_registreer("ju-1", "jurist", WACHTWOORD)
    medewerker_registreer("ops-1", "operations", WACHTWOORD)
    dag = vandaag()
    with session_scope() as session:
        session.add(
            Deadline(sleutel="t-contact", zaak=key, soort="contact_client", client_id="C-THUIS",
                     datum=dag + dt.timedelta(days=2))
        )  # fmt: skip
        session.add(
            Dialoog(agb=AGB, jaar=dag.year, status="plan_ontvangen", wacht_op="dialoog",
                    wacht_key="dialoog-1", uitnodiging=dag - dt.timedelta(days=60),
                    meerzorgplan_uiterlijk=dag - dt.timedelta(days=30),
                    meerzorgplan_ontvangen=dag - dt.timedelta(days=31),
                    dialoog=dag - dt.timedelta(days=1), beleidsversie="2026", flow_run_id=DIALOOG_RUN)
        )  # fmt: skip
    # A running beschikking whose client has no ontwikkeltraject: at risk in September 2029.
    groep = json.loads(
        (Path(__file__).resolve().parents[2] / "examples/aanvraag-groep-vg.json").read_text()
    )
    groep.update(vorm="individueel", clienten=groep["clienten"][:1])
    groep["uren_per_week"] = {"begeleiding": 24, "verzorging": 8, "verpleging": 2,
                              "dagbesteding": 6, "nachtzorg": 5}  # fmt: skip
    lopend, _ = ops.registreer(
        parse_aanvraag(groep), dt.date(2026, 11, 22), provider_referentie="W"
    )
    ops.voer_actie_uit(lopend, dt.date(2026, 11, 22))
    assert ops.verwerk_invoer(lopend, "beoordeling-1", toekennen("bo-1"), dt.date(2026, 11, 22))
    dialoog = f"dialoog-{AGB}-{dag.year}"

    # The login opens the werkbak for the deciding roles and the CCE, Prefect for operations.
    for wie, pad in (("bo-1", "/werkbak"), ("ju-1", "/werkbak"), ("cce-1", "/werkbak"),
                     ("an-1", "/artifacts/key/werkvoorraad"), ("ops-1", "/runs?tag=")):  # fmt: skip
        r = TestClient(app, follow_redirects=False).post(
            "/login", data={"id": wie, "wachtwoord": WACHTWOORD}
        )
        assert r.status_code == 303 and r.headers["location"].startswith(pad), wie

    bo = client_van(app, "bo-1").get("/werkbak").text
    # The contact task: its day, days left, signal, the command the werkvoorraad names.
    assert "Contact met cliënt thuis" in bo and "cliënt C-THUIS" in bo
    assert f"meerzorg contact {key} --client C-THUIS --bevinding" in bo
    assert "contact vastleggen (N 2025)" in bo and "niet op te pakken" in bo
    # The dialoog's verslag (a wait of DIALOOG_ROLLEN): answered in its run's Resume.
    assert "Dialoog: verslag vastleggen" in bo and f'href="/runs/flow-run/{DIALOOG_RUN}"' in bo
    assert dialoog in bo and "ontwikkeltraject" not in bo
    # A jurist records contacts but takes no part in the dialoog; the analist's werkbak has
    # the contact task; operations none of them.
    ju = client_van(app, "ju-1").get("/werkbak").text
    assert "C-THUIS" in ju and dialoog not in ju
    assert "C-THUIS" in client_van(app, "an-1").get("/werkbak").text
    ops_tekst = client_van(app, "ops-1").get("/werkbak").text
    assert "C-THUIS" not in ops_tekst and dialoog not in ops_tekst
    # The CCE: no contact (R §10), the dialoog, and in September 2029 the ontwikkeltraject.
    monkeypatch.setattr("deployments.werkbak_claims.vandaag", lambda: dt.date(2029, 9, 1))
    cce = client_van(app, "cce-1").get("/werkbak?wacht_op=alle").text
    assert "C-THUIS" not in cce and dialoog in cce
    assert "CCE-ontwikkeltraject plannen" in cce and "31-01-2030" in cce
    assert f"meerzorg ontwikkeltraject {lopend} --client LINDE-014 --bijeenkomst-1" in cce
    assert f'href="/zaken/{lopend}"' not in cce  # the CCE opens no dossier
    assert dialoog not in client_van(app, "cce-1").get("/werkbak?wacht_op=ontwikkeltraject").text
    assert prefect.requests == []
    # A dialoog's wait is claimed as a zaak's: the second is refused, and so is her Resume.
    bo1, bo2 = client_van(app, "bo-1"), client_van(app, "bo-2")
    r = bo1.post("/werkbak/oppakken", data={"zaak": dialoog, "csrf": csrf(bo1, "/werkbak")})
    assert r.status_code == 303 and r.headers["location"] == "/werkbak"
    assert acties(dialoog) == [("bo-1", "taak_opgepakt")]
    r = bo2.post("/werkbak/oppakken", data={"zaak": dialoog, "csrf": csrf(bo2, "/werkbak")})
    assert f"{dialoog}: al opgepakt door bo-1" in bo2.get("/werkbak").text
    prefect.pause_key = "dialoog-1"
    r = bo2.post(f"/api/flow_runs/{DIALOOG_RUN}/resume", json={"run_input": {}})
    assert r.status_code == 409 and "opgepakt door bo-1" in r.json()["detail"]
    assert prefect.resumes() == []
    # Oppakken on a key that is neither a zaak's nor a dialoog's: one line.
    r = bo1.post("/werkbak/oppakken", data={"zaak": "dialoog-x", "csrf": csrf(bo1, "/werkbak")})
    assert r.status_code == 400 and "ongeldig zaaknummer" in r.text
