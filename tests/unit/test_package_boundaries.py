"""Packages that say what they hold (issue 11), checked on the source with `ast`; nothing is
imported. Every import counts, at module level and inside functions alike (a lazy import
is still a dependency); only imports under `if TYPE_CHECKING:` do not, as they never run.

- no module imports a private name (`_name`) from another project module;
- no import cycle among the project's modules;
- the pure rule modules of models/ reach no I/O or orchestration library, not even
  through another project module;
- imports are written out, so these checks see them all (no `importlib.import_module`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("models", "tasks", "flows", "deployments")

# Packages whose modules are still being moved around (issue 11): their checks of private
# names and pure rules may fail until the move is done. Take a package out once it is.
BEING_MOVED: tuple[str, ...] = ()

# Import cycles known and still to be broken, each as the set of its modules; any other
# cycle fails. Take a cycle out once it is broken.
KNOWN_CYCLES: tuple[frozenset[str], ...] = ()

# The parts of models/ that are not pure rules: the case database (models/db/: tables, the
# engine's apply, the data functions, migrations, the card read from the database) and the
# settings read from the environment.
MODELS_NOT_RULES = ("models.db", "models.settings")

# What a pure rule never imports: orchestration, database, HTTP, notification, plotting.
IO_LIBRARIES = frozenset(
    {"prefect", "sqlalchemy", "sqlmodel", "alembic", "httpx", "apprise", "matplotlib"}
)

MOVING = pytest.mark.xfail(strict=False, reason="issue 11: being moved")


def _param(package: str):
    return pytest.param(package, marks=MOVING) if package in BEING_MOVED else package


@dataclass(frozen=True)
class Import:
    importer: str  # the project module that imports
    line: int
    target: str  # a project module, or the top-level name of a library
    name: str | None  # the name imported from a project module (`from target import name`)
    project: bool


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _project_module(name: str) -> str | None:
    """The project module `import name` loads: name itself or its nearest parent module."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool):
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.imports: list[Import] = []
        self.dynamic: list[int] = []

    def _add(self, line: int, dotted: str, name: str | None = None) -> None:
        target = _project_module(dotted)
        if target is None:
            self.imports.append(Import(self.module, line, dotted.split(".")[0], None, False))
        elif target != self.module:
            self.imports.append(Import(self.module, line, target, name, True))

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node.lineno, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.package.split(".")
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(parts + ([base] if base else []))
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in modules():  # `from package import module`
                self._add(node.lineno, submodule)
            else:
                self._add(node.lineno, base, alias.name)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if called in ("import_module", "__import__"):
            self.dynamic.append(node.lineno)
        self.generic_visit(node)


@cache
def _collected(module: str) -> _Collector:
    path = modules()[module]
    collector = _Collector(module, path.name == "__init__.py")
    collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return collector


def imports_of(module: str) -> list[Import]:
    return _collected(module).imports


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _where(i: Import) -> str:
    return f"{modules()[i.importer].relative_to(ROOT)}:{i.line}"


def test_the_packages_are_found():
    for package in PACKAGES:
        assert any(_in_package(m, package) for m in modules()), package


@pytest.mark.parametrize("package", [_param(p) for p in PACKAGES])
def test_no_private_name_is_imported_from_another_module(package):
    found = [
        f"{_where(i)}: from {i.target} import {i.name}"
        for module in modules()
        if _in_package(module, package)
        for i in imports_of(module)
        if i.project and i.name and i.name.startswith("_") and not i.name.startswith("__")
    ]
    assert not found, "private names imported across modules:\n" + "\n".join(found)


