"""Provenance checks: locators found verbatim in their sources, and inventory coverage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path as FsPath

from realpolitik.scenario._resolve import ID_PATTERN, elements
from realpolitik.scenario._schema import ContextNote, ScenarioSpec
from realpolitik.scenario._yaml import format_path

__all__ = ["LocatorCheck", "CoverageRow", "find_source", "check_locators", "coverage", "read_inventory", "normalise_text"]


@dataclass(frozen=True)
class LocatorCheck:
    """Whether one element's locator was found in its source.

    Attributes:
        path: the element's field path.
        source: the source key.
        locator: the fragment looked for.
        found: ``True`` found, ``False`` not found, ``None`` the source could not be read.
        file: the file that was searched, if any.
        offset: character offset of the match in the source text.
    """

    path: str
    source: str
    locator: str
    found: bool | None
    file: str | None
    offset: int | None = None


@dataclass(frozen=True)
class CoverageRow:
    """How the scenario accounts for one inventory ID."""

    id: str
    title: str
    status: str  # "modelled", "context" or "missing"
    elements: tuple[str, ...]
    reason: str | None


def normalise_text(text: str) -> str:
    """Collapse runs of white space so a locator may be wrapped differently."""
    return re.sub(r"\s+", " ", text).strip()


def find_source(file: str, scenario_dir: FsPath | None, sources_dir: FsPath | None) -> FsPath | None:
    """Where a source file is: in ``sources_dir`` by its base name if given, else
    relative to the scenario's folder or the working directory or one of their parents."""
    candidates: list[FsPath] = []
    if sources_dir is not None:
        candidates.append(sources_dir / FsPath(file).name)
    else:
        # The scenario's folder and the working directory, then their parents: a
        # project keeps its sources beside it, wherever the package is installed.
        for base in (scenario_dir, FsPath.cwd()):
            if base is not None:
                base = base.resolve()
                candidates += [folder / file for folder in (base, *base.parents)]
    for c in candidates:
        if c.is_file():
            return c
    return None


def check_locators(spec: ScenarioSpec, scenario_dir: FsPath | None, sources_dir: FsPath | None) -> list[LocatorCheck]:
    """Look for every locator verbatim (white space aside) in its cited source."""
    texts: dict[str, tuple[str | None, FsPath | None]] = {}
    for key, src in spec.sources.items():
        found = find_source(src.file, scenario_dir, sources_dir) if src.file else None
        text = None
        if found is not None:
            try:
                text = normalise_text(found.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                found = None
        texts[key] = (text, found)
    out = []
    items = [(format_path(p), e.source, e.locator) for p, e in elements(spec)]
    items += [
        (f"context.{cid}", n.source, n.locator) for cid, n in spec.context.items() if isinstance(n, ContextNote)
    ]
    for path, source, locator in items:
        if source is None or locator is None or source not in texts:
            continue
        text, file = texts[source]
        if text is None:
            out.append(LocatorCheck(path, source, locator, None, None))
            continue
        at = text.find(normalise_text(locator))
        out.append(LocatorCheck(path, source, locator, at >= 0, str(file), at if at >= 0 else None))
    return out


def read_inventory(path: FsPath) -> dict[str, str]:
    """Inventory IDs and titles from a Markdown inventory.

    Table rows whose first cell is an ID (``| V2 | oil price | ...``) and lines that
    list IDs inline (``H1 Russo-Persian wars; H2 ...``) are read.
    """
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and len(cells) >= 2 and ID_PATTERN.match(cells[0]):
            out[cells[0]] = cells[1]
            continue
        if re.match(r"^[A-Z]\d+\s", line.strip()):
            for m in re.finditer(r"(?:^|;\s*)([A-Z]\d+)\s+([^;]+)", line.strip()):
                out[m.group(1)] = m.group(2).strip().rstrip(".")
    return out


def coverage(spec: ScenarioSpec, inventory: dict[str, str] | None = None) -> list[CoverageRow]:
    """Each inventory ID: modelled (by which elements), context (why), or missing."""
    inventory = dict(spec.inventory) if inventory is None else inventory
    by_id: dict[str, list[str]] = {}
    for path, element in elements(spec):
        for cid in element.cites:
            by_id.setdefault(cid, []).append(format_path(path))
    rows = []
    for cid in sorted(inventory, key=_id_order):
        if cid in by_id:
            rows.append(CoverageRow(cid, inventory[cid], "modelled", tuple(by_id[cid]), None))
        elif cid in spec.context:
            note = spec.context[cid]
            reason = note.reason if isinstance(note, ContextNote) else note
            rows.append(CoverageRow(cid, inventory[cid], "context", (), reason))
        else:
            rows.append(CoverageRow(cid, inventory[cid], "missing", (), None))
    return rows


def _id_order(cid: str) -> tuple[int, str, int]:
    letters = re.match(r"[A-Z]+", cid).group(0)  # type: ignore[union-attr]
    order = "AVMDIQFH"
    return (order.index(letters) if letters in order else len(order), letters, int(cid[len(letters):]))
