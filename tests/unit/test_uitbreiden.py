"""docs/uitbreiden.md, the checklists for a new wait and a new case kind, kept true (issue 24):
the files it names exist, the names it puts in backticks are defined in the project, it
explains every field of a wait's and of a kind's declaration (a simple kind's too), and a
simple kind's steps stay inside its package."""

from __future__ import annotations

import ast
import dataclasses
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ROOT / "docs" / "uitbreiden.md"
PAKKETTEN = ("models", "tasks", "flows", "deployments")
PYTHON = frozenset({"Literal"})  # the language's own names the checklist uses


def tekst() -> str:
    return CHECKLIST.read_text(encoding="utf-8")


def in_backticks() -> list[str]:
    return re.findall(r"`([^`]+)`", tekst())


@cache
def gedefinieerd() -> frozenset[str]:
    """Every class, function, module-level name and class attribute of the project."""
    namen: set[str] = set()
    for pakket in PAKKETTEN:
        for pad in (ROOT / pakket).rglob("*.py"):
            for node in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    namen.add(node.name)
                elif isinstance(node, ast.Assign):
                    namen.update(t.id for t in node.targets if isinstance(t, ast.Name))
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    namen.add(node.target.id)
    return frozenset(namen)


def test_every_file_the_checklist_names_exists():
    paden = [t for t in in_backticks() if re.fullmatch(r"[\w/]+\.(py|md|yaml)", t)]
    assert len(paden) > 10
    assert [p for p in paden if not (ROOT / p).exists()] == []


def test_every_name_in_backticks_is_defined_in_the_project():
    namen = [t for t in in_backticks() if re.fullmatch(r"[A-Za-z_][\w.]*", t) and "." not in t]
    namen += [
        deel for t in in_backticks() if re.fullmatch(r"[A-Z]\w*\.\w+", t) for deel in t.split(".")
    ]
    assert len(namen) > 20
    assert sorted(set(namen) - gedefinieerd() - PYTHON) == []


def _uitgelegd() -> set[str]:
    """The names of the checklist's field lists: `- `naam`:` or `- `a` and `b`:`."""
    paren = re.findall(r"^\s+- `(\w+)`(?: and `(\w+)`)?:", tekst(), re.M)
    return {naam for paar in paren for naam in paar if naam}


def test_every_field_of_a_wait_is_explained():
    from models.engine import Wacht

    assert {f.name for f in dataclasses.fields(Wacht)} <= _uitgelegd()


def test_every_field_of_a_kind_at_run_time_is_explained():
    from tasks.soorten import Gevalsoort

    assert {f.name for f in dataclasses.fields(Gevalsoort)} <= _uitgelegd()


def test_every_field_of_a_simple_kinds_declaration_is_explained():
    """Issue 24: a simple kind is one package; its declaration is the whole checklist."""
    from models.eenvoudige_soort import EenvoudigeSoort

    assert {f.name for f in dataclasses.fields(EenvoudigeSoort)} <= _uitgelegd()


def test_a_simple_kind_needs_no_file_outside_its_package():
    """The generic path's step list names no table, migration, store, flow or registry entry
    to write: those are the specific path's, which comes after it."""
    kind = tekst().split("## Add a case kind", 1)[1]
    eenvoudig, specifiek = kind.split("No table, no migration", 1)
    assert "models/soorten/<naam>/" in eenvoudig and "`Gevalsoort` in `REGISTER`" in specifiek
    stappen = re.findall(r"^\d+\. \*\*(.+?)\*\*", eenvoudig, re.M)
    assert len(stappen) >= 3
    for stap in stappen:
        assert not re.search(r"table|migration|store|flows/ module", stap, re.I), stap


def test_every_argument_of_a_kinds_declaration_is_named_in_its_step():
    from models.engine import Soort

    for veld in dataclasses.fields(Soort):
        assert f"{veld.name}=" in tekst(), veld.name
