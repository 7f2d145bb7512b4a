"""Datelines and bylines: the wire's furniture at the head of an article or a paragraph.

"TEHRAN, March 14, 2026 — Israeli aircraft struck ..." starts with a dateline: the
place and the day the story was filed, and often the agency ("CAIRO (AP) --",
"WASHINGTON, March 3 (Reuters) -"). It is not part of the sentence after it, but a
parser reads "TEHRAN" as a second subject of "struck" and the sentence loses its
source. A byline ("By Jane Doe") or a credit line ("(Reporting by ...; Editing by
...)") is not text of an event either.

:func:`text_to_parse` blanks both with spaces (newlines kept), so the parser sees the
sentence as if the furniture were not there while every offset still refers to the
article's own text; :func:`find_datelines` and :func:`find_bylines` say what was
blanked, for the article's JSON. Only the start of the text and of a paragraph (after
a newline) is looked at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from realpolitik.ingest._actors import ActorVocabulary

__all__ = ["Byline", "Dateline", "find_bylines", "find_datelines", "text_to_parse"]


@dataclass(frozen=True)
class Dateline:
    """A dateline at the head of an article or of a paragraph.

    Attributes:
        start: offset of its first character in the article's text.
        end: offset just past it (and past the dash and spaces that end it).
        place: the place as written ("TEHRAN", "GAZA CITY, Gaza Strip"), or ``None``
            for an agency alone ("(Reuters) -").
        date: the date as written ("March 14, 2026", "March 3"), or ``None``.
        agency: the news agency as written ("Reuters", "AP", "IRNA"), or ``None``.
    """

    start: int
    end: int
    place: str | None
    date: str | None
    agency: str | None

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "place": self.place, "date": self.date, "agency": self.agency}


@dataclass(frozen=True)
class Byline:
    """A byline or a credit line: who wrote or edited the article, not what it reports.

    Attributes:
        start: offset of its first character in the article's text.
        end: offset just past it.
        text: the line as written ("By Jane Doe", "(Reporting by Parisa Hafezi; Editing by Alex Richardson)").
    """

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = rf"(?:{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ \t]+\d{{4}})?|\d{{1,2}}[ \t]+{_MONTH}(?:[ \t]+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
# "TEL AVIV", "THE HAGUE", "ST. PETERSBURG", "WINSTON-SALEM": all capitals, at least three letters
_CAPS_WORD = r"[A-Z][A-Z'’.]*(?:-[A-Z][A-Z'’.]*)*"
_CAPS_PLACE = rf"(?=[A-Z][A-Z'’.-]{{2}})(?:{_CAPS_WORD})(?:[ \t]{_CAPS_WORD}){{0,3}}(?![a-z])"
# "Tehran", "Tel Aviv", "Addis Ababa" (a capitalised "The" is a sentence, not a place)
_TITLE_WORD = r"[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)*"
_TITLE_PLACE = rf"(?!The\b)(?:{_TITLE_WORD})(?:[ \t]{_TITLE_WORD}){{0,2}}"
# ", Netherlands", ", Gaza Strip", ", N.M.", ", United Arab Emirates"
_REGION = r"(?:,[ \t]*(?!" + _MONTH + r"[ \t]+\d)[A-Z][A-Za-z'’.]*(?:[ \t]+[A-Z][A-Za-z'’.]*){0,3})"
_AGENCY = r"\([ \t]*(?P<agency>[A-Za-z][A-Za-z.&’' -]{0,29}?)[ \t]*\)"
_BARE_AGENCY = r"(?P<bare>[A-Z][A-Za-z]{1,15})"
_DASH = r"[ \t]*(?:—|–|―|--?)[ \t]*(?=[^\s—–―-])"
_SPACED_DASH = r"[ \t]+(?:—|–|―|--?)[ \t]+(?=[^\s—–―-])"
_COLON = r"[ \t]*:[ \t]+(?=\S)"

#: The forms a dateline takes, tried in this order at the head of a paragraph.
_FORMS = [
    # "TEHRAN, March 14, 2026 —", "WASHINGTON, March 3 (AP) —", "Tehran, March 15, IRNA -", "ADDIS ABABA, May 15 (Xinhua) --"
    re.compile(rf"(?P<place>{_CAPS_PLACE}|{_TITLE_PLACE})(?P<region>{_REGION})?,[ \t]*(?P<date>{_DATE})(?:,[ \t]*{_BARE_AGENCY})?(?:[ \t]*{_AGENCY})?{_DASH}"),
    # "CAIRO (AP) --", "Tehran (Reuters) -", "TIRANA, Albania (AP) --"
    re.compile(rf"(?P<place>{_CAPS_PLACE}|{_TITLE_PLACE})(?P<region>{_REGION})?[ \t]*{_AGENCY}{_DASH}"),
    # "MOSCOW --", "TEL AVIV--", "THE HAGUE, Netherlands --", "ISLAMABAD:", "UNITED NATIONS:"
    re.compile(rf"(?P<place>{_CAPS_PLACE})(?P<region>{_REGION})?(?:{_DASH}|{_COLON})"),
    # "(Reuters) -"
    re.compile(rf"{_AGENCY}{_DASH}"),
]
#: "Washington - ", "Harare, Zimbabwe - ": a capitalised place and a spaced dash, only at
#: the very start of the text (a paragraph starting "Israel - Iran talks" is no dateline).
_TITLE_FORM = re.compile(rf"(?P<place>{_TITLE_PLACE})(?P<region>{_REGION})?{_SPACED_DASH}")
#: Where a paragraph starts: the text's start, or after a newline.
_PARAGRAPH = re.compile(r"(?:\A|\n)[ \t]*(?=[A-Z(])")

_NAME = r"[A-Z][A-Za-z.'’-]+(?:[ \t]+(?:[A-Z][A-Za-z.'’-]+|de|van|von|al|el|bin|ibn))*"
_BYLINE = re.compile(
    rf"^[ \t]*(?:[Bb]y|BY)[ \t]+{_NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*){_NAME}){{0,4}}[ \t]*$"
    r"|^[ \t]*\(?(?:(?:[Aa]dditional|[Ee]xtra)[ \t]+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Ww]ritten|[Rr]eported)[ \t]+by[ \t]+[A-Z][^\n]{0,300}$"
    r"|\((?:(?:[Aa]dditional|[Ee]xtra)[ \t]+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting)[ \t]+by[ \t]+[A-Z][^)\n]{0,300}\)",
    re.MULTILINE,
)


def find_datelines(text: str, vocabulary: ActorVocabulary | None = None) -> list[Dateline]:
    """The datelines at the start of ``text`` and of its paragraphs, in text order.

    A dateline names a place; a head with neither a date nor an agency whose place is
    an actor's name in ``vocabulary`` (not a metonym: "NATO -", "US - Iran talks", but
    not "Moscow -") is the start of a sentence, and a dateline never swallows an actor.

    Example:
        >>> [d] = find_datelines("WASHINGTON, March 3 (AP) — Israeli aircraft struck a depot.")
        >>> d.place, d.date, d.agency, "WASHINGTON, March 3 (AP) — Israeli"[d.end:]
        ('WASHINGTON', 'March 3', 'AP', 'Israeli')
        >>> find_datelines("Russia — already under sanctions — said it would retaliate.")
        []
    """
    found: list[Dateline] = []
    for head in _PARAGRAPH.finditer(text):
        at = head.end()
        m = next((m for form in _FORMS if (m := form.match(text, at)) is not None), None)
        if m is None and at == len(text) - len(text.lstrip()):
            m = _TITLE_FORM.match(text, at)
            if m is not None and _appositive(text, m.end(), m.group(0).strip()[-1]):
                m = None
        if m is None:
            continue
        groups = m.groupdict()
        if vocabulary is not None and not groups.get("date") and not groups.get("agency"):
            named = vocabulary.lookup(groups.get("place") or "")
            if named is not None and not named[1]:
                continue
        place = ((groups.get("place") or "") + (groups.get("region") or "")).strip() or None
        agency = groups.get("agency") or groups.get("bare")
        found.append(Dateline(m.start(), m.end(), place, groups.get("date"), agency.strip() if agency else None))
    return found


def _appositive(text: str, end: int, dash: str) -> bool:
    """Whether the same dash comes again before the sentence ends: "Russia - already
    under sanctions - said ..." is an aside, not a dateline."""
    stop = min((i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=len(text))
    return dash in text[end:stop]


def find_bylines(text: str) -> list[Byline]:
    """The bylines ("By Jane Doe" on a line of its own) and credit lines ("Reporting by
    ...", "(Additional reporting by ...)") in ``text``.

    Example:
        >>> [b.text for b in find_bylines("By Jane Doe\\nIsrael struck a depot. (Reporting by Ali Kamal; Editing by Tom Hogue)")]
        ['By Jane Doe', '(Reporting by Ali Kamal; Editing by Tom Hogue)']
    """
    out = []
    for m in _BYLINE.finditer(text):
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t"))
        out.append(Byline(start, m.end(), text[start : m.end()]))
    return out


def text_to_parse(text: str, datelines: Sequence[Dateline] | None = None, bylines: Sequence[Byline] | None = None) -> str:
    """``text`` with its datelines and bylines blanked: each character a space (a newline
    stays a newline), so the parse keeps every offset of the article's text.

    Example:
        >>> text_to_parse("CAIRO (AP) -- Egypt called for a ceasefire.")
        '              Egypt called for a ceasefire.'
    """
    datelines = find_datelines(text) if datelines is None else datelines
    bylines = find_bylines(text) if bylines is None else bylines
    if not datelines and not bylines:
        return text
    pieces, done = [], 0
    for span in sorted([*datelines, *bylines], key=lambda s: s.start):
        start = max(span.start, done)
        pieces.append(text[done:start])
        pieces.append(_BLANK.sub(" ", text[start : span.end]))
        done = max(done, span.end)
    pieces.append(text[done:])
    return "".join(pieces)


_BLANK = re.compile(r"[^\n]")
