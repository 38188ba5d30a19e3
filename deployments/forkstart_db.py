"""Preloaded by the forkserver (deployments/forkstart.py), after the flows: what a forked run
otherwise did at its first query, in every step. SQLAlchemy configures the mappers of the
case database's tables; the settings are read (a run reads them again when its MEERZORG_*
or .env differ: models/settings.get_settings) and the engine for their database URL is
created without connecting (models/db/store.engine_for, one per URL: a run with another URL
creates its own). Connections are opened in the run only. This was about half of the CPU a
lifecycle step's fork spent above the trivial flow's (benchmarks/bench_transition.py)."""

import logging

from sqlalchemy.orm import configure_mappers

from models.db.store import get_engine

try:
    configure_mappers()
    get_engine()
except Exception:  # noqa: BLE001 - the forkserver must start: a run then does it itself
    logging.getLogger("meerzorg.forkstart").warning("database niet voorgeladen", exc_info=True)
