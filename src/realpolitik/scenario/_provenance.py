"""Provenance checks: locators found verbatim in their sources, and inventory coverage.

A scenario may come from an untrusted hand, so the source files it names are read
only from the folders it may read (:func:`source_roots`): its own folder and below
(for a source declared in a file it extends, that file's folder), the bundled
scenarios' folder, the shared sources folder the bundled scenarios name, a
``--sources`` folder and any ``--allow-path`` the user gives. A file found only
elsewhere (a symbolic link counts where it leads) is reported, never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path as FsPath

from realpolitik.scenario._resolve import ID_PATTERN, elements
from realpolitik.scenario._schema import ContextNote, ScenarioSpec
from realpolitik.scenario._yaml import format_path

__all__ = [
    "LocatorCheck",
    "CoverageRow",
    "SourceFile",
    "SHARED_SOURCES",
    "MAX_SOURCE_BYTES",
    "source_roots",
    "read_source",
    "find_source",
    "find_locators",
    "check_locators",
    "coverage",
    "read_inventory",
    "normalise_text",
]

#: The folder the bundled scenarios' sources are in, as they name it: relative to the
#: bundled scenarios' folder or the working directory, or a folder above either (a
#: project keeps its sources beside it, wherever the package is installed).
SHARED_SOURCES = FsPath("..", "shared", "sources")
#: The shared news corpora: a bundled scenario's log cites the dated facts it holds
#: (by a few words), so they are read from the same places as the sources.
SHARED_NEWS = FsPath("..", "shared", "data", "news")

#: The largest source text read (a source is an article or a report, not a data dump).
MAX_SOURCE_BYTES = 20_000_000


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
    """How the scenario accounts for one inventory ID.

    Attributes:
        id: the inventory ID.
        title: its title in the inventory.
        status: ``modelled`` (an element citing it reaches a question), ``observed``
            (observed only: the elements citing it reach no question, but one can move
            answers through an indicator when the runs are conditioned on news),
            ``context`` (a context note says why it is not modelled), ``decorative``
            (elements cite it, but none can change any answer) or ``missing``.
        elements: the field paths of the elements citing it.
        reason: the context note's reason.
        decorative: those of ``elements`` that can change no answer.
        observed: those of ``elements`` that change answers only through indicators.
    """

    id: str
    title: str
    status: str
    elements: tuple[str, ...]
    reason: str | None
    decorative: tuple[str, ...] = ()
    observed: tuple[str, ...] = ()


def normalise_text(text: str) -> str:
    """Collapse runs of white space so a locator may be wrapped differently."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class SourceFile:
    """What became of one declared source's file.

    Attributes:
        key: the source's key in ``sources``.
        path: the file read, or found only outside the allowed folders (``outside``);
            ``None`` when no file was found.
        text: the file's text, white space normalised; ``None`` when it was not read.
        outside: the file was found only outside the folders the scenario may read,
            and was not read.
        reason: why ``text`` is ``None``, in words.
    """

    key: str
    path: FsPath | None
    text: str | None
    outside: bool = False
    reason: str | None = None


def _real(path: FsPath) -> FsPath | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return None


def source_roots(sources_dir: FsPath | str | None = None, allow: Iterable[FsPath | str] = ()) -> tuple[FsPath, ...]:
    """The folders any scenario may read source files from, besides its own folder:
    the bundled scenarios' folder, the shared sources and news folders they name
    (:data:`SHARED_SOURCES` and :data:`SHARED_NEWS` from the bundled folder or the working directory, or a
    folder above either), ``sources_dir`` and the ``allow`` paths. Resolved: a link
    counts where it leads.

    Example:
        >>> import pathlib
        >>> pathlib.Path("/tmp").resolve() in source_roots(allow=["/tmp"])
        True
    """
    bundled = FsPath(str(resources.files("realpolitik") / "scenarios"))
    roots: list[FsPath | None] = [_real(bundled)]
    for base in (_real(bundled), _real(FsPath.cwd())):
        if base is not None:
            roots += [_real(folder / shared) for folder in (base, *base.parents) for shared in (SHARED_SOURCES, SHARED_NEWS)]
    roots += [_real(FsPath(p)) for p in ([sources_dir] if sources_dir is not None else [])]
    roots += [_real(FsPath(p)) for p in allow]
    return tuple(dict.fromkeys(r for r in roots if r is not None))


def _inside(path: FsPath, folders: Iterable[FsPath]) -> bool:
    real = _real(path)
    return real is not None and any(real.is_relative_to(folder) for folder in folders)


def _is_file(path: FsPath) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _candidates(file: str, scenario_dir: FsPath | None, sources_dir: FsPath | None) -> list[FsPath]:
    """Where a source file may be: in ``sources_dir`` by its base name if given, then
    relative to the scenario's folder or the working directory or one of their parents
    (a source that is not an article, e.g. a news corpus a log cites, is not in the
    sources folder)."""
    candidates: list[FsPath] = [FsPath(sources_dir) / FsPath(file).name] if sources_dir is not None else []
    for base in (scenario_dir, FsPath.cwd()):
        real = _real(base) if base is not None else None
        if real is not None:
            candidates += [folder / file for folder in (real, *real.parents)]
    return candidates


