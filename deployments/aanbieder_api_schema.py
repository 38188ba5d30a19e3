"""The shapes of the provider's API (issue 28): what its OpenAPI document shows and what the
answers hold. Dutch domain names, as the aanvraag JSON has them; ids and dates, no BSN."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, create_model

from models.aanvraag import Aanvraag


class _Vast(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Probleem(BaseModel):
    """RFC 9457 problem details: `detail` is one line a person can read."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str


class Bevinding(BaseModel):
    code: str
    ernst: str
    toelichting: str


class Ontvangstbevestiging(BaseModel):
    ontvangen_op: dt.date
    beslistermijn_einde: dt.date = Field(description="Awb 4:13; opschorting komt erbij (4:15)")


class Ingediend(BaseModel):
    zaak: str
    ontvangstbevestiging: Ontvangstbevestiging
    volledig: bool | None = Field(description="Of de toets de aanvraag volledig vond (Awb 4:5)")
    bevindingen: list[Bevinding] = Field(
        description="Wat ontbreekt (Awb 4:5); de inhoud beoordeelt het zorgkantoor"
    )


class Gevraagd(BaseModel):
    """What the zaak asks of the provider now, and by when."""

    wat: str
    uiterlijk: dt.date | None


class BesluitKort(BaseModel):
    id: int
    soort: str
    uitkomst: str
    datum: dt.date
    bekendgemaakt_op: dt.date | None
    uiterlijke_reactiedatum: dt.date | None
    document: str = Field(description="Pad van de PDF van uw brief")


class BezwaarKort(BaseModel):
    id: int
    besluit_id: int
    ontvangen: dt.date
    uitkomst: str | None
    uiterlijk: dt.date


class Termijn(BaseModel):
    soort: str
    datum: dt.date


class ZaakKort(BaseModel):
    zaak: str
    status: str
    wacht_op: str | None
    ingediend_op: dt.date
    gewijzigd: dt.datetime


class ZaakDetail(ZaakKort):
    soort: str
    leveringsvorm: str
    gevraagd: Gevraagd | None
    termijnen: list[Termijn]
    besluiten: list[BesluitKort]
    bezwaren: list[BezwaarKort]


class Zaken(BaseModel):
    zaken: list[ZaakKort]
    volgende: str | None = Field(description="Geef dit als `na` voor de volgende pagina")


class Verwerkt(BaseModel):
    zaak: str
    status: str
    wacht_op: str | None
    verwerkt: bool = Field(description="Of de zaak al verder is (anders: zo dadelijk)")
    fout: str | None


# The missing or adjusted parts of an aanvraag, with the aanvraag's own field names: every
# field optional, and no other fields (`{"vragenlijst": {...}}`).
Aanvulling = create_model(
    "Aanvulling",
    __config__=ConfigDict(extra="forbid"),
    **{naam: (veld.annotation | None, None) for naam, veld in Aanvraag.model_fields.items()},
)


class EvaluatieIn(_Vast):
    doelen_behaald: Literal["behaald", "deels", "niet"]
    toelichting: str = Field("", max_length=20000)
    verlenging: Aanvraag | None = None


class BezwaarschriftIn(_Vast):
    besluit: int | None = Field(None, description="Het besluit (leeg: het laatste van de zaak)")
    gronden: str = Field("", max_length=50000)
    pro_forma: bool = False


class ZienswijzeIn(_Vast):
    samenvatting: str = Field(min_length=1, max_length=20000, description="Uw zienswijze")


class BezwaarGeregistreerd(BaseModel):
    zaak: str
    status: str


class MeerzorgplanIn(_Vast):
    document: str = Field("", max_length=500, description="Kenmerk of vindplaats van het plan")


class AbonnementIn(_Vast):
    url: HttpUrl


class Abonnement(BaseModel):
    id: int
    url: str
    geheim: str | None = Field(None, description="Alleen bij aanmaken: bewaar het om te verifiëren")
