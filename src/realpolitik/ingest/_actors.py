"""Actors and their mentions: who a piece of text names, metonymy included.

An :class:`ActorVocabulary` lists actors, each with a canonical name, an optional
code, the forms that name it (``Russia``, ``Russian``, ``Lavrov``), the metonyms
that stand for its government (``Moscow``, ``the Kremlin``, ``the Basij``) and the
places that locate an event in it (``Natanz``, ``Haifa``). :func:`find_mentions`
finds every form in a text, longest first, with offsets into that text. The built-in
:func:`default_vocabulary` holds the world's countries and the main
intergovernmental organisations; a scenario builds its own with
:meth:`ActorVocabulary.from_mapping`, on top of the default or alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from realpolitik.ingest._countries import COUNTRY_ROWS, IGNORED_FORMS, ORGANISATION_ROWS
from realpolitik.ingest._places import INSTITUTION_ROWS, PLACE_ROWS

__all__ = ["Actor", "ActorVocabulary", "Mention", "default_vocabulary", "find_mentions"]


@dataclass(frozen=True)
class Actor:
    """An actor text can name.

    Attributes:
        name: the canonical name events and patterns use (``"Russia"``, or a scenario's
            actor id such as ``"russia"``).
        code: ISO 3166-1 alpha-3 for a country, ``"IGO"`` for an intergovernmental
            organisation, or ``None``.
        names: forms that name the actor itself: names, abbreviations, demonyms,
            its people and officials when a vocabulary says so (``"Lavrov"``).
        metonyms: places, buildings and state bodies that stand for the actor's
            government (``"Moscow"``, ``"the Kremlin"``, ``"CENTCOM"``).
        kind: ``"country"``, ``"organisation"`` or ``"custom"``; a country's forms are
            not taken inside a person's name ("Jordan" in "Michael Jordan"); a custom
            actor's are ("Putin" in "Vladimir Putin").
        places: cities, provinces and sites in the country (``"Natanz"``,
            ``"Haifa"``): they say where something happened, so they resolve a target
            ("a hall in Lamerd was bombed": Iran) but never a source.
    """

    name: str
    code: str | None = None
    names: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    kind: str = "custom"
    places: tuple[str, ...] = ()

    def forms(self) -> Iterable[tuple[str, bool]]:
        """Every surface form with whether it is a metonym (a place counts as one)."""
        for form, how in self._forms():
            yield form, how != "name"

    def _forms(self) -> Iterable[tuple[str, str]]:
        yield self.name, "name"
        for form in self.names:
            yield form, "name"
        for form in self.metonyms:
            yield form, "metonym"
        for form in self.places:
            yield form, "place"


@dataclass(frozen=True)
class Mention:
    """One place where a text names an actor.

    Attributes:
        start: offset of the first character in the original text.
        end: offset just past the last character: ``text[start:end] == surface``.
        surface: the text as written.
        actor: the canonical name of the actor it resolves to.
        metonymy: whether the form stands for the actor's government (a capital, a
            seat of government) rather than naming it; a place is a metonymy too.
        place: whether the form is a place in the actor's country (``"Natanz"``):
            it can be where an event happens, never who acts.
    """

    start: int
    end: int
    surface: str
    actor: str
    metonymy: bool = False
    place: bool = False

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"start": self.start, "end": self.end, "text": self.surface, "actor": self.actor, "metonymy": self.metonymy, "place": self.place}


@dataclass(frozen=True)
class ActorVocabulary:
    """The actors a text is resolved to.

    When two actors share a form, the one listed first wins; a longer form beats a
    shorter one inside it ("South Korea" over "Korea"). ``ignored`` forms are matched
    and dropped, so "Latin America" does not yield "America".

    Attributes:
        actors: the actors, in order of precedence.
        ignored: phrases that contain a form but name something else.
    """

    actors: tuple[Actor, ...]
    ignored: tuple[str, ...] = ()
    _index: dict[str, tuple[int, bool, bool] | None] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, Actor] = field(init=False, repr=False, compare=False)
    #: the names of the actors that are countries
    countries: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, tuple[int, bool, bool] | None] = {}
        for form in self.ignored:
            index.setdefault(form, None)
        for i, actor in enumerate(self.actors):
            for form, how in actor._forms():
                form = form.strip()
                hit = (i, how != "name", how == "place")
                if form and form not in index:
                    index[form] = hit
                if form.startswith("the ") and "The " + form[4:] not in index:
                    index["The " + form[4:]] = hit
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_pattern", _compile(tuple(sorted(index))))
        by_name: dict[str, Actor] = {}
        for actor in self.actors:
            by_name.setdefault(actor.name, actor)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "countries", frozenset(a.name for a in self.actors if a.kind == "country"))

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[str, Sequence[str] | Mapping[str, Sequence[str] | str]],
        *,
        base: ActorVocabulary | None = None,
    ) -> ActorVocabulary:
        """Build a vocabulary from ``{actor_name: [surface forms, ...]}``.

        A value may also be ``{"names": [...], "metonyms": [...], "code": "RUS"}``.
        With a ``base`` (usually :func:`default_vocabulary`), an actor of the base whose
        name or code equals the new actor's name or one of its forms (case aside) is
        taken over: the new actor gets its code, names and metonyms, so that
        ``{"russia": ["Russia", "Lavrov"]}`` also resolves "Russian", "Moscow" and "the
        Kremlin" to ``russia``. The other actors of the base follow the mapping's.
        A form that is a metonym in the base stays a metonym; the base actor's places
        become the new actor's.

        Example:
            >>> v = ActorVocabulary.from_mapping({"russia": ["Russia", "Lavrov"]}, base=default_vocabulary())
            >>> [(m.surface, m.actor, m.metonymy) for m in find_mentions("Lavrov flew from Moscow to Doha.", v)]
            [('Lavrov', 'russia', False), ('Moscow', 'russia', True), ('Doha', 'Qatar', True)]
        """
        base_actors = list(base.actors) if base else []
        base_metonyms = {form for a in base_actors for form in (*a.metonyms, *a.places)}
        taken: set[int] = set()
        actors: list[Actor] = []
        for name, spec in mapping.items():
            if isinstance(spec, Mapping):
                names = _as_tuple(spec.get("names", ()))
                metonyms = _as_tuple(spec.get("metonyms", ()))
                code_value = spec.get("code")
                code = code_value if isinstance(code_value, str) else None
            else:
                names, metonyms, code = _as_tuple(spec), (), None
            keys = {name.casefold()} | {f.casefold() for f in names}
            absorbed = [i for i, a in enumerate(base_actors) if i not in taken and (a.name.casefold() in keys or (a.code and a.code.casefold() in keys and a.code != "IGO"))]
            own_names = [f for f in names if f not in base_metonyms]
            own_metonyms = list(metonyms) + [f for f in names if f in base_metonyms]
            own_places: list[str] = []
            for i in absorbed:
                taken.add(i)
                other = base_actors[i]
                code = code or other.code
                own_names += [other.name, *other.names]
                own_metonyms += list(other.metonyms)
                own_places += list(other.places)
            own_places = [f for f in own_places if f not in own_names and f not in own_metonyms]
            # "custom": the mapping may name persons ("Putin"), which must count inside a person's name
            actors.append(Actor(name=name, code=code, names=_unique(own_names), metonyms=_unique(own_metonyms), kind="custom", places=_unique(own_places)))
        actors += [a for i, a in enumerate(base_actors) if i not in taken]
        return cls(tuple(actors), ignored=base.ignored if base else ())

    def actor(self, name: str) -> Actor:
        """The actor called ``name``.

        Raises:
            KeyError: no actor has that name.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no actor {name!r} in the vocabulary") from None

    def code_of(self, name: str) -> str | None:
        """The code of the actor called ``name``, or ``None``."""
        actor = self._by_name.get(name)
        return actor.code if actor else None

    def lookup(self, form: str) -> tuple[Actor, bool] | None:
        """The actor a whole form names, with whether it is a metonym; ``None`` if none."""
        hit = self._index.get(form)
        return (self.actors[hit[0]], hit[1]) if hit else None

    def is_place(self, form: str) -> bool:
        """Whether a whole form is a place (``"Natanz"``), which locates an event but never acts."""
        hit = self._index.get(form)
        return bool(hit and hit[2])


