"""Reading articles: plain text, HTML and JSONL files, directories, streamed one by one.

Each input becomes an :class:`Article` or, when it cannot be used, a :class:`Skipped`
that says why in one line naming the file (and the line and field, for JSONL). A bad
input never stops the batch. Checks, cheapest first: the size (before reading, and
no read goes past it), binary content, the encoding, emptiness, and whether the text
is English.

Articles come from other hands, so what is read is bounded: a file by
:data:`MAX_BYTES`, an HTML page by :data:`MAX_HTML_BYTES`, a JSONL line by
:data:`MAX_LINE_BYTES`, a JSONL record's nesting by :data:`MAX_JSON_DEPTH` and its
numbers by :data:`MAX_JSON_NUMBER_CHARS`. Past a bound, the file or the line is
skipped with its reason, not read whole.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from realpolitik.ingest._dates import parse_day
from realpolitik.scenario import normalise_text

__all__ = [
    "MAX_BYTES",
    "MAX_HTML_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_JSON_NUMBER_CHARS",
    "MAX_LINE_BYTES",
    "Article",
    "Skipped",
    "date_at_head",
    "english_share",
    "read_articles",
]


#: Files larger than this are skipped without being read, and no file is read past it
#: (a file that grows while it is read, or one whose size the system does not know).
MAX_BYTES = 100 * 1024 * 1024

#: The longest JSONL line read (one article's record); a longer line is skipped,
#: read in pieces up to its end and never held whole.
MAX_LINE_BYTES = 10 * 1024 * 1024

#: The largest HTML page parsed: extracting the text of a page takes time and memory
#: that grow faster than its size (1 MB: about 2 s; 20 MB: minutes and 800 MB).
MAX_HTML_BYTES = 10 * 1024 * 1024

#: How deep the arrays and objects of a JSONL record may nest (an article's record is
#: one object of strings; Python's parser fails with a ``RecursionError`` near 1,000).
MAX_JSON_DEPTH = 64

#: The most characters a number in a JSONL record may have (no field of an article is
#: a number; Python refuses to convert integers of more than 4,300 digits).
MAX_JSON_NUMBER_CHARS = 1_000

#: How much of an over-long JSONL line is read at a time while it is passed over.
_SKIP_CHUNK = 1024 * 1024

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

#: How many characters from the start of a text may hold its date line.
_HEAD_CHARS = 300
#: Below this share of English function words, a text of enough words is not English.
_MIN_ENGLISH_SHARE = 0.06
_MIN_WORDS_FOR_LANGUAGE = 12


@dataclass(frozen=True)
class Article:
    """One news article, as read.

    Attributes:
        id: the id the input gave, else ``sha1:`` and the first 16 hex digits of the
            SHA-1 of the normalised text: the same text always gets the same id.
        text: the text every offset refers to (for HTML, the extracted main text).
        title: the headline, when the input has one.
        published: the publication date: from metadata, else from a date at the head
            of the text, else ``None``.
        published_from: where ``published`` came from: ``"metadata"``, ``"text"`` or ``None``.
        source: the publisher or feed, when given.
        url: the article's address, when given.
        path: the file it was read from (``None`` for text given in memory).
        line: the 1-based line of a JSONL file it was read from.
        content_hash: SHA-256 (hex) of the normalised title and text: equal for the same
            article, different when a text changed under the same URL or id.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    published_from: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    line: int | None = None
    content_hash: str = ""

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        id: str | None = None,
        title: str | None = None,
        published: date | str | None = None,
        source: str | None = None,
        url: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> Article:
        """Build an article from text in memory; the id and hash are derived as for files.

        ``published`` may be a date or a date string; when absent, a date at the head
        of the text is used. An ``id`` of the form ``sha1:...`` is the one derived from
        a text, so it must be this text's: another text under it would pass for a new
        version of the first.

        Raises:
            ValueError: a field cannot be used; the message starts with ``field
                'name':`` (``published`` is a string that is not a date, ``id`` is
                empty or another text's derived id, a string holds a lone surrogate).
            TypeError: ``id`` is given and is not a string.

        Example:
            >>> a = Article.from_text("date 2026-03-08 Russia condemned the strikes.")
            >>> a.published, a.published_from, a.id == Article.from_text(a.text).id
            (datetime.date(2026, 3, 8), 'text', True)
        """
        if id is not None and not isinstance(id, str):
            raise TypeError(f"field 'id': expected a string, found {type(id).__name__}")
        fields = {"text": text, "id": id, "title": title, "source": source, "url": url, "published": published}
        for name, value in fields.items():
            if isinstance(value, str):
                problem = _unicode_problem(value)
                if problem:
                    raise ValueError(f"field {name!r}: {problem}")
        if id is not None and not id.strip():
            raise ValueError("field 'id': empty; give the article's own id or leave the field out")
        published_from = None
        if isinstance(published, str):
            day = parse_day(published)
            if day is None:
                shown = published if len(published) <= 40 else published[:40] + "..."
                raise ValueError(f"field 'published': cannot read the date {shown!r} (expected e.g. 2026-03-08)")
            published = day
        if published is not None:
            published_from = "metadata"
        else:
            published = date_at_head(text)
            published_from = "text" if published is not None else None
        normal = _normalise(text)
        derived = "sha1:" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]
        if id is not None and id.startswith("sha1:") and id != derived:
            raise ValueError(f"field 'id': {id[:40]!r} has the form of an id derived from a text, but not from this one ({derived}); give another id or leave the field out")
        return cls(
            id=id if id is not None else derived,
            text=text,
            title=title,
            published=published,
            published_from=published_from,
            source=source,
            url=url,
            path=path,
            line=line,
            content_hash=hashlib.sha256(((title and _normalise(title)) or "").encode("utf-8") + b"\n" + normal.encode("utf-8")).hexdigest(),
        )

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON: the text itself is left out (offsets refer to it)."""
        return {
            "id": self.id,
            "path": self.path,
            "line": self.line,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_from": self.published_from,
            "source": self.source,
            "url": self.url,
            "content_hash": self.content_hash,
            "chars": len(self.text),
        }


@dataclass(frozen=True)
class Skipped:
    """An input that was not read, and why.

    Attributes:
        path: the file (as given, or as found under a given directory).
        reason: what is wrong, in one line.
        line: the 1-based line of a JSONL file, when the problem is one record.
    """

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}{f':{self.line}' if self.line is not None else ''}: skipped: {self.reason}"


def _normalise(text: str) -> str:
    return normalise_text(unicodedata.normalize("NFC", text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode_problem(text: str) -> str | None:
    """Why a string cannot be stored as text, or ``None``: a lone surrogate (JSON's
    ``"\\ud800"`` escape without its pair) is no Unicode character and has no UTF-8."""
    bad = _SURROGATE.search(text)
    if bad is None:
        return None
    return f"a lone surrogate \\u{ord(bad.group()):04x} at character {bad.start() + 1:,} (half of a pair, not a character): fix the escape or the encoding that wrote it"


_HEAD_DATE = re.compile(
    r"(\d{4}-\d{2}-\d{2})"
    r"|((?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4})",
    re.IGNORECASE,
)


def date_at_head(text: str) -> date | None:
    """A full date (day, month and year) among the first few hundred characters, else ``None``.

    Example:
        >>> date_at_head("MOSCOW, 9 March 2026 - Russia said ...")
        datetime.date(2026, 3, 9)
        >>> date_at_head("Russia said in 2025 ...") is None
        True
    """
    for m in _HEAD_DATE.finditer(text[:_HEAD_CHARS]):
        day = parse_day(m.group(0))
        if day is not None:
            return day
    return None


# English function words that are not also common words of other languages written
# in Latin letters ("a", "in", "is", "no", "on", "so", "do" are left out for that reason).
_STOPWORDS = frozenset(
    """about after all also and any are at be because been before but by can could did does for from had has have
    her his how if into it its just more most my not now of one only or other our out over said she some than that
    the their them then there these they this to up was we were what when which while who will with would you
    your""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def english_share(text: str, *, sample: int = 20_000) -> tuple[float, int]:
    """The share of English function words among the words of ``text``, and the word count.

    English prose has 15–45 % of these (BBC news: median 33 %) ("the", "of", "and", "said" ...); other
    languages written in Latin letters have a few per cent, other scripts none. Only
    the first ``sample`` characters are looked at.

    Example:
        >>> english_share("Russia offered to host peace talks between the two sides.")[0] > 0.15
        True
        >>> english_share("Россия предложила провести мирные переговоры между сторонами.")[0]
        0.0
    """
    words = _WORD.findall(text[:sample].lower())
    if not words:
        return 0.0, 0
    return sum(w in _STOPWORDS for w in words) / len(words), len(words)


