"""The parties of a zaak besides the provider (issue 25): where a besluit about a client goes.

A besluit reaches the client it concerns (Awb 3:40, 3:41), a vertegenwoordiger when there
is one, and for pgb the budgethouder. The aanvraag names them per client (DOMAIN.md
"Stable interfaces"): `correspondentie` (the client's own), `vertegenwoordiger` and
`budgethouder` (models/aanvraag.py: Client). `geadresseerden` turns them into the list of
persons a besluit goes to.

Personal data: names, addresses and targets stay in the case database (the aanvraag stored
on the zaak) and never reach Prefect (DOMAIN.md "Privacy"). So no error message here echoes
a value: the refusal's line may appear on the case card.

Pure: no I/O, no apprise (a target is checked for its form only, `scheme://…`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    from models.aanvraag import Client

POST = "post"
# An apprise URL: a scheme (mailtos, json, …), "://" and something after it, no whitespace.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")

Rol = Literal["client", "vertegenwoordiger", "budgethouder"]
ROLLEN: tuple[Rol, ...] = ("client", "vertegenwoordiger", "budgethouder")  # their order
Vertegenwoordiging = Literal["wettelijk vertegenwoordiger", "curator", "mentor", "gemachtigde"]
Budgethouder = Literal["client", "vertegenwoordiger"]
Adresregel = Annotated[str, Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    # As models/aanvraag._Model (which imports this module): unknown fields are refused.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Correspondentie(_Model):
    """Where and to whom a party's letters go: `kanaal` is the party's secure digital target
    (an apprise URL) or the literal "post"; `adres` the postal lines, needed for post."""

    kanaal: str = Field(
        min_length=1,
        max_length=2048,
        description="The party's secure digital target (an apprise URL, scheme://…) or post",
    )
    naam: str = Field(min_length=1, max_length=200, description="The name to address it to")
    adres: list[Adresregel] = Field(
        [], max_length=8, description="Postal address lines (required for post)"
    )

    @field_validator("kanaal")
    @classmethod
    def _kanaal(cls, value: str) -> str:
        if value != POST and not _URL.match(value):
            raise ValueError("must be 'post' or an apprise URL (scheme://…)")
        return value

    @model_validator(mode="after")
    def _adres_voor_post(self):
        if self.kanaal == POST and not self.adres:
            raise ValueError("adres is required when kanaal is 'post'")
        return self


class Vertegenwoordiger(_Model):
    rol: Vertegenwoordiging
    correspondentie: Correspondentie


@dataclasses.dataclass(frozen=True, slots=True)
class Partij:
    """One person a besluit about `client_id` goes to, with every role they have in it."""

    rollen: tuple[Rol, ...]
    client_id: str
    kanaal: Literal["digitaal", "post"]
    doel: str  # the apprise URL, or "post"
    naam: str
    adres: tuple[str, ...]
    vertegenwoordiging: Vertegenwoordiging | None  # the vertegenwoordiger's capacity


def geadresseerden(client: Client) -> list[Partij]:
    """Every person with a correspondentie who must receive a besluit about this client: the
    client (when the aanvraag gives its correspondentie), the vertegenwoordiger (if any), the
    budgethouder's role on whichever of the two it is. A person appears once: a vertegenwoordiger
    given with exactly the client's own name and target is one Partij with both roles.

    Empty when the aanvraag names no one (older aanvragen): the caller then sends nothing to
    the client and records that. A budgethouder "client" without a correspondentie has no
    Partij either."""
    personen: list[tuple[Rol, Vertegenwoordiging | None, Correspondentie]] = []
    if client.correspondentie is not None:
        personen.append(("client", None, client.correspondentie))
    if client.vertegenwoordiger is not None:
        v = client.vertegenwoordiger
        personen.append(("vertegenwoordiger", v.rol, v.correspondentie))
    out: list[Partij] = []
    for rol, vertegenwoordiging, c in personen:
        rollen: tuple[Rol, ...] = (rol, "budgethouder") if client.budgethouder == rol else (rol,)
        zelfde = next(
            (i for i, p in enumerate(out) if (p.doel, p.naam) == (c.kanaal, c.naam)), None
        )
        if zelfde is not None:
            eerder = out[zelfde]
            out[zelfde] = dataclasses.replace(
                eerder,
                rollen=tuple(r for r in ROLLEN if r in eerder.rollen or r in rollen),
                adres=eerder.adres or tuple(c.adres),
                vertegenwoordiging=eerder.vertegenwoordiging or vertegenwoordiging,
            )
            continue
        out.append(
            Partij(
                rollen=rollen,
                client_id=client.client_id,
                kanaal="post" if c.kanaal == POST else "digitaal",
                doel=c.kanaal,
                naam=c.naam,
                adres=tuple(c.adres),
                vertegenwoordiging=vertegenwoordiging,
            )
        )
    return out


def zonder_aanbieder_fout(clienten: list[Client]) -> str | None:
    """Why an aanvraag may not omit the provider's AGB, or None when it may (issue 25).

    Without a provider the budgethouder applies: the right to meerzorg is the verzekerde's
    (N 2025), and with a pgb the budgethouder holds the budget and buys the care himself (Wlz
    pgb). aanname (the seeds are silent on who applies for a pgb): every client has a pgb and
    a budgethouder the zorgkantoor can write to (a correspondentie of the client or the
    vertegenwoordiger who is budgethouder), because that person is the applicant: letters
    meant for "the aanbieder" go there (models/aanvrager.py). Names no value but the
    pseudonymous client_id (the line may reach the case card)."""
    for client in clienten:
        if client.leveringsvorm != "pgb":
            return (
                "zorgaanbieder ontbreekt: zonder AGB kan alleen de budgethouder van een pgb "
                f"aanvragen (Wlz pgb), maar client {client.client_id} heeft "
                f"leveringsvorm {client.leveringsvorm}"
            )
        if not any("budgethouder" in p.rollen for p in geadresseerden(client)):
            return (
                "zorgaanbieder ontbreekt: zonder AGB vraagt de budgethouder aan (Wlz pgb), maar "
                f"de budgethouder van client {client.client_id} heeft geen correspondentie"
            )
    return None
