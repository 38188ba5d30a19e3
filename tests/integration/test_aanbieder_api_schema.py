"""The provider's API against its own OpenAPI document (issue 28), property-based by
schemathesis: for every operation, valid and invalid requests (positive and negative
generation) with a real key on a real database never get a server error, and every answer
fits the document (status codes, content types, response schemas). A second pass without a
key checks that every operation but the document itself refuses with 401."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.applications import Starlette
from starlette.middleware import Middleware

from deployments.aanbieder_api import PREFIX, Doorgang
from models.db.aanbieder_sleutels import maak_sleutel
from models.db.store import migrate, registreer_aanbieder, session_scope
from tests.factories import aanvraag_dict

AGB = "73730001"


@pytest.fixture
def sleutel(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    monkeypatch.setenv("MEERZORG_DATABASE_URL", url)
    monkeypatch.setenv("MEERZORG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEERZORG_AANBIEDER_API_PER_SECONDE", "100000")
    monkeypatch.setattr("deployments.aanbieder_api_routes.start_run", lambda key: None)
    migrate(url)
    with session_scope() as session:
        registreer_aanbieder(session=session, agb=AGB, naam="De Linde", notify=[])
    with session_scope() as session:
        return maak_sleutel(session=session, agb=AGB, door="beheerder")["sleutel"]


@pytest.fixture
def api_schema(sleutel):
    # As in the gateway (deployments/gateway.py): the API behind its Doorgang.
    app = Starlette(middleware=[Middleware(Doorgang)])
    schema = schemathesis.openapi.from_asgi(f"{PREFIX}/openapi.json", app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=15
    )
    # One real zaak, so that the zaak routes are also reached with a key that exists.
    from starlette.testclient import TestClient

    with TestClient(app) as client:
        client.post(
            f"{PREFIX}/aanvragen",
            json=aanvraag_dict(zorgaanbieder={"agb": AGB, "naam": "x"}),
            headers={"authorization": f"Bearer {sleutel}"},
        )
    return schema


def _operaties(api_schema):
    return [r.ok() for r in api_schema.get_all_operations()]


@pytest.mark.parametrize("modus", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms_to_its_document(api_schema, sleutel, modus):
    """Every operation, many requests each: never a server error, every answer as documented."""
    gezien = []
    for operatie in _operaties(api_schema):

        @given(case=operatie.as_strategy(generation_mode=modus))
        @settings(
            deadline=None, max_examples=6, suppress_health_check=list(HealthCheck), database=None
        )
        def verzoek(case):
            # Schema-valid is not always acceptable: the BSN's elfproef, a start before the
            # end and the other rules of the aanvraag are more than JSON Schema can say (their
            # refusals are problems of the documented shape, checked here as well).
            case.call_and_validate(
                headers={"Authorization": f"Bearer {sleutel}"},
                excluded_checks=[positive_data_acceptance],
            )

        try:
            verzoek()
        except Unsatisfiable:
            # Nothing invalid to send: no parameters and no body (GET /abonnementen).
            assert (
                modus is GenerationMode.NEGATIVE
                and not operatie.body
                and not any(True for _ in operatie.iter_parameters())
            ), operatie.label
            continue
        gezien.append(operatie.label)
    assert len(gezien) >= (13 if modus is GenerationMode.POSITIVE else 11), gezien


def test_every_operation_refuses_without_a_valid_key(api_schema):
    for operatie in _operaties(api_schema):

        @given(case=operatie.as_strategy())
        @settings(
            deadline=None, max_examples=2, suppress_health_check=list(HealthCheck), database=None
        )
        def verzoek(case):
            response = case.call(headers={"Authorization": "Bearer mzk_onbekend_x"})
            assert response.status_code in (401, 422), (case.operation.label, response.text)
            zonder = case.call()  # no Authorization header at all
            assert zonder.status_code in (401, 422), (case.operation.label, zonder.text)
            assert response.status_code in (401, 422), (case.operation.label, response.text)
            soort = response.headers["content-type"][0]  # schemathesis: a list per header
            assert soort.startswith("application/problem+json"), (case.operation.label, soort)

        verzoek()