def _text_problem(text: str) -> str | None:
    """Why a decoded text cannot be used, or ``None``."""
    if not text.strip():
        return "empty (no text)"
    share, words = english_share(text)
    if words == 0:
        return "no words (not a text)"
    if words >= _MIN_WORDS_FOR_LANGUAGE and share < _MIN_ENGLISH_SHARE:
        return f"not English ({share:.0%} English function words among {words} words)"
    if words < _MIN_WORDS_FOR_LANGUAGE and share == 0.0:
        return f"not English (no English function words among {words} words)"
    return None


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a byte-order mark
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13, 27) for b in head)
    return bool(head) and controls / len(head) > 0.05


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """The text, or why the bytes are not UTF-8 (or UTF-16 with a byte-order mark)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            return None, f"not valid UTF-16 ({exc.reason} at byte {exc.start})"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        return None, f"not valid UTF-8 (byte 0x{bad} at offset {exc.start}); re-save the file as UTF-8"


def read_articles(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = MAX_BYTES, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[Article | Skipped]:
    """Read every article under ``paths``, one at a time, in a stable order.

    A path may be a file (``.txt``/``.md``/anything else as plain text, ``.html``/
    ``.htm`` as HTML, ``.jsonl``/``.ndjson`` as one article per line) or a directory,
    read recursively (hidden files skipped, files in sorted order; files of other
    kinds in a directory are skipped with a reason). What cannot be used comes out
    as a :class:`Skipped` and the batch goes on; nothing here raises for a bad input.

    JSONL records are objects with ``text`` and optionally ``id``, ``title``,
    ``published``, ``source``, ``url`` (each a string or null: an ``id`` of ``5`` or
    ``true`` is refused, not turned into ``"5"``, so two records never merge by
    accident); other fields are ignored, but the whole line must be valid JSON
    within :data:`MAX_JSON_DEPTH` and :data:`MAX_JSON_NUMBER_CHARS`.

    Args:
        paths: files and directories.
        max_bytes: files larger than this are skipped unread, and none is read past
            it (default :data:`MAX_BYTES`, 100 MB).
        max_line_bytes: JSONL lines longer than this are skipped without being held
            whole (default :data:`MAX_LINE_BYTES`, 10 MB).

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("Russia condemned the strikes on Iran on Monday, the ministry said.")
        >>> _ = (folder / "b.txt").write_bytes(b"")
        >>> [type(x).__name__ for x in read_articles([folder])]
        ['Article', 'Skipped']
        >>> str(list(read_articles([folder / "b.txt"]))[0]).endswith("b.txt: skipped: empty file (0 bytes)")
        True
    """
    limits = _Limits(max_bytes, max_line_bytes)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _read_directory(path, limits)
        elif path.is_file():
            yield from _read_file(path, limits, explicit=True)
        elif path.exists():
            yield Skipped(_shown(path), "not a regular file (a device, a pipe or a socket is not read)")
        else:
            yield Skipped(_shown(path), "no such file or directory")


@dataclass(frozen=True)
class _Limits:
    """The bounds of one read: a file's bytes and a JSONL line's bytes."""

    file_bytes: int
    line_bytes: int


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} bytes"


def _shown(path: Path) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are
    not UTF-8 (kept by Python as lone surrogates) are written as ``\\xff``."""
    name = str(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if _SURROGATE.search(name) else name


def _read_directory(folder: Path, limits: _Limits) -> Iterator[Article | Skipped]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield from _read_file(Path(root) / name, limits, explicit=False)


def _read_file(path: Path, limits: _Limits, *, explicit: bool) -> Iterator[Article | Skipped]:
    where = _shown(path)
    suffix = path.suffix.lower()
    known = suffix in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
    if not known and not explicit:
        yield Skipped(where, f"unsupported file type {suffix or '(no extension)'!r}: expected .txt, .md, .html, .htm or .jsonl")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(where, f"cannot read ({exc.strerror})")
        return
    if size > limits.file_bytes:
        yield Skipped(where, f"file too large ({size / 2**20:.1f} MB, over the {_mb(limits.file_bytes)} limit)")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, limits)
        return
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.file_bytes + 1)  # never more: the size read above may be stale
    except OSError as exc:
        yield Skipped(where, f"cannot read ({exc.strerror})")
        return
    if not data:
        yield Skipped(where, "empty file (0 bytes)")
        return
    if len(data) > limits.file_bytes:
        yield Skipped(where, f"file too large (over the {_mb(limits.file_bytes)} limit once read: it grew, or its size was not known)")
        return
    if _looks_binary(data[:8192]):
        yield Skipped(where, "binary file, not text")
        return
    text, problem = _decode(data)
    if text is None:
        yield Skipped(where, problem or "cannot decode")
        return
    if suffix in HTML_SUFFIXES or (not known and re.match(r"\s*<(?:!doctype html|html)", text[:200], re.IGNORECASE)):
        if len(data) > MAX_HTML_BYTES:
            yield Skipped(where, f"HTML page too large to parse ({len(data) / 2**20:.1f} MB, over the {_mb(MAX_HTML_BYTES)} limit of a page)")
            return
        yield _from_html(text, where)
        return
    problem = _text_problem(text)
    if problem:
        yield Skipped(where, problem)
        return
    yield Article.from_text(text, title=_title_of_plain_text(text), path=where)


