"""Where the test suite's CPU goes: runs a command (by default make test's pytest) and samples
/proc every second meanwhile, then prints the wall time, the CPU seconds of every process on
the machine, how many of the cores were busy on average, and the CPU by kind of process (a
Prefect server, a runner, a worker, the flow runs forked from the forkserver, a gateway, the
`meerzorg` CLI, Chromium, PostgreSQL, the pytest processes).

A process that lives less than a second between two samples is missed; what it used is not
counted. Processes already running when it starts count only what they use from then on.

    .venv/bin/python benchmarks/bench_suite_cpu.py                      # make test's pytest
    .venv/bin/python benchmarks/bench_suite_cpu.py -- .venv/bin/pytest -q tests/flows
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import threading
import time

HZ = os.sysconf("SC_CLK_TCK")
DEFAULT = [".venv/bin/pytest", "-q", "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder"]
# The first pattern found in a process's command line names its kind.
KINDS = (
    ("deployments.prefect_server", "Prefect server"),
    ("server services start", "Prefect services"),
    ("server start", "Prefect API replica"),
    ("forkserver", "flow runs (forks) and their forkserver"),
    ("deployments.serve", "runner"),
    ("deployments.worker", "worker"),
    ("deployments.gateway_serve", "gateway"),
    ("prefect --no-prompt", "prefect CLI (deploy, work pool, migrate)"),
    ("bin/meerzorg", "meerzorg CLI"),
    ("chrom", "Chromium"),
    ("postgres", "PostgreSQL"),
    ("exec(eval(sys.stdin.readline()))", "pytest workers"),
    ("pytest", "pytest"),
)


def kind(cmdline: str) -> str:
    return next((k for pattern, k in KINDS if pattern in cmdline), "other")


def cpu_seconds(pid: str) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        stat = fh.read()
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def snapshot() -> dict[int, float]:
    out = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                out[int(pid)] = cpu_seconds(pid)
            except OSError:
                continue  # ended meanwhile
    return out


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.base = snapshot()
        self.last: dict[int, float] = {}
        self.kinds: dict[int, str] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid, cpu in snapshot().items():
                if pid not in self.kinds:
                    try:
                        with open(f"/proc/{pid}/cmdline", "rb") as fh:
                            self.kinds[pid] = kind(
                                fh.read().replace(b"\0", b" ").decode("utf8", "replace")
                            )
                    except OSError:
                        continue
                self.last[pid] = cpu
            self.done.wait(1)

    def per_kind(self) -> tuple[collections.Counter, collections.Counter]:
        seconds, count = collections.Counter(), collections.Counter()
        for pid, cpu in self.last.items():
            used = cpu - self.base.get(pid, 0.0)
            if used > 0:
                seconds[self.kinds[pid]] += used
                count[self.kinds[pid]] += 1
        return seconds, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="*", help="the command to run (after --)")
    command = parser.parse_args().command or DEFAULT
    sampler = Sampler()
    sampler.start()
    started = time.monotonic()
    rc = subprocess.call(command)
    wall = time.monotonic() - started
    sampler.done.set()
    sampler.join()
    seconds, count = sampler.per_kind()
    total = sum(seconds.values())
    print(f"\ncommand: {' '.join(command)} (exit {rc})")
    print(
        f"wall {wall:.0f} s, CPU {total:.0f} s, {total / wall:.2f} of {os.cpu_count()} cores busy"
    )
    for name, used in seconds.most_common():
        print(f"  {name:42s} {used:7.0f} s  {100 * used / total:4.1f}%  ({count[name]} processes)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
