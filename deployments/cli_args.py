"""The argument parsing every CLI module shares: the parser that reports bad input as one
line (exit 2), and the argument types and input readers of the commands. It imports only
the rules' date parsing, so a rule command such as `meerzorg toets` still starts fast."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from deployments.errors import CliFout
from models.dates import parse_datum


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        command = self.prog.removeprefix("meerzorg").strip()
        raise CliFout(f"{command}: {message}" if command else message)


def datum(text: str) -> dt.date:
    try:
        return parse_datum(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def read_json_file(path: str, what: str) -> str:
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.is_file():
        raise CliFout(f"{what} file '{path}' does not exist")
    try:
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliFout(f"cannot read {what} file '{path}': {exc}") from None
