"""Several Prefect server replicas on one machine, for tests/flows/test_replicas.py: the
production shape of README "Production" with more than one API server. Test machinery;
production starts the same processes itself.

- two API replicas, `prefect server start --no-services` (A and B), each on its own port
  and PREFECT_HOME, both on one PostgreSQL Prefect database;
- one services process, `prefect server services start` (scheduler, triggers and actions
  of the automations, event persister, late runs, pause expirations, …), on the same
  database;
- Redis between them: the events broker and cache, the causal ordering of events, the
  concurrency lease storage, the worker cleanup queue and docket (Prefect's background
  task queue). Settings as in Prefect 3.9.1 (`prefect/settings/models/server/*.py`) and
  prefect-redis (`RedisMessagingSettings`, `RedisWorkerCleanupQueueSettings`);
- the workers of WorkerSystem (prefect.yaml deployed to a process work pool), talking to B.

The database schema is migrated once (`prefect server database upgrade -y`) before the
servers start, with migration on start switched off in every server process, as Prefect's
guide for several servers asks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from deployments.system import free_port
from tests.flows.workers import WorkerSystem

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379


def redis_settings(db: int, host: str = REDIS_HOST, port: int = REDIS_PORT) -> dict[str, str]:
    """What every Prefect server process (API replicas and services) needs to share state
    through Redis instead of its own memory."""
    url = f"redis://{host}:{port}/{db}"
    return {
        "PREFECT_MESSAGING_BROKER": "prefect_redis.messaging",
        "PREFECT_MESSAGING_CACHE": "prefect_redis.messaging",
        "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING": "prefect_redis.ordering",
        "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE": "prefect_redis.lease_storage",
        "PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_QUEUE_STORAGE": "prefect_redis.cleanup_queue",
        "PREFECT_SERVER_DOCKET_URL": url,
        "PREFECT_REDIS_MESSAGING_HOST": host,
        "PREFECT_REDIS_MESSAGING_PORT": str(port),
        "PREFECT_REDIS_MESSAGING_DB": str(db),
        "PREFECT_REDIS_WORKER_CLEANUP_QUEUE_HOST": host,
        "PREFECT_REDIS_WORKER_CLEANUP_QUEUE_PORT": str(port),
        "PREFECT_REDIS_WORKER_CLEANUP_QUEUE_DB": str(db),
    }


def redis_client(db: int = 0):
    import redis

    return redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db, socket_timeout=5)


CLAIM_KEY = "meerzorg:replica-test"


def claim_redis_db() -> int:
    """A Redis database number of our own: a random one of 1–15 that was empty, claimed
    with a key set only if absent (two runs at once never pick the same); flush_redis
    empties it again at the end."""
    import random

    candidates = list(range(1, 16))
    random.shuffle(candidates)
    for db in candidates:
        client = redis_client(db)
        try:
            if client.dbsize() == 0 and client.set(CLAIM_KEY, os.getpid(), nx=True):
                if client.dbsize() == 1:
                    return db
                client.delete(CLAIM_KEY)  # someone else's data arrived meanwhile
        finally:
            client.close()
    raise RuntimeError("no empty Redis database among 1–15 on 127.0.0.1:6379")


def flush_redis(db: int) -> None:
    """Empty our Redis database (at the end, with every server process stopped)."""
    client = redis_client(db)
    try:
        client.flushdb()
    finally:
        client.close()


class ReplicaSystem(WorkerSystem):
    """Two API replicas (A, B) and one services process on one PostgreSQL Prefect
    database, Redis between them, workers on B. `port` (the system's API, as everywhere
    in the tests) is B's; `api_url_a`/`api_url_b` name each replica."""

    def __init__(
        self,
        prefect_database_url: str,
        redis_db: int,
        workers: int = 2,
        home: Path | None = None,
        env: dict | None = None,
        log_dir: Path | None = None,
        schedules: bool = True,
    ):
        self.port_a = free_port()
        self.port_b = free_port()
        # The replica test is about the Prefect servers: no gateway in front of them.
        super().__init__(
            prefect_database_url,
            workers=workers,
            port=self.port_b,
            home=home,
            env={**(env or {}), "MEERZORG_AUTH": "uit"},
            log_dir=log_dir,
            schedules=schedules,
        )
        # A credential a test session may have put in the environment is not for these
        # servers (they ask none).
        self.env.pop("PREFECT_API_AUTH_STRING", None)
        self.redis_db = redis_db
        self.servers: dict[str, subprocess.Popen] = {}
        self.services: subprocess.Popen | None = None

    @property
    def api_url_a(self) -> str:
        return f"http://127.0.0.1:{self.port_a}/api"

    @property
    def api_url_b(self) -> str:
        return f"http://127.0.0.1:{self.port_b}/api"

    def server_process_env(self, name: str, port: int | None = None) -> dict[str, str]:
        """The environment of one server process (replica or services): its own
        PREFECT_HOME, the shared database and Redis, no migration on start."""
        home = self.home / f"server-{name}"
        home.mkdir(parents=True, exist_ok=True)
        env = {
            **self.env,
            **redis_settings(self.redis_db),
            "PREFECT_HOME": str(home),
            "PREFECT_API_DATABASE_MIGRATE_ON_START": "false",
            # The services open a connection each at once when they start; on a loaded
            # machine asyncpg's default 5 s connect timeout was seen to expire, and a
            # service that fails to start dies silently (see wait_services).
            "PREFECT_API_DATABASE_CONNECTION_TIMEOUT": "30",
            # Links in the automations' messages: the UI of a replica (a load balancer's
            # address in production).
            "PREFECT_UI_URL": f"http://127.0.0.1:{self.port_b}",
        }
        if port is not None:
            env.update(
                {
                    "PREFECT_SERVER_API_PORT": str(port),
                    "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
                    "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
                }
            )
        return env

    def _prefect_bin(self) -> str:
        return str(Path(sys.executable).parent / "prefect")

    def migrate_prefect_database(self) -> None:
        """`prefect server database upgrade -y`, once, before any server starts."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / "deploy.log", "ab") as fh:
            result = subprocess.run(
                [self._prefect_bin(), "--no-prompt", "server", "database", "upgrade", "-y"],
                env=self.server_process_env("migrate"),
                stdout=fh,
                stderr=subprocess.STDOUT,
                timeout=600,
            )
        if result.returncode != 0:
            raise RuntimeError(f"the Prefect database upgrade failed; see {self.log_dir}")

    def start_replica(self, name: str, port: int, timeout: float = 180) -> None:
        proc = self._spawn(
            [
                self._prefect_bin(),
                "server",
                "start",
                "--no-services",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            f"server-{name}.log",
            self.server_process_env(name, port),
        )
        self.servers[name] = proc
        self.wait_replica(name, port, timeout)

    def wait_replica(self, name: str, port: int, timeout: float = 180) -> None:
        import httpx

        proc = self.servers[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"replica {name} exited ({proc.returncode}); see {self.log_dir}/server-{name}.log"
                )
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                if r.status_code == 200 and r.content.strip() == b"true":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"replica {name} did not answer on port {port} within {timeout:.0f}s")

    def start_services(self) -> None:
        self.services = self._spawn(
            [self._prefect_bin(), "server", "services", "start"],
            "services.log",
            self.server_process_env("services"),
        )

    # The consumer groups the services process creates on Redis's streams once its event
    # services are running: the reactive triggers (automations), the event persister, the
    # task run recorder, and the actions of the automations.
    SERVICE_GROUPS = {
        "events": {"reactive-triggers", "event-persister", "task-run-recorder"},
        "actions": {"actions"},
    }

    def service_groups(self) -> dict[str, set[str]]:
        client = redis_client(self.redis_db)
        try:
            out = {}
            for stream in self.SERVICE_GROUPS:
                try:
                    out[stream] = {g["name"].decode() for g in client.xinfo_groups(stream)}
                except Exception:  # the stream does not exist yet
                    out[stream] = set()
            return out
        finally:
            client.close()

    def wait_services(self, timeout: float = 180) -> None:
        """Until the services process's event consumers run. Prefect 3.9.1's
        `prefect server services start` starts each service as a task and neither logs nor
        exits when one fails at its start (a database timeout under load, seen here): the
        process stays up with no automations. Its consumer groups on Redis tell."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.services.poll() is not None:
                raise RuntimeError(f"the services process exited; see {self.log_dir}/services.log")
            groups = self.service_groups()
            if all(want <= groups[stream] for stream, want in self.SERVICE_GROUPS.items()):
                return
            time.sleep(0.5)
        raise RuntimeError(
            f"the services process did not start its event services within {timeout:.0f}s "
            f"(consumer groups on Redis: {self.service_groups()}); see {self.log_dir}/services.log"
        )

    def start_server(self, timeout: float = 180) -> None:
        """The schema once, then replica A (it registers Prefect's block types in the
        shared database), then replica B and the services process."""
        self.migrate_prefect_database()
        self.start_replica("a", self.port_a, timeout)
        self.start_services()
        self.start_replica("b", self.port_b, timeout)
        self.wait_services(timeout)

    def kill_replica(self, name: str) -> None:
        """SIGKILL a replica, as a machine that dies (no shutdown, no goodbye to Redis)."""
        proc = self.servers[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def stop_server(self) -> None:
        # SIGINT lets uvicorn and the services shut down cleanly.
        self._stop(*self.servers.values(), self.services, sig=signal.SIGINT)
        self.servers = {}
        self.services = None
