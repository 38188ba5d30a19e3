"""Preloaded by the forkserver (deployments/forkstart.HEAVY): the letter machinery built once
for every run forked from it. A run that takes a besluit renders its letters (issue 25); on
its own it would import fpdf2 (with numpy, ~0.5 s of CPU) and cut down the fonts (~0.5 s)
at its first letter. The reduced fonts' directory belongs to the forkserver's process."""

import logging

from models.brief import voorladen

try:
    voorladen()
except Exception:  # noqa: BLE001 - the forkserver must start: a run then builds them itself
    logging.getLogger("meerzorg.forkstart").warning("brieven niet voorgeladen", exc_info=True)