def _as_tuple(value: Sequence[str] | str) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _trie_regex(forms: Sequence[str]) -> str:
    """One regular expression matching any of ``forms``, built as a character trie.

    A plain alternation of a thousand forms tries each at every position; the trie
    shares prefixes, so matching costs about one branch per character.
    """
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
        return body

    return emit(trie)


@lru_cache(maxsize=16)
def _compile(forms: tuple[str, ...]) -> re.Pattern[str]:
    if not forms:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<!\w)(?:" + _trie_regex(forms) + r")(?!\w)")


def find_mentions(text: str, vocabulary: ActorVocabulary) -> list[Mention]:
    """Every mention of an actor in ``text``, left to right, longest form first.

    Matching is case-sensitive (``US`` the country, not ``us``) and on word
    boundaries; ``text[m.start:m.end] == m.surface`` always holds.

    Example:
        >>> text = "Moscow and the White House traded blame; Iranian officials met in Doha."
        >>> [(m.surface, m.actor, m.metonymy) for m in find_mentions(text, default_vocabulary())]
        [('Moscow', 'Russia', True), ('the White House', 'United States', True), ('Iranian', 'Iran', False), ('Doha', 'Qatar', True)]
    """
    mentions = []
    index = vocabulary._index
    actors = vocabulary.actors
    for m in vocabulary._pattern.finditer(text):
        hit = index.get(m.group(0))
        if hit is None:
            continue
        mentions.append(Mention(m.start(), m.end(), m.group(0), actors[hit[0]].name, hit[1], hit[2]))
    return mentions


def _split(forms: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in forms.split(";") if f.strip())


def _by_code(table: str) -> dict[str, tuple[str, ...]]:
    rows = (line.split("|", 1) for line in table.strip().splitlines())
    return {code.strip(): _split(forms) for code, forms in rows}


def _rows(table: str, kind: str) -> list[Actor]:
    places, institutions = _by_code(PLACE_ROWS), _by_code(INSTITUTION_ROWS)
    actors = []
    for line in table.strip().splitlines():
        code, name, others, demonyms, metonyms = (part.strip() for part in line.split("|"))
        actors.append(
            Actor(
                name=name,
                code=code,
                names=_split(others) + _split(demonyms),
                metonyms=_split(metonyms) + institutions.get(code, ()) if kind == "country" else _split(metonyms),
                kind=kind,
                places=places.get(code, ()) if kind == "country" else (),
            )
        )
    return actors


@lru_cache(maxsize=1)
def default_vocabulary() -> ActorVocabulary:
    """The built-in vocabulary: every country (name, other names, demonyms, capital,
    seats of government and state bodies as metonyms, places of :mod:`._places`, ISO
    3166-1 alpha-3 code) and the main intergovernmental organisations (code ``IGO``).

    Example:
        >>> v = default_vocabulary()
        >>> v.code_of("Iran"), v.lookup("Tehran")[0].name, v.lookup("Tehran")[1]
        ('IRN', 'Iran', True)
    """
    return ActorVocabulary(tuple(_rows(COUNTRY_ROWS, "country") + _rows(ORGANISATION_ROWS, "organisation")), ignored=IGNORED_FORMS)
