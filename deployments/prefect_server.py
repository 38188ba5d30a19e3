"""`prefect server start` for this system, with one correction to Prefect's SQLite backend.

Prefect begins its SQLite transactions DEFERRED unless they lock a row for update, so an
endpoint that reads before it writes (the resume of a suspended run, for one) cannot take
the write lock once another writer committed after its read: SQLite answers "database is
locked" at once, without waiting, and the embedded server aborts the resume and logs a
traceback (PrefectHQ/prefect#17473). An assessor's Submit fails, a sweep's resume fails.
Beginning every transaction IMMEDIATE makes writers queue on SQLite's busy timeout (60 s in
Prefect) instead. The PostgreSQL backend is not touched.

Used by deployments/system.py for the embedded default and the tests: the same arguments
as `prefect server start`."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager


def immediate_sqlite_transactions() -> None:
    from prefect.server.database.configurations import AioSqliteConfiguration

    original = AioSqliteConfiguration.begin_transaction
    if getattr(original, "_meerzorg_immediate", False):
        return

    @asynccontextmanager
    async def begin_transaction(self, session, with_for_update: bool = False):
        async with original(self, session, with_for_update=True) as transaction:
            yield transaction

    begin_transaction._meerzorg_immediate = True
    AioSqliteConfiguration.begin_transaction = begin_transaction


def main() -> None:
    from deployments.bestanden import prive_umask

    prive_umask()  # Prefect's database and its files hold case data (deployments/bestanden.py)
    immediate_sqlite_transactions()
    from prefect.cli import app

    sys.argv = ["prefect", "server", "start", *sys.argv[1:]]
    sys.exit(app())


if __name__ == "__main__":
    main()
