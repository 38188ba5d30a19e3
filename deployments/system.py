"""The embedded default as processes: a Prefect server on loopback and one runner.

Used by `meerzorg up` and by the test session, so both start the system the same way."""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from deployments.bestanden import PRIVE_UMASK, open_prive, prive_map, prive_umask
from models.settings import PROJECT_DIR, get_settings

# Every process that starts the system imports this module first (the `meerzorg` CLI, the
# test session), and may create the first files of the data directory before it starts
# anything (the CLI's migrate, the service token): from here on this process's new files are
# its user's alone, and so are its children's (deployments/bestanden.py says why a umask).
prive_umask()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_env(port: int, home: Path, extra: dict | None = None) -> dict[str, str]:
    """Environment for every process of one embedded system: own PREFECT_HOME, loopback API."""
    env = dict(os.environ)
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_API_HOST": "127.0.0.1",
            "PREFECT_SERVER_API_PORT": str(port),
            "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
            "PREFECT_LOGGING_LEVEL": env.get("PREFECT_LOGGING_LEVEL", "INFO"),
            "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true",
            "PREFECT_LOCAL_STORAGE_PATH": str(home / "storage"),
            "MEERZORG_PROJECT_DIR": str(PROJECT_DIR),
            # The scheduler keeps runs up to this far ahead: 400 days, so the yearly
            # plan-dialogen has an upcoming run all year (Prefect's default is 100 days).
            "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": env.get(
                "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME", "P400D"
            ),
            # Pick up scheduled and resumed runs within about a second, not ten: the runner's
            # poll is one cheap query, and half of it is waited on every resume (whole
            # seconds only: Prefect reads this setting as an int).
            "PREFECT_RUNNER_POLL_FREQUENCY": env.get("PREFECT_RUNNER_POLL_FREQUENCY", "1"),
            "PREFECT_WORKER_QUERY_SECONDS": env.get("PREFECT_WORKER_QUERY_SECONDS", "2"),
            # Every case run is suspended with a ten-year timeout, and the pause-expiration
            # service scans all of them every 5 s by default: its idle CPU grew with the open
            # runs (7.6% -> 12.8% from 10 to 1,100 runs, benchmarks/bench_scale.py).
            "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS": env.get(
                "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_LOOP_SECONDS", "300"
            ),
        }
    )
    env.update(extra or {})
    return env


def polled_since(items: list[dict], moment: dt.datetime, field: str = "last_polled") -> set[str]:
    """The names of Prefect's objects whose `field` is at or after `moment`: by default the
    deployments whose runner or worker polled for runs since (Prefect's `last_polled`, set
    by its poll for scheduled runs); a work pool's workers by `last_heartbeat_time`."""
    return {
        i["name"] for i in items if i.get(field) and dt.datetime.fromisoformat(i[field]) >= moment
    }


def _aan(waarde: str) -> bool:
    return str(waarde).strip().lower() in ("aan", "on", "1", "true", "ja")


