"""Read YAML into plain data plus the file, line and column of every field.

PyYAML's composer gives a node tree with marks; we build the data ourselves from it
so that every value and every key keeps its position, and duplicate keys (which
YAML forbids but PyYAML silently accepts) are reported. :func:`merge_located`
deep-merges a child file over its parent (``extends``), each field keeping the
position, in its own file, of the text it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from realpolitik.errors import Problem

__all__ = ["Located", "Position", "read_yaml", "format_path", "merge_located", "REPLACE_TAG"]

Path = tuple[str | int, ...]

#: The YAML tag that makes a mapping in a child file replace its parent's whole.
REPLACE_TAG = "!replace"


@dataclass(frozen=True)
class Position:
    """A 1-based line and column, and the file they are in (``None``: the file being read)."""

    line: int
    column: int
    file: str | None = None


@dataclass
class Located:
    """YAML data with the positions of its values and keys.

    Attributes:
        data: the parsed document as dicts, lists and scalars.
        values: field path -> position of the value.
        keys: field path -> position of the key that introduces it.
        problems: duplicate keys and other structural problems found while reading.
        replace: paths of mappings tagged ``!replace``: in a merge they replace the
            parent's mapping instead of being merged into it.
    """

    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    replace: set[Path] = field(default_factory=set)

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
    out.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1, file)
    if isinstance(node, yaml.MappingNode):
        if node.tag == REPLACE_TAG:
            out.replace.add(path)
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
            out.keys[child] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1, file)
            result[key] = _build(value_node, child, out, constructor, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), out, constructor, file) for i, item in enumerate(node.value)]
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value  # e.g. 2026-02-30: let validation say what is wrong with it


def _whole(path: Path) -> bool:
    """Fields replaced whole rather than merged: a parameter's ``prior`` (its fields
    belong together: a normal prior merged into a uniform one would keep the bounds)."""
    return len(path) == 3 and path[0] == "parameters" and path[2] == "prior"


def merge_located(parent: Located, child: Located) -> Located:
    """Deep-merge ``child`` over ``parent``: what ``extends`` does.

    Mappings merge key by key (the parent's keys keep their order, the child's new
    keys follow); any other value in the child — a scalar, a list, a mapping tagged
    ``!replace``, a parameter's ``prior`` — replaces the parent's whole; a ``null``
    in the child deletes the key. Every field keeps the position of the text it
    came from, in its own file.

    Example:
        >>> parent = read_yaml("a: {x: 1, y: 2}\\nb: [1, 2]\\n", "parent.yaml")
        >>> child = read_yaml("a: {y: 3, z: 4}\\nb: [5]\\n", "child.yaml")
        >>> merged = merge_located(parent, child)
        >>> merged.data
        {'a': {'x': 1, 'y': 3, 'z': 4}, 'b': [5]}
        >>> merged.position(("a", "x")).file, merged.position(("a", "y")).file
        ('parent.yaml', 'child.yaml')
    """
    # owner[path] is the file whose text the subtree at ``path`` comes from (None: deleted).
    owner: dict[Path, Located | None] = {}

    def merge(old: Any, new: Any, path: Path) -> Any:
        owner[path] = child
        if not (isinstance(old, dict) and isinstance(new, dict)) or path in child.replace or _whole(path):
            return new
        result: dict[Any, Any] = {}
        for key, value in old.items():
            sub = path + (key,)
            if key not in new:
                owner[sub] = parent
                result[key] = value
            elif new[key] is None:
                owner[sub] = None
            else:
                result[key] = merge(value, new[key], sub)
        for key, value in new.items():
            if key not in old:
                if value is None:
                    owner[path + (key,)] = None
                else:
                    owner[path + (key,)] = child
                    result[key] = value
        return result

    old = parent.data if parent.data is not None else {}
    new = child.data if child.data is not None else {}
    out = Located(merge(old, new, ()), problems=[*parent.problems, *child.problems])

    def owned_by(path: Path) -> Located | None:
        for cut in range(len(path), -1, -1):
            if path[:cut] in owner:
                return owner[path[:cut]]
        return None

    for source in (parent, child):
        for path, pos in source.values.items():
            if owned_by(path) is source:
                out.values[path] = pos
        for path, pos in source.keys.items():
            if owned_by(path) is source:
                out.keys[path] = pos
        out.replace |= {p for p in source.replace if owned_by(p) is source}
    return out
