"""The guard that would have caught a dead scheduler on day one: every Prefect server, runner
and worker a test starts writes its log to a file (deployments/system.py), and after each
test the lines written since the last check are read. A traceback, or a line logged at
ERROR or CRITICAL, fails the test, unless the test names it as provoked on purpose:

    @pytest.mark.logs_allowed(r"zaak MZ-1999-999999 does not exist", ...)

Each pattern is a regular expression searched in the whole record (the log line with the
traceback that follows it). Lines written after the last test (at shutdown) are checked at
the end of the session."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# A record starts at a line in Prefect's log format or a uvicorn/logging level prefix.
PREFECT_LINE = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} \| (?P<level>[A-Z]+)\s*\|")
PLAIN_LINE = re.compile(r"^(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):\s")
BAD_LEVELS = {"ERROR", "CRITICAL"}
# The interpreter prints this itself (not a log record) when a thread's shutdown is
# interrupted at exit: it always starts a record of its own.
AT_EXIT = "Exception ignored in: <module 'threading'"
# A process signalled while its interpreter is already exiting (the runner cancelling a flow
# run whose process had just finished, or a stop) prints this; nothing of ours failed. Only
# with the signal's own exception as the last line, or cut off inside the interpreter's own
# threading shutdown (the process was killed while printing it: the next process's lines
# follow); any other error there still counts.
SIGNALLED_AT_EXIT = re.compile(
    r"\AException ignored in: <module 'threading'.*\n(?:.*\n)*?"
    r"(?:(?:prefect\.exceptions\.TerminationSignal|KeyboardInterrupt)[^\n]*"
    r"|  File \"[^\"]*threading\.py\", line \d+, in _shutdown(?:\n    [^\n]*)?)\Z"
)


def records(text: str) -> list[str]:
    """The text split into log records: a log line and the lines that continue it."""
    out: list[list[str]] = []
    for line in text.splitlines():
        if (
            PREFECT_LINE.match(line)
            or PLAIN_LINE.match(line)
            or line.startswith(AT_EXIT)
            or not out
        ):
            out.append([line])
        else:
            out[-1].append(line)
    return ["\n".join(r) for r in out]


def unfinished(record: str) -> bool:
    """A traceback whose exception line has not been written yet."""
    if "Traceback (most recent call last)" not in record:
        return False
    last = record.rstrip("\n").rsplit("\n", 1)[-1]
    return last.startswith(" ") or last.startswith("Traceback")


def is_problem(record: str) -> bool:
    if SIGNALLED_AT_EXIT.search(record):
        return False
    first = record.split("\n", 1)[0]
    m = PREFECT_LINE.match(first) or PLAIN_LINE.match(first)
    return (
        bool(m and m.group("level") in BAD_LEVELS) or "Traceback (most recent call last)" in record
    )


@dataclass
class LogGuard:
    systems: list = field(default_factory=list)
    offsets: dict[Path, int] = field(default_factory=dict)
    retired: list[Path] = field(default_factory=list)

    def watch(self, system) -> None:
        """From now on, every log file of `system` is checked (from its first line)."""
        if system not in self.systems:
            self.systems.append(system)

    def unwatch(self, system) -> None:
        """Stop watching once the next check has read what `system` wrote until now."""
        if system in self.systems:
            self.systems.remove(system)
            self.retired.extend(system.log_files())

    def problems(
        self, allowed: list[str] | None = None, files: list[Path] | None = None, final=False
    ):
        """(file, record) of every problem written since the last check, not allowed;
        `final`: the processes have stopped, so an unfinished traceback counts as it is."""
        patterns = [re.compile(p) for p in allowed or []]
        found = []
        if files is not None:
            paths = files
        else:
            # A restarted runner writes on in a stopped one's file: each file read once.
            paths = list(
                dict.fromkeys([p for s in self.systems for p in s.log_files()] + self.retired)
            )
            self.retired = []
        for path in paths:
            try:
                with open(path, "rb") as fh:
                    fh.seek(self.offsets.get(path, 0))
                    data = fh.read()
            except FileNotFoundError:
                continue
            # Only whole lines, and a traceback still being written is read at the next check.
            end = data.rfind(b"\n") + 1
            found_records = records(data[:end].decode("utf-8", errors="replace"))
            if found_records and unfinished(found_records[-1]) and not final:
                start = data.rfind(found_records[-1].split("\n", 1)[0].encode("utf-8"), 0, end)
                if start >= 0:
                    found_records.pop()
                    end = start
            self.offsets[path] = self.offsets.get(path, 0) + end
            for record in found_records:
                if is_problem(record) and not any(p.search(record) for p in patterns):
                    found.append((path, record))
        return found


GUARD = LogGuard()


def report(found: list[tuple[Path, str]], limit: int = 5) -> str:
    parts = [f"--- {path.name} ---\n{record[-3000:]}" for path, record in found[:limit]]
    more = f"\n(and {len(found) - limit} more)" if len(found) > limit else ""
    return (
        f"{len(found)} traceback/ERROR record(s) in the logs of the servers, runners or "
        "workers this test used (name provoked ones with @pytest.mark.logs_allowed):\n"
        + "\n".join(parts)
        + more
    )
