"""The assumption table: every element of a scenario with its provenance and source passage.

A reader checks an assumption by reading the words it rests on, so beside each
element's locator the table shows about 300 characters of the cited source around it,
the locator marked. The passage is cut from the same white-space-normalised text that
``realpolitik check`` searched, at the offset it found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from realpolitik.scenario import check_locators, elements
from realpolitik.scenario import SECTION_KINDS, ContextNote, ScenarioSpec
from realpolitik.scenario import format_path
from realpolitik.scenario import normalise_text

if TYPE_CHECKING:
    from realpolitik.scenario._provenance import SourceFile

__all__ = ["Passage", "Assumption", "SourceRow", "assumptions", "passage", "sources"]

#: Characters of source shown on each side of a locator.
CONTEXT_CHARS = 140


@dataclass(frozen=True)
class Passage:
    """A stretch of source text split around the locator it contains."""

    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Assumption:
    """One row of the assumption table.

    Attributes:
        path: the element's field path (``actors.russia.decisions.russia_posture``).
        kind: what the element is (``parameter``, ``variable (levels)``, ``option`` ...).
        cites: the inventory IDs it models.
        source: the source key, and the source's title when it has one.
        locator: the quoted fragment, if any.
        rationale: why the element is written so (a context note's reason).
        status: ``found`` (``passage`` is set), ``not_found`` (the source was read but
            the locator is not in it), ``unreachable`` (the source file could not be
            read), ``outside`` (the file lies outside the folders the scenario may
            read, and was not read) or ``no_source`` (the element quotes no source).
        passage: the source around the locator, when found.
    """

    path: str
    kind: str
    cites: tuple[str, ...]
    source: str | None
    source_title: str | None
    locator: str | None
    rationale: str | None
    status: str
    passage: Passage | None


@dataclass(frozen=True)
class SourceRow:
    """A source the scenario cites, and whether its text could be read."""

    key: str
    title: str | None
    date: str | None
    url: str | None
    file: str | None
    reachable: bool
    outside: bool = False


def passage(text: str, offset: int, locator: str, context: int = CONTEXT_CHARS) -> Passage:
    """The stretch of normalised ``text`` around ``locator`` found at ``offset``, cut at
    word boundaries, with an ellipsis where it is cut.

    Example:
        >>> p = passage("one two three four five six seven", 14, "four", context=6)
        >>> (p.before, p.match, p.after)
        ('… three ', 'four', ' five …')
    """
    match = normalise_text(locator)
    end_match = offset + len(match)
    start = max(0, offset - context)
    end = min(len(text), end_match + context)
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, offset)
        start = space + 1 if space >= 0 else start
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", end_match, end)
        end = space if space >= 0 else end
    # A cut just after a sentence would open on its full stop: "… . Both nations".
    before = ("… " + text[start:offset].lstrip(" .,;:") if start > 0 else text[start:offset])
    after = text[end_match:end].rstrip() + (" …" if end < len(text) else "")
    return Passage(before, text[offset:end_match], after)


def _kind(path: tuple[Any, ...], element: Any) -> str:
    section = str(path[0])
    if section == "actors":
        if len(path) == 4:
            return "interest" if path[2] == "interests" else "decision"
        return "option" if len(path) == 6 else "actor"
    kind = SECTION_KINDS.get(section, section)
    detail = getattr(element, "type", None) if section == "variables" else getattr(element, "kind", None) if section == "questions" else None
    return f"{kind} ({detail})" if detail else kind


def sources(spec: ScenarioSpec, files: Mapping[str, SourceFile]) -> list[SourceRow]:
    """Every declared source, with whether its file was read (``files``, from
    ``Scenario.read_sources``)."""
    return [
        SourceRow(
            key,
            src.title,
            src.date.isoformat() if src.date else None,
            src.url,
            src.file,
            key in files and files[key].text is not None,
            key in files and files[key].outside,
        )
        for key, src in spec.sources.items()
    ]


def assumptions(spec: ScenarioSpec, files: Mapping[str, SourceFile]) -> list[Assumption]:
    """Every element of ``spec`` (and every context note) with its provenance and, where
    its source was read, the passage around its locator.

    ``files`` are the sources as ``Scenario.read_sources`` read them (as ``realpolitik
    check`` does: only from the folders the scenario may read).
    """
    by_path = {c.path: c for c in check_locators(spec, files=files)}
    texts = {key: f.text for key, f in files.items() if f.text is not None}
    rows: list[tuple[str, str, tuple[str, ...], str | None, str | None, str | None]] = []
    for path, element in elements(spec):
        rows.append((format_path(path), _kind(path, element), tuple(element.cites), element.source, element.locator, element.rationale))
    for cid, note in spec.context.items():
        if isinstance(note, ContextNote):
            rows.append((f"context.{cid}", "context", (cid,), note.source, note.locator, note.reason))
        else:
            rows.append((f"context.{cid}", "context", (cid,), None, None, note))
    out = []
    for path, kind, cites, source, locator, rationale in rows:
        check = by_path.get(path)
        found_passage = None
        if source is None or locator is None:
            status = "no_source"
        elif source in files and files[source].outside:
            status = "outside"
        elif check is None or check.found is None or source not in texts:
            status = "unreachable"
        elif not check.found or check.offset is None:
            status = "not_found"
        else:
            status = "found"
            found_passage = passage(texts[source], check.offset, locator)
        title = spec.sources[source].title if source in spec.sources else None
        out.append(Assumption(path, kind, cites, source, title, locator, rationale, status, found_passage))
    return out
