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

__all__ = ["Located", "Position", "read_yaml", "read_text_file", "format_path", "merge_located", "REPLACE_TAG", "MAX_YAML_VALUES", "MAX_YAML_DEPTH", "MAX_FILE_BYTES"]

#: The most values a YAML document may expand to (aliases repeat what they name, so a
#: small file can otherwise stand for billions of values).
MAX_YAML_VALUES = 200_000

#: The deepest a YAML document may nest.
MAX_YAML_DEPTH = 64

#: The largest YAML file read (a scenario, a posterior, an intervention, episodes).
MAX_FILE_BYTES = 5_000_000

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


def read_text_file(path: Any, what: str, *, limit: int = MAX_FILE_BYTES) -> tuple[str, bytes]:
    """A UTF-8 text file's text and bytes, reading no more than ``limit`` bytes (a
    device or a huge file is refused after that many, not read whole).

    Raises:
        ScenarioError: no such file, a folder, larger than ``limit``, or not UTF-8 (with
            the line of the first bad byte).
    """
    from pathlib import Path as FsPath

    from realpolitik.errors import ScenarioError

    path = FsPath(path)
    shown = str(path)
    if not path.exists():
        raise ScenarioError(Problem(f"no such {what}", shown))
    if path.is_dir():
        raise ScenarioError(Problem(f"is a folder, not a {what}", shown))
    try:
        with path.open("rb") as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(Problem(f"cannot be read: {exc.strerror or exc}", shown)) from None
    if len(raw) > limit:
        raise ScenarioError(Problem(f"is larger than {limit:,} bytes, the most a {what} may be", shown))
    try:
        return raw.decode("utf-8"), raw
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(Problem("is not UTF-8 text (is it a binary file?)", shown, line)) from None


def read_yaml(text: str, file: str) -> Located:
    """Parse one YAML document, keeping positions.

    Raises:
        ScenarioError: the text is not valid YAML (with the line and column).
    """
    from realpolitik.errors import ScenarioError

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ScenarioError(Problem(f"nests too deep to read (a YAML file may nest at most {MAX_YAML_DEPTH} levels)", file)) from None
    except yaml.reader.ReaderError as exc:
        # The reader gives a character position, not a mark: turn it into a line and column.
        at = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        message = f"not valid YAML: the character U+{code:04X} is not allowed in a YAML file (remove it, or write it as the escape \\u{code:04X} inside double quotes)"
        raise ScenarioError(Problem(message, file, line, column)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(Problem(f"not valid YAML: {reason}", file, line, column)) from None
    located = Located(None)
    if node is None:
        return located
    constructor = yaml.SafeLoader("")
    located.data = _build(node, (), located, constructor, file, [0])
    return located


def _build(node: yaml.Node, path: Path, out: Located, constructor: yaml.SafeLoader, file: str, built: list[int]) -> Any:
    from realpolitik.errors import ScenarioError

    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    built[0] += 1
    if built[0] > MAX_YAML_VALUES:
        raise ScenarioError(Problem(f"expands to more than {MAX_YAML_VALUES:,} values (aliases repeating what they name?)", file, line, column, format_path(path)))
    if len(path) > MAX_YAML_DEPTH:
        raise ScenarioError(Problem(f"nests deeper than {MAX_YAML_DEPTH} levels", file, line, column, format_path(path[:MAX_YAML_DEPTH])))
    out.values[path] = Position(line, column, file)
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
            result[key] = _build(value_node, child, out, constructor, file, built)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), out, constructor, file, built) for i, item in enumerate(node.value)]
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
    # A mapping both write, that the child gives no position for (an overlay built in
    # code, such as a posterior's priors), stays where the parent wrote it: a problem
    # with the scenario as a whole (a missing 'clock') is the scenario file's.
    for path, pos in parent.values.items():
        if path not in out.values and owner.get(path) is child:
            out.values[path] = pos
    for path, pos in parent.keys.items():
        if path not in out.keys and owner.get(path) is child:
            out.keys[path] = pos
    return out
