"""Files that hold case data are the service's alone (issue 23, point 6).

The data directory holds the app database (SQLite), Prefect's home (its SQLite database, the
results of flow runs, the logs of server, gateway, runner and workers), the secrets and the
demo's notification file: BSNs, names and decisions. Created with Python's defaults they were
0644 in 0755 directories, and another user on the machine read 22 BSNs from them.

Two measures, both needed:
- **umask 077 for every process of the system** (`prive_umask`): the files are created by
  many hands (SQLite creates the databases and their -wal/-shm files, Prefect its database
  and result files, the flow runs their reports), and a umask is the one setting they all
  obey, in this process and every child it starts. Setting each file's mode afterwards would
  leave a window and miss the files others create.
- **a check at start** (`prive_map`): a directory someone made readable for others (an old
  installation, a copy, a `mkdir` by hand) is refused with the command that fixes it, rather
  than put right silently: who opened it may have meant it, and should know.

A file this code creates itself (a log, the demo notifications) is also opened 0600
(`open_prive`), so it does not depend on the umask of whoever started the process."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from deployments.errors import CliFout

PRIVE_UMASK = 0o077


class OpenbareMap(CliFout):
    """A directory with case data that others than the service can open."""


def prive_umask() -> None:
    """New files and directories of this process (and its children): its user's only."""
    os.umask(PRIVE_UMASK)


def prive_map(pad: Path) -> Path:
    """`pad` as a directory only the service can open: created 0700 when missing; refused
    (OpenbareMap, one line saying what to run) when its group or others have any access."""
    pad = Path(pad)
    pad.mkdir(mode=0o700, parents=True, exist_ok=True)
    rechten = stat.S_IMODE(pad.stat().st_mode)
    if rechten & 0o077:
        raise OpenbareMap(
            f"{pad} bevat zaakgegevens en is toegankelijk voor anderen (rechten "
            f"{rechten:o}); maak hem alleen voor de service: chmod 700 {pad}"
        )
    return pad


def open_prive(pad: Path, mode: str = "a", **kwargs):
    """open(pad, mode) for appending or writing, the file 0600 (an existing one too)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode.startswith("a") else os.O_TRUNC)
    fd = os.open(pad, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise
