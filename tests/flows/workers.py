"""The production setup on one machine, for the tests run in MEERZORG_TEST_MODE=postgres-workers
and the crash drills: the Prefect server on PostgreSQL, prefect.yaml deployed to a process
work pool, several workers. Test machinery; production starts the same processes itself
(README, Production)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from deployments.system import PROJECT_DIR, EmbeddedSystem, polled_since


class WorkerSystem(EmbeddedSystem):
    """The production setup on one machine: the same code as the embedded default, only
    settings differ. The Prefect server keeps its state in PostgreSQL
    (PREFECT_API_DATABASE_CONNECTION_URL), `prefect deploy --all` registers prefect.yaml in
    the process work pool, and several workers (`python -m deployments.worker`, which is
    `prefect worker start` with runs started as forks) run the flows.

    `start_runner`/`stop_runner` start and stop the workers, so code written for the
    embedded system (tests, crash drills) drives both."""

    def __init__(
        self,
        prefect_database_url: str,
        workers: int = 2,
        pool: str = "meerzorg",
        port: int | None = None,
        home: Path | None = None,
        env: dict | None = None,
        log_dir: Path | None = None,
        schedules: bool = True,
    ):
        super().__init__(
            port=port,
            home=home,
            env={"PREFECT_API_DATABASE_CONNECTION_URL": prefect_database_url, **(env or {})},
            log_dir=log_dir,
            schedules=schedules,
        )
        self.pool = pool
        self.worker_count = workers
        self.workers: list[subprocess.Popen] = []
        self.deployed = False
        self.schedules = schedules

    def _prefect(self, *args: str, timeout: float = 600) -> None:
        prefect = str(Path(sys.executable).parent / "prefect")
        log = self.log_dir / "deploy.log"
        with open(log, "ab") as fh:
            result = subprocess.run(
                [prefect, "--no-prompt", *args],
                env=self.env,
                cwd=PROJECT_DIR,
                stdout=fh,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        if result.returncode != 0:
            raise RuntimeError(f"`prefect {' '.join(args)}` failed; see {log}")

    def deploy(self) -> None:
        """Create the work pool and register every deployment of prefect.yaml in it (the
        settings' overrides applied, as `meerzorg deploy` does in production)."""
        from deployments.specs import write_resolved

        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._prefect("work-pool", "create", self.pool, "--type", "process", "--overwrite")
        prefect_file = write_resolved(self.home / "prefect.yaml", with_schedules=self.schedules)
        self._prefect("deploy", "--all", "--prefect-file", str(prefect_file))
        self.deployed = True

    def start_runner(self, timeout: float = 120) -> None:
        import httpx

        if not self.deployed:
            self.deploy()
        names = [f"worker-{i + 1}" for i in range(self.worker_count)]
        # Heartbeats since now: after a restart the pool still lists the stopped workers.
        started = dt.datetime.now(dt.UTC)
        # `prefect worker start` with runs started as forks (deployments/worker.py). Two runs
        # at a time per worker: runs resumed at once are spread over the workers rather than
        # all taken by whichever polls first (a worker takes every due run).
        worker = [sys.executable, "-m", "deployments.worker", "--pool", self.pool]
        self.workers = [
            self._spawn([*worker, "--name", name, "--limit", "2"], f"{name}.log") for name in names
        ]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.workers:
                if proc.poll() is not None:
                    raise RuntimeError(f"a worker exited ({proc.returncode}); see {self.log_dir}")
            try:
                r = httpx.post(
                    f"{self.api_url}/work_pools/{self.pool}/workers/filter",
                    headers=self.auth_headers(),
                    timeout=5,
                )
                if r.status_code == 200 and set(names) <= polled_since(
                    r.json(), started, field="last_heartbeat_time"
                ):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the workers did not report to {self.api_url} in time")

    def forkservers(self) -> list[int]:
        """The forkserver each worker started its runs from (deployments/worker.py): the
        worker's child process that preloaded prefect and the flows."""
        from tests.reliability.faults import is_forkserver, parent_of

        workers, children = {w.pid for w in self.workers}, []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if parent_of(int(proc.name)) in workers and is_forkserver(int(proc.name)):
                    children.append(int(proc.name))
            except OSError:
                continue  # a process that just ended
        return children

    def stop_runner(self) -> None:
        self._stop(*self.workers)
        self.workers = []

    def kill_workers(self) -> None:
        """SIGKILL every worker and the flow runs it started, as a machine that dies."""
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self.workers = []
