"""The documentation stays a manual that the code can point into: the README short, every
cited Markdown file present, every cited section of DOMAIN.md/DESIGN.md/README there, every
relative link in README.md and docs/*.md resolving, every finding code in DOMAIN.md's table
(docs/changelog.md, issue 24 item 7).

Plain file reads: no server, no imports of the system."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 300

# Directories that are not the repository's own text: environments, caches, data.
SKIP_DIRS = {"node_modules", "__pycache__"}
# Markdown files the code names but does not ship: outputs it writes at run time.
GENERATED = {
    "rapport.md": "written by `meerzorg rapport` into its output directory (tasks/rapport_uitvoer.py)",
}

MD_NAME = re.compile(r"(?<![\w.-])([\w.-]*\w\.md)\b")
# "DOMAIN.md §9", "DESIGN.md, §12", "[DESIGN.md](DESIGN.md) §6–§8": the first number counts.
SECTION_CITE = re.compile(r"\b(DOMAIN|DESIGN)\.md\)?,?\s*§\s*(\d+)")
# DOMAIN.md "Privacy", DOMAIN.md ("Stable interfaces")
NAMED_DOC_CITE = re.compile(r'\b(DOMAIN|DESIGN)\.md[\s#,(]*"([A-Za-z][^"\n]*)"')
# README, "Tests" / README "Production" / the README's "Dashboard" / README ("Settings")
README_QUOTED = re.compile(r'\bREADME(?:\'s)?[\s#,(]*"([A-Za-z][^"\n]*)"')
# (README, Production) / (README, production)
README_BARE = re.compile(r"\bREADME,\s+([A-Za-z][A-Za-z ]*?)\)")
# A numbered section heading: "## 9. The yearly meerzorgdialoog".
NUMBERED_HEADING = re.compile(r"^##\s+(\d+)\.\s+(.+?)\s*$", re.MULTILINE)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")


def repo_files() -> list[Path]:
    """Every file of the checkout except hidden directories (.git, .venv, caches, .data)."""
    out = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS]
        out += [Path(folder, f) for f in files]
    return out


def text_files() -> list[Path]:
    """The files whose references are checked: Python, Markdown, YAML and the Makefile."""
    return [
        p
        for p in repo_files()
        if p.suffix in {".py", ".md", ".yaml", ".yml"} or p.name == "Makefile"
    ]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def headings(text: str) -> list[str]:
    """The headings' text, inline code kept as its words."""
    return [h.strip("#").strip().replace("`", "") for h in HEADING.findall(strip_fences(text))]


def numbered_sections(text: str) -> dict[int, str]:
    return {int(n): t.replace("`", "") for n, t in NUMBERED_HEADING.findall(strip_fences(text))}