class EmbeddedSystem:
    """`prefect server start` + the runner serving prefect.yaml; stop() ends both."""

    def __init__(
        self,
        port: int | None = None,
        home: Path | None = None,
        env: dict | None = None,
        log_dir: Path | None = None,
        schedules: bool = True,
        auth: bool | None = None,
    ):
        settings = get_settings()
        self.port = port or settings.prefect_port
        self.data_dir = Path((env or {}).get("MEERZORG_DATA_DIR") or settings.data_dir)
        self.home = home or self.data_dir / "prefect"
        self.log_dir = log_dir or self.home
        # Case data lives in all three (the app and Prefect databases, results, logs): each
        # the service's alone, or no start (OpenbareMap says what to run).
        for pad in (self.data_dir, self.home, self.log_dir):
            prive_map(pad)
        extra = {**(env or {}), "MEERZORG_SCHEDULES": "1" if schedules else "0"}
        # MEERZORG_AUTH=aan (opt-in, models/settings.py): the gateway on the public port.
        self.auth = auth if auth is not None else _aan(extra.get("MEERZORG_AUTH", settings.auth))
        self.internal_port: int | None = None
        self.internal_auth: str | None = None
        if self.auth:
            from deployments.gateway_auth import service_auth_string

            self.internal_port = free_port()
            self.internal_auth = secrets.token_urlsafe(32)
            # Runner, workers and this process reach Prefect only through the gateway, as
            # the service identity (Prefect's client sends it as HTTP Basic).
            extra["PREFECT_API_AUTH_STRING"] = service_auth_string(self.data_dir)
            extra["MEERZORG_AUTH"] = "aan"
        self.env = prefect_env(self.port, self.home, extra)
        self.server: subprocess.Popen | None = None
        self.runner: subprocess.Popen | None = None
        self.gateway: subprocess.Popen | None = None

    def server_env(self) -> dict[str, str]:
        """The Prefect server's own environment: with auth on, an internal loopback port and a
        credential only the gateway holds; the UI is told to call the public (gateway) URL."""
        if not self.auth:
            return self.env
        internal = f"http://127.0.0.1:{self.internal_port}/api"
        env = {k: v for k, v in self.env.items() if k != "PREFECT_API_AUTH_STRING"}
        env.update(
            {
                "PREFECT_SERVER_API_PORT": str(self.internal_port),
                "PREFECT_API_URL": internal,
                "PREFECT_SERVER_API_AUTH_STRING": self.internal_auth,
                "PREFECT_UI_API_URL": self.api_url,
            }
        )
        return env

    def auth_headers(self) -> dict[str, str]:
        if not self.auth:
            return {}
        token = base64.b64encode(self.env["PREFECT_API_AUTH_STRING"].encode()).decode()
        return {"Authorization": f"Basic {token}"}

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, args: list[str], log_name: str, env: dict | None = None) -> subprocess.Popen:
        prive_map(self.home)
        prive_map(self.log_dir)
        # The log lives as long as the process; 0600 as every file of the system.
        log = open_prive(self.log_dir / log_name, "ab")
        return subprocess.Popen(
            args,
            env=env or self.env,
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=PRIVE_UMASK,  # whatever this process's umask is by now
        )

    def start_server(self, timeout: float = 90) -> None:
        # `prefect server start`, with SQLite transactions begun IMMEDIATE (see the module).
        self.server = self._spawn(
            [
                sys.executable,
                "-m",
                "deployments.prefect_server",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.internal_port or self.port),
            ],
            "server.log",
            self.server_env(),
        )
        if not self.auth:
            self.wait_healthy(timeout)
            return
        self.wait_healthy(timeout, f"http://127.0.0.1:{self.internal_port}/api")
        self.gateway = self.start_gateway(self.port, timeout=timeout)

    def start_gateway(
        self, port: int, env: dict | None = None, log_name: str = "gateway.log", timeout=90
    ) -> subprocess.Popen:
        """A gateway process on `port` in front of the internal server; `env` adds settings
        (production: another in front of the same server, e.g. trusting a proxy's header)."""
        gateway_env = {
            **self.server_env(),
            "MEERZORG_GATEWAY_UPSTREAM": f"http://127.0.0.1:{self.internal_port}",
            "MEERZORG_GATEWAY_INTERNAL_AUTH": self.internal_auth,
            "MEERZORG_SERVICE_TOKEN": self.env["PREFECT_API_AUTH_STRING"].partition(":")[2],
            # The providers' API (issue 28) starts and resumes runs with Prefect's own client,
            # straight to the internal server, as the gateway's own forwarding does.
            "PREFECT_API_AUTH_STRING": self.internal_auth,
            **(env or {}),
        }
        host = gateway_env.get("MEERZORG_GATEWAY_HOST") or get_settings().gateway_host
        proc = self._spawn(
            [
                sys.executable,
                "-m",
                "deployments.gateway_serve",
                "--host",
                host,
                "--port",
                str(port),
            ],
            log_name,
            gateway_env,
        )
        self.wait_healthy(timeout, f"http://127.0.0.1:{port}/api", proc=proc)
        return proc

    def wait_healthy(self, timeout: float = 90, api_url: str | None = None, proc=None) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for p in (self.server, proc):
                if p is not None and p.poll() is not None:
                    raise RuntimeError(
                        f"{p.args[2]} exited ({p.returncode}); see the logs in {self.log_dir}"
                    )
            try:
                r = httpx.get(f"{api_url or self.api_url}/health", timeout=2)
                # Prefect answers `true`; anything else is another process on the port.
                if r.status_code == 200 and r.content.strip() == b"true":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"prefect server did not answer on {self.api_url} within {timeout:.0f}s")

    def start_runner(self, timeout: float = 90) -> None:
        """Start the runner; return once it polls for every deployment of prefect.yaml. Not
        as soon as deployments exist: the runner registers them one by one, and after a
        restart they are all there before the new runner serves any."""
        import httpx

        from deployments.specs import deployment_names

        names = set(deployment_names())
        started = dt.datetime.now(dt.UTC)
        self.runner = self._spawn([sys.executable, "-m", "deployments.serve"], "runner.log")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.runner.poll() is not None:
                raise RuntimeError(
                    f"runner exited ({self.runner.returncode}); see {self.log_dir / 'runner.log'}"
                )
            try:
                r = httpx.post(
                    f"{self.api_url}/deployments/filter",
                    json={"deployments": {"name": {"any_": sorted(names)}}, "limit": 200},
                    headers=self.auth_headers(),
                    timeout=5,
                )
                if r.status_code == 200 and names <= polled_since(r.json(), started):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(
            f"the runner did not poll for every deployment within {timeout:.0f}s; "
            f"see {self.log_dir / 'runner.log'}"
        )

    def stop_runner(self) -> None:
        self._stop(self.runner)
        self.runner = None

    def log_files(self) -> list[Path]:
        """Every log a process of this system writes (server, runner or workers, deploy)."""
        return sorted(self.log_dir.glob("*.log"))

    def stop_server(self) -> None:
        # SIGINT lets uvicorn shut down cleanly (SIGTERM ends it with -15).
        # The gateway first: nothing reaches a server that is going away.
        self._stop(self.gateway, sig=signal.SIGINT)
        self.gateway = None
        self._stop(self.server, sig=signal.SIGINT)
        self.server = None

    def stop(self) -> None:
        self.stop_runner()
        self.stop_server()

    @staticmethod
    def _stop(*procs: subprocess.Popen | None, grace: float = 15, sig: int = signal.SIGINT) -> None:
        """Signal every process at once, then give them `grace` seconds together: each shuts
        down on its own, so stopping several takes as long as the slowest, not the sum."""
        signalled = []
        for proc in procs:
            if proc is None or proc.poll() is not None:
                continue
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                continue
            signalled.append(proc)
        deadline = time.monotonic() + grace
        for proc in signalled:
            try:
                proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
