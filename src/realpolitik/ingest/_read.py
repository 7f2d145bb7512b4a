"""Reading articles: plain text, HTML and JSONL files, directories, streamed one by one.

Each input becomes an :class:`Article` or, when it cannot be used, a :class:`Skipped`
that says why in one line naming the file (and the line, for JSONL). A bad input never
stops the batch. Checks, cheapest first: the size (before reading), binary content,
the encoding, emptiness, and whether the text is English.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from realpolitik.ingest._dates import parse_day
from realpolitik.scenario import normalise_text

__all__ = [
    "MAX_BYTES",
    "Article",
    "Skipped",
    "date_at_head",
    "english_share",
    "read_articles",
]


#: Files larger than this are skipped without being read.
MAX_BYTES = 100 * 1024 * 1024

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
        of the text is used.

        Raises:
            ValueError: ``published`` is a string that is not a date.

        Example:
            >>> a = Article.from_text("date 2026-03-08 Russia condemned the strikes.")
            >>> a.published, a.published_from, a.id == Article.from_text(a.text).id
            (datetime.date(2026, 3, 8), 'text', True)
        """
        published_from = None
        if isinstance(published, str):
            day = parse_day(published)
            if day is None:
                raise ValueError(f"cannot read the date {published!r} (expected e.g. 2026-03-08)")
            published = day
        if published is not None:
            published_from = "metadata"
        else:
            published = date_at_head(text)
            published_from = "text" if published is not None else None
        normal = _normalise(text)
        return cls(
            id=str(id) if id is not None else "sha1:" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16],
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


def read_articles(paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | Skipped]:
    """Read every article under ``paths``, one at a time, in a stable order.

    A path may be a file (``.txt``/``.md``/anything else as plain text, ``.html``/
    ``.htm`` as HTML, ``.jsonl``/``.ndjson`` as one article per line) or a directory,
    read recursively (hidden files skipped, files in sorted order; files of other
    kinds in a directory are skipped with a reason). What cannot be used comes out
    as a :class:`Skipped` and the batch goes on.

    JSONL records are objects with ``text`` and optionally ``id``, ``title``,
    ``published``, ``source``, ``url``; other fields are ignored.

    Args:
        paths: files and directories.
        max_bytes: files larger than this are skipped unread (default 100 MB).

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
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _read_directory(path, max_bytes)
        elif path.is_file():
            yield from _read_file(path, max_bytes, explicit=True)
        elif path.exists():
            yield Skipped(str(path), "not a regular file")
        else:
            yield Skipped(str(path), "no such file or directory")


def _read_directory(folder: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield from _read_file(Path(root) / name, max_bytes, explicit=False)


def _read_file(path: Path, max_bytes: int, *, explicit: bool) -> Iterator[Article | Skipped]:
    where = str(path)
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
    if size == 0:
        yield Skipped(where, "empty file (0 bytes)")
        return
    if size > max_bytes:
        yield Skipped(where, f"file too large ({size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit)")
        return
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(where, f"cannot read ({exc.strerror})")
        return
    if _looks_binary(data[:8192]):
        yield Skipped(where, "binary file, not text")
        return
    text, problem = _decode(data)
    if text is None:
        yield Skipped(where, problem or "cannot decode")
        return
    if suffix in HTML_SUFFIXES or (not known and re.match(r"\s*<(?:!doctype html|html)", text[:200], re.IGNORECASE)):
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
    return Article.from_text(
        text,
        title=getattr(doc, "title", None) or None,
        published=published,
        source=getattr(doc, "sitename", None) or None,
        url=getattr(doc, "url", None) or None,
        path=where,
    )


_FIELDS = ("id", "title", "published", "source", "url")


def _read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    where = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skipped(where, f"cannot read ({exc.strerror})")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
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


def _from_record(line: str, where: str, number: int) -> Article | Skipped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(where, f"invalid JSON ({exc.msg} at column {exc.colno})", number)
    if not isinstance(record, dict):
        return Skipped(where, f"expected a JSON object, found {type(record).__name__}", number)
    text = record.get("text")
    if not isinstance(text, str):
        return Skipped(where, "field 'text': missing or not a string", number)
    for field in _FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str) and not (field == "id" and isinstance(value, int)):
            return Skipped(where, f"field {field!r}: expected a string, found {type(value).__name__}", number)
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
    except ValueError as exc:
        return Skipped(where, f"field 'published': {exc}", number)