def _locate(file: str, scenario_dir: FsPath | None, sources_dir: FsPath | None, roots: tuple[FsPath, ...]) -> tuple[FsPath | None, FsPath | None]:
    """The first candidate inside the allowed folders, and else the first one outside them."""
    own = _real(scenario_dir) if scenario_dir is not None else None
    allowed = (*roots, own) if own is not None else roots
    outside = None
    for candidate in _candidates(file, scenario_dir, sources_dir):
        if not _is_file(candidate):
            continue
        if _inside(candidate, allowed):
            return candidate, None
        outside = outside or candidate
    return None, outside


def read_source(key: str, file: str | None, scenario_dir: FsPath | None, sources_dir: FsPath | None, roots: tuple[FsPath, ...]) -> SourceFile:
    """Find and read one source's file, only from ``scenario_dir`` (the folder of the
    file that declares the source) and below, or from one of ``roots``
    (:func:`source_roots`); a file found only elsewhere is reported, not read."""
    if not file:
        return SourceFile(key, None, None, reason="no file given")
    found, outside = _locate(file, scenario_dir, sources_dir, roots)
    if found is None:
        if outside is not None:
            return SourceFile(key, outside, None, outside=True, reason="outside the folders the scenario may read")
        return SourceFile(key, None, None, reason="file not found")
    real = _real(found) or found  # read what was checked, not a link swapped since
    try:
        with real.open("rb") as f:
            raw = f.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        return SourceFile(key, found, None, reason=f"cannot be read: {exc.strerror or exc}")
    if len(raw) > MAX_SOURCE_BYTES:
        return SourceFile(key, found, None, reason=f"larger than {MAX_SOURCE_BYTES:,} bytes")
    return SourceFile(key, found, normalise_text(raw.decode("utf-8", errors="replace")))


def find_source(
    file: str, scenario_dir: FsPath | None, sources_dir: FsPath | None, *, allow: Iterable[FsPath | str] = ()
) -> FsPath | None:
    """Where a source file is (see :func:`read_source`), ``None`` when it is not found
    in the folders the scenario may read."""
    return _locate(file, scenario_dir, sources_dir, source_roots(sources_dir, allow))[0]


def check_locators(
    spec: ScenarioSpec,
    scenario_dir: FsPath | None = None,
    sources_dir: FsPath | None = None,
    *,
    allow: Iterable[FsPath | str] = (),
    files: Mapping[str, SourceFile] | None = None,
) -> list[LocatorCheck]:
    """Look for every locator verbatim (white space aside) in its cited source: in
    ``files`` when given (``Scenario.read_sources``), else read from the folders the
    scenario may read (see :func:`read_source`)."""
    if files is None:
        roots = source_roots(sources_dir, allow)
        files = {key: read_source(key, src.file, scenario_dir, sources_dir, roots) for key, src in spec.sources.items()}
    return find_locators(spec, files)


def find_locators(spec: ScenarioSpec, files: Mapping[str, SourceFile]) -> list[LocatorCheck]:
    """Look for every locator verbatim (white space aside) in the text of its cited
    source, as read into ``files``."""
    texts = {key: (f.text, f.path if f.text is not None else None) for key, f in files.items()}
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


def coverage(spec: ScenarioSpec, inventory: dict[str, str] | None = None, reach: Mapping[str, str] | None = None) -> list[CoverageRow]:
    """Each inventory ID: modelled (by which elements), observed only, context (why),
    decorative, or missing.

    Args:
        spec: the scenario.
        inventory: ID -> title to report on; the scenario's own ``inventory`` when ``None``.
        reach: element path -> ``modelled``, ``observed`` or ``decorative``
            (``_reach.reach(spec, model).by_path()``). An ID is modelled only when an
            element citing it is; observed when the best of them is observed only;
            else context when a context note explains it, else decorative. Without
            ``reach`` (a file with errors has no model to trace) every cited ID counts
            as modelled.
    """
    inventory = dict(spec.inventory) if inventory is None else inventory
    by_id: dict[str, list[str]] = {}
    for path, element in elements(spec):
        for cid in element.cites:
            by_id.setdefault(cid, []).append(format_path(path))
    rows = []
    for cid in sorted(inventory, key=_id_order):
        cited = tuple(by_id.get(cid, ()))
        status_of = {p: (reach.get(p, "modelled") if reach is not None else "modelled") for p in cited}
        decorative = tuple(p for p in cited if status_of[p] == "decorative")
        observed = tuple(p for p in cited if status_of[p] == "observed")
        note = spec.context.get(cid)
        reason = note.reason if isinstance(note, ContextNote) else note
        if any(s == "modelled" for s in status_of.values()):
            status = "modelled"
        elif observed:
            status = "observed"
        elif cid in spec.context:
            status = "context"
        elif cited:
            status = "decorative"
        else:
            status = "missing"
        rows.append(CoverageRow(cid, inventory[cid], status, cited, reason if status == "context" else None, decorative, observed))
    return rows


def _id_order(cid: str) -> tuple[int, str, int]:
    """Inventory IDs in the inventory's order (A, V, M, D, I, Q, F, H, then the rest by
    their letters and number); a key not of that form sorts last, by its text."""
    order = "AVMDIQFH"
    m = re.fullmatch(r"([A-Z]+)(\d{1,9})", str(cid))
    if m is None:
        return (len(order) + 1, str(cid), 0)
    letters = m.group(1)
    return (order.index(letters) if letters in order else len(order), letters, int(m.group(2)))
