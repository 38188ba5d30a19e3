"""A finding of the toets: a code, how serious it is and why (DOMAIN.md: `ernst` is
`blokkerend` (cannot be granted as is), `aanpassing` (granted only adjusted) or `signaal`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Ernst = Literal["blokkerend", "aanpassing", "signaal"]


@dataclass(frozen=True, slots=True)
class Bevinding:
    code: str
    ernst: Ernst
    toelichting: str

    def public(self) -> dict:
        return {"code": self.code, "ernst": self.ernst, "toelichting": self.toelichting}
