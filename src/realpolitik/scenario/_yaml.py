"""Read YAML into plain data plus the line and column of every field.

PyYAML's composer gives a node tree with marks; we build the data ourselves from it
so that every value and every key keeps its position, and duplicate keys (which
YAML forbids but PyYAML silently accepts) are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from realpolitik.errors import Problem

__all__ = ["Located", "Position", "read_yaml", "format_path"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass
class Located:
    """YAML data with the positions of its values and keys.

    Attributes:
        data: the parsed document as dicts, lists and scalars.
        values: field path -> position of the value.
        keys: field path -> position of the key that introduces it.
        problems: duplicate keys and other structural problems found while reading.
    """

    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: Path, *, key: bool = False) -> Position | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            pos = table.get(path[:cut]) or self.values.get(path[:cut])
            if pos is not None:
                return pos
        return None


def format_path(path: Path) -> str:
    """``("variables", "brent", "bounds", 0)`` -> ``variables.brent.bounds[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_yaml(text: str, file: str) -> Located:
    """Parse one YAML document, keeping positions.

    Raises:
        ScenarioError: the text is not valid YAML (with the line and column).
    """
    from realpolitik.errors import ScenarioError

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(Problem(f"not valid YAML: {reason}", file, line, column)) from None
    located = Located(None)
    if node is None:
        return located
    constructor = yaml.SafeLoader("")
    located.data = _build(node, (), located, constructor, file)
    return located


def _build(node: yaml.Node, path: Path, out: Located, constructor: yaml.SafeLoader, file: str) -> Any:
    out.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                out.problems.append(
                    Problem("YAML merge keys ('<<') are not supported", file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, format_path(path))
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                out.problems.append(
                    Problem("a key must be a plain name", file, key_node.start_mark.line + 1, key_node.start_mark.column + 1, format_path(path))
                )
                continue
            # Keys are names: take the text as written ('on' and 'no' stay names, not booleans).
            key = key_node.value
            child = path + (key,)
            if key in result:
                first = out.keys[child]
                out.problems.append(
                    Problem(
                        f"duplicate key {key!r} (first defined at line {first.line})",
                        file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        format_path(child),
                    )
                )
                continue
            out.keys[child] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, child, out, constructor, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), out, constructor, file) for i, item in enumerate(node.value)]
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value  # e.g. 2026-02-30: let validation say what is wrong with it