def _title_of_plain_text(text: str) -> str | None:
    """The first line when it reads as a headline: short, followed by more text, no final stop."""
    lines = text.strip().splitlines()
    if len(lines) < 2:
        return None
    first = lines[0].strip()
    if first and len(first.split()) <= 15 and not first.endswith((".", "!", "?", ":", ";", ",")):
        return first
    return None


def _from_html(html: str, where: str) -> Article | Skipped:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as exc:  # trafilatura raises many kinds on malformed pages
        return Skipped(where, f"cannot parse HTML ({type(exc).__name__}: {exc})")
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return Skipped(where, "no main text found in the HTML")
    problem = _text_problem(text)
    if problem:
        return Skipped(where, problem)
    raw_date = getattr(doc, "date", None)
    published = parse_day(str(raw_date)) if raw_date else None
    try:
        return Article.from_text(
            text,
            title=getattr(doc, "title", None) or None,
            published=published,
            source=getattr(doc, "sitename", None) or None,
            url=getattr(doc, "url", None) or None,
            path=where,
        )
    except ValueError as exc:  # each names its field (see Article.from_text)
        return Skipped(where, str(exc))


_FIELDS = ("id", "title", "published", "source", "url")


def _lines(handle: BinaryIO, limits: _Limits) -> Iterator[tuple[int, bytes | None, int]]:
    """The lines of a file, numbered from 1, each with the bytes read so far: ``None``
    in place of a line longer than ``limits.line_bytes`` (read in pieces to its end
    and dropped, never held whole). Stops once more than ``limits.file_bytes`` are read."""
    total = 0
    number = 0
    while total <= limits.file_bytes:
        raw = handle.readline(limits.line_bytes + 1)
        if not raw:
            return
        number += 1
        total += len(raw)
        if len(raw) <= limits.line_bytes or raw.endswith(b"\n") and len(raw) == limits.line_bytes + 1:
            yield number, raw, total
            continue
        while not raw.endswith(b"\n") and total <= limits.file_bytes:
            raw = handle.readline(_SKIP_CHUNK)
            if not raw:
                break
            total += len(raw)
        yield number, None, total