def _cycles() -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = {m: sorted({i.target for i in imports_of(m) if i.project}) for m in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(frozenset(component))

    for module in graph:
        if module not in index:
            visit(module)
    return components


def _describe(cycle: frozenset[str]) -> str:
    edges = {
        f"  {_where(i)}: {i.importer} -> {i.target}": None
        for module in sorted(cycle)
        for i in imports_of(module)
        if i.project and i.target in cycle
    }
    return "\n".join(edges)


def test_no_import_cycle_but_the_known_ones():
    new = [c for c in _cycles() if not any(c <= known for known in KNOWN_CYCLES)]
    assert not new, "import cycles:\n" + "\n\n".join(_describe(c) for c in new)


@pytest.mark.parametrize(
    "known", [pytest.param(c, marks=MOVING, id="-".join(sorted(c))) for c in KNOWN_CYCLES]
)
def test_known_import_cycle_is_broken(known):
    left = [c for c in _cycles() if c & known]
    assert not left, "import cycle still there:\n" + "\n\n".join(_describe(c) for c in left)


def rule_modules() -> list[str]:
    return [
        m
        for m in modules()
        if _in_package(m, "models")
        and m != "models"
        and not any(_in_package(m, other) for other in MODELS_NOT_RULES)
    ]


def test_the_rules_in_models_import_no_io_library():
    found = {}  # (rule, library): how the rule reaches it
    for rule in rule_modules():
        seen, todo = {rule: [rule]}, [rule]
        while todo:
            module = todo.pop(0)  # breadth first: the shortest chain is reported
            for i in imports_of(module):
                if not i.project and i.target in IO_LIBRARIES:
                    chain = " -> ".join(seen[module])
                    found.setdefault((rule, i.target), f"{chain} imports {i.target} ({_where(i)})")
                elif i.project and i.target not in seen:
                    seen[i.target] = [*seen[module], i.target]
                    todo.append(i.target)
    assert rule_modules(), "no rule modules found in models/"
    assert not found, "rules that reach an I/O library:\n" + "\n".join(found.values())


# The imports named at run time: the crash drills' killer, named by the environment
# (MEERZORG_CRASH_HOOK), so that production code names no test module; and the simple case
# kinds, found as packages under models/soorten/ or named in MEERZORG_SOORTEN (issue 24: a
# new kind is one package, listed nowhere). Their own modules are checked like any other.
DYNAMIC_ALLOWED = frozenset({"tasks.crashpunt", "models.soorten"})


def test_imports_are_written_out():
    found = [
        f"{modules()[m].relative_to(ROOT)}:{line}"
        for m in modules()
        if m not in DYNAMIC_ALLOWED
        for line in _collected(m).dynamic
    ]
    assert not found, "dynamic imports (list the modules instead):\n" + "\n".join(found)


def test_production_code_imports_no_test_code():
    """Issue 24: tasks/crashpunt.py imported tests.reliability.faults."""
    found = [
        f"{modules()[m].relative_to(ROOT)}:{i.line} imports {i.target}"
        for m in modules()
        for i in imports_of(m)
        if i.target == "tests"
    ]
    assert not found, "\n".join(found)


# Issue 24: the queries live in models/db/ (functions that take the caller's session); the
# rest calls them. A query is a call of select, update, delete or insert imported from
# sqlmodel or sqlalchemy (under any alias, or as an attribute of the imported module); a
# local function of the same name does not count.
QUERY_FUNCTIONS = frozenset({"select", "update", "delete", "insert"})
QUERY_LIBRARIES = ("sqlmodel", "sqlalchemy")
QUERY_HOME = "models/db/"


def _from_query_library(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in QUERY_LIBRARIES


def query_calls(path: Path) -> list[int]:
    """The lines of the calls of a query function imported from sqlmodel or sqlalchemy."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    functions: set[str] = set()  # local names of the query functions
    libraries: set[str] = set()  # local names of the libraries and their modules
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and _from_query_library(node.module):
            for alias in node.names:
                if alias.name in QUERY_FUNCTIONS:
                    functions.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _from_query_library(alias.name):
                    libraries.add(alias.asname or alias.name.split(".")[0])
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in functions:
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in QUERY_FUNCTIONS:
            base = func.value
            while isinstance(base, ast.Attribute):  # sqlalchemy.sql.expression.select
                base = base.value
            if isinstance(base, ast.Name) and base.id in libraries:
                lines.append(node.lineno)
    return sorted(lines)


def query_files() -> list[str]:
    """The project's .py files outside models/db/, as paths relative to the root."""
    return [
        rel
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if not (rel := path.relative_to(ROOT).as_posix()).startswith(QUERY_HOME)
    ]


def test_query_calls_are_found():
    """The finder itself: an imported select (also aliased, or through the module) counts, a
    local function named update or a dict's update does not."""
    import tempfile

    source = (
        "import sqlalchemy as sa\n"
        "from sqlmodel import select\n"
        "from sqlalchemy.dialects.postgresql import insert as pg_insert\n"
        "def update(x):\n"
        "    return x\n"
        "select(1)\n"
        "pg_insert(2)\n"
        "sa.delete(3)\n"
        "update(4)\n"
        "{}.update(a=5)\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "voorbeeld.py"
        path.write_text(source, encoding="utf-8")
        assert query_calls(path) == [6, 7, 8]


def test_queries_live_in_models_db():
    files = query_files()
    assert "tasks/zaak.py" in files and not any(f.startswith(QUERY_HOME) for f in files)
    found = [f"{rel}:{line}" for rel in files for line in query_calls(ROOT / rel)]
    assert not found, (
        "queries outside models/db/ (move them to a function there that takes the caller's "
        "session):\n" + "\n".join(found)
    )