def strip_fences(text: str) -> str:
    """Markdown without its fenced code blocks (their `#` lines are not headings)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def strip_code(text: str) -> str:
    """Markdown without code, fenced or inline (their brackets are not links)."""
    return re.sub(r"`[^`\n]*`", "", strip_fences(text))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def section_of(text: str, title: str) -> str:
    """The text under the `## title` heading, up to the next heading of that level."""
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert m, f"README.md has no '## {title}' section"
    return m.group(1)


def missing_md_files(files: list[Path], existing: set[str]) -> list[str]:
    """'file: name' for every *.md name mentioned in `files` that no file of the repo has."""
    out = []
    for path in files:
        for name in sorted(set(MD_NAME.findall(read(path)))):
            base = name.rsplit("/", 1)[-1]
            if base not in existing and base not in GENERATED:
                out.append(f"{path.relative_to(ROOT)}: {name}")
    return out


def bad_section_citations(files: list[Path], docs: dict[str, str]) -> list[str]:
    """Citations of DOMAIN.md/DESIGN.md sections (by number or by name) that do not exist."""
    out = []
    for path in files:
        text = read(path)
        for doc, n in SECTION_CITE.findall(text):
            if int(n) not in numbered_sections(docs[doc]):
                out.append(f"{path.relative_to(ROOT)}: {doc}.md §{n}")
        for doc, name in NAMED_DOC_CITE.findall(text):
            titles = [t.lower() for t in numbered_sections(docs[doc]).values()]
            if not any(name.lower() in t for t in titles):
                out.append(f'{path.relative_to(ROOT)}: {doc}.md "{name}"')
    return out


def bad_readme_citations(files: list[Path], readme: str) -> list[str]:
    """Sections of the README cited by name ('README, "Tests"') that it does not have."""
    titles = [h.lower() for h in headings(readme)]
    out = []
    for path in files:
        text = read(path)
        names = README_QUOTED.findall(text) + README_BARE.findall(text)
        for name in names:
            if not any(t.startswith(name.lower().strip()) for t in titles):
                out.append(f'{path.relative_to(ROOT)}: README "{name}"')
    return out


def broken_links(pages: list[Path]) -> list[str]:
    """Relative links (and their #anchors) of the pages that point at nothing."""
    out = []
    for page in pages:
        for target in LINK.findall(strip_code(read(page))):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            ziel, _, anker = target.partition("#")
            doel = (page.parent / ziel).resolve() if ziel else page
            if not doel.exists():
                out.append(f"{page.relative_to(ROOT)}: {target}")
            elif anker and doel.suffix == ".md":
                if anker not in {slug(h) for h in headings(read(doel))}:
                    out.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    return out


def doc_texts() -> dict[str, str]:
    return {"DOMAIN": read(DOCS / "DOMAIN.md"), "DESIGN": read(DOCS / "DESIGN.md")}


def test_the_readme_is_a_manual_of_fewer_than_300_lines():
    lines = read(README).splitlines()
    assert len(lines) < MAX_README_LINES, (
        f"README.md has {len(lines)} lines; move detail into docs/ (README, 'Documentation')"
    )


def test_every_markdown_file_named_in_the_repository_exists():
    existing = {p.name for p in repo_files() if p.suffix == ".md"}
    assert {"DOMAIN.md", "DESIGN.md"} <= existing
    assert missing_md_files(text_files(), existing) == []


def test_every_cited_section_of_domain_and_design_exists():
    docs = doc_texts()
    # The numbered sections are 1, 2, 3, … without gaps, so a number names one section.
    for doc, text in docs.items():
        nummers = sorted(numbered_sections(text))
        assert nummers == list(range(1, len(nummers) + 1)), f"{doc}.md sections: {nummers}"
    assert bad_section_citations(text_files(), docs) == []
    # The citation the code makes most: the meerzorgdialoog is DOMAIN.md §9.
    assert "meerzorgdialoog" in numbered_sections(docs["DOMAIN"])[9]


def test_every_section_of_the_readme_cited_by_name_exists():
    assert bad_readme_citations(text_files(), read(README)) == []


def test_every_relative_link_in_the_readme_and_docs_resolves():
    pages = [README, *sorted(DOCS.glob("*.md"))]
    assert broken_links(pages) == []


def test_the_quickstart_is_still_make_demo_and_make_test():
    quickstart = section_of(read(README), "Quickstart")
    commands = re.findall(r"^(make \w+)", quickstart, re.MULTILINE)
    assert commands == ["make demo", "make test"]
    makefile = read(ROOT / "Makefile")
    assert re.search(r"^demo:", makefile, re.MULTILINE) and re.search(
        r"^test:", makefile, re.MULTILINE
    )


def test_every_finding_code_of_the_toets_has_its_line_in_domain_md():
    # models/bevinding.AARD lists every code the toets produces, with its source.
    aard = read(ROOT / "models" / "bevinding.py")
    codes = set(re.findall(r'^\s+"([A-Z][A-Z0-9_]+)": \("(?:volledigheid|inhoud)"', aard, re.M))
    assert len(codes) > 10
    domain = read(DOCS / "DOMAIN.md")
    assert sorted(c for c in codes if f"| `{c}` |" not in domain) == []