def _read_jsonl(path: Path, limits: _Limits) -> Iterator[Article | Skipped]:
    where = _shown(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skipped(where, f"cannot read ({exc.strerror})")
        return
    with handle:
        try:
            number = 0
            for number, raw, total in _lines(handle, limits):
                if total > limits.file_bytes:
                    yield Skipped(where, f"stopped reading: the file is over the {_mb(limits.file_bytes)} limit once read (it grew, or its size was not known)", number)
                    return
                if raw is None:
                    yield Skipped(where, f"line too long (over the {_mb(limits.line_bytes)} limit of one record)", number)
                    continue
                if not raw.strip():
                    continue
                if _looks_binary(raw[:8192]):
                    yield Skipped(where, "binary data, not text", number)
                    continue
                line, problem = _decode(raw)
                if line is None:
                    yield Skipped(where, problem or "cannot decode", number)
                    continue
                yield _from_record(line, where, number)
        except OSError as exc:
            yield Skipped(where, f"stopped reading: {exc.strerror or exc}")
            return
        if number == 0:
            yield Skipped(where, "empty file (0 bytes)")


@dataclass(frozen=True)
class _LongNumber:
    """A JSON number too long to convert, in its place in the parsed record."""

    chars: int


class _JsonObject(dict):  # type: ignore[type-arg]
    """A JSON object that remembers which of its keys were given more than once."""

    duplicates: frozenset[str] = frozenset()


def _object(pairs: list[tuple[str, object]]) -> _JsonObject:
    obj = _JsonObject(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        obj.duplicates = frozenset(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return obj


def _number(parse: Callable[[str], object]) -> Callable[[str], object]:
    def bounded(digits: str) -> object:
        return _LongNumber(len(digits)) if len(digits) > MAX_JSON_NUMBER_CHARS else parse(digits)

    return bounded


_PARSE_INT = _number(int)
_PARSE_FLOAT = _number(float)
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_BRACKETS = re.compile(r"[^\[\]{}]+")
#: A run of the characters of a JSON number longer than a number may be: only a line
#: that has one can hold an over-long number, and only then is the record searched.
_LONG_RUN = re.compile(r"[-+.eE0-9]{%d}" % (MAX_JSON_NUMBER_CHARS + 1))


def _json_depth(line: str) -> int:
    """How deep a JSON text's arrays and objects nest, counted without recursion
    (brackets inside strings left out). A text with no more opening brackets than
    :data:`MAX_JSON_DEPTH` cannot nest deeper, and their count is returned unscanned."""
    openers = line.count("[") + line.count("{")
    if openers <= MAX_JSON_DEPTH:
        return openers
    brackets = _BRACKETS.sub("", _JSON_STRING.sub("", line))
    return max(itertools.accumulate(map(_NESTING.__getitem__, brackets)), default=0)


def _long_number_at(value: object) -> tuple[str, int] | None:
    """The field path and length of the first over-long number in a parsed record."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, _LongNumber):
            return path or "(the record)", item.chars
        if isinstance(item, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(item))))
    return None


def _parse_record(line: str) -> tuple[object, str | None]:
    """A JSONL line parsed within the bounds, or why it cannot be."""
    depth = _json_depth(line)
    if depth > MAX_JSON_DEPTH:
        return None, f"invalid record: nests {depth:,} levels deep, more than the {MAX_JSON_DEPTH} allowed"
    try:
        record = json.loads(line, object_pairs_hook=_object, parse_int=_PARSE_INT, parse_float=_PARSE_FLOAT)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:  # (the depth is checked above; this is the parser's own bound)
        return None, f"invalid record: nests too deep to read (at most {MAX_JSON_DEPTH} levels)"
    long = _long_number_at(record) if _LONG_RUN.search(line) else None
    if long is not None:
        field, chars = long
        return None, f"field {field!r}: a number of {chars:,} characters, more than the {MAX_JSON_NUMBER_CHARS:,} allowed"
    return record, None


def _from_record(line: str, where: str, number: int) -> Article | Skipped:
    record, problem = _parse_record(line)
    if problem is not None:
        return Skipped(where, problem, number)
    if not isinstance(record, dict):
        kind = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(record), type(record).__name__)
        return Skipped(where, f"expected a JSON object, found {'null' if record is None else kind}", number)
    twice = sorted(set(getattr(record, "duplicates", ())) & {"text", *_FIELDS})
    if twice:
        return Skipped(where, f"field {twice[0]!r}: given more than once in the record (which one is meant?)", number)
    text = record.get("text")
    if not isinstance(text, str):
        return Skipped(where, "field 'text': missing or not a string", number)
    for field in _FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return Skipped(where, f"field {field!r}: expected a string, found {_json_type(value)}", number)
    problem = _unicode_problem(text)
    if problem:
        return Skipped(where, f"field 'text': {problem}", number)
    problem = _text_problem(text)
    if problem:
        return Skipped(where, problem, number)
    try:
        return Article.from_text(
            text,
            id=record.get("id"),
            title=record.get("title"),
            published=record.get("published") or None,
            source=record.get("source"),
            url=record.get("url"),
            path=where,
            line=number,
        )
    except ValueError as exc:  # each names its field (see Article.from_text)
        return Skipped(where, str(exc), number)


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type (``5`` is a number, ``true`` a boolean)."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value!r}" if len(repr(value)) <= 20 else "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
