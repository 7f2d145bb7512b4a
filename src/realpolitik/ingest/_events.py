"""Events in a parsed text: PLOVER type, who did it to whom, how the text holds it, when.

For each verb (and a few event nouns) the lexicon (:mod:`._lexicon`) gives a PLOVER
type. The dependency parse gives the source (subject, or the agent of a passive) and
the target (indirect or direct object, passive subject, or the object of "against",
"on", "to", "with" ...), each resolved to actors through the mentions. The path from
the verb up to the sentence's root gives the modality: a "not" or "failed to"
(negated), an "if" clause (conditional), "could", "fears that", "wants to"
(hypothetical_or_feared), "will", "plans to", "offered to" (predicted), "X claimed
that", "X alleges", "allegedly" (claimed), "X said that", "according to X",
"reportedly" (reported, with X as the claimant). A date attached to the clause is
normalised against the article's date; an event dated more than a month before the
article is historical.

Each sentence has one main event: the trigger nearest the root of its parse (the
more confident on a tie, then the first), flagged ``main`` and listed first among the
sentence's events. An event coder records a sentence by it.

All of it reads a spaCy ``Doc``; nothing here loads a model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from realpolitik.ingest._actors import ActorVocabulary, Mention
from realpolitik.ingest._dates import DateValue, normalise_date, period_bounds
from realpolitik.ingest._lexicon import (
    CLAIMING_VERBS,
    COMMISSIVE_HEADS,
    COOPERATIVE_TYPES,
    COPULAR_ADJECTIVES,
    COPULAR_NOUNS,
    DESIRE_HEADS,
    FEAR_HEADS,
    EVENT_NOUNS,
    HYPOTHETICAL_NOUNS,
    LIGHT_VERBS,
    MOVEMENT_VERBS,
    NEEDS_OBJECT,
    NOT_EVENTS,
    NEGATING_HEADS,
    NOUN_EVENTS,
    OBJECT_RULES,
    PHRASAL,
    PREDICTING_HEADS,
    REPORTING_VERBS,
    VERBS,
    noun_class,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["MODALITIES", "OBSERVING_MODALITIES", "Event", "date_of_span", "events_in_doc", "plover_type", "visible_mentions"]

#: How a text holds an event, strongest first when several apply.
MODALITIES: tuple[str, ...] = ("negated", "conditional", "hypothetical_or_feared", "predicted", "historical", "claimed", "reported", "asserted")
#: The modalities whose present-time events observe an indicator (a party's claim was
#: a report before ``claimed`` was told apart, and still counts as one).
OBSERVING_MODALITIES: tuple[str, ...] = ("asserted", "reported", "claimed")

#: An event dated this many days or more before the article is historical.
HISTORICAL_DAYS = 31

#: Most (source × target) pairs one trigger yields.
_MAX_SOURCES, _MAX_TARGETS = 3, 4

_MODALS_HYPOTHETICAL = frozenset({"could", "might", "may", "would", "should", "must", "can", "ought", "'d"})
_MODALS_FUTURE = frozenset({"will", "shall", "'ll", "wo"})
_REPORTED_ADVERBS = frozenset({"reportedly", "apparently"})
_CLAIMED_ADVERBS = frozenset({"allegedly", "purportedly", "supposedly", "ostensibly"})
_CONDITION_MARKS = frozenset({"if", "unless", "provided", "providing", "once"})
# Pronouns resolved to an actor named before them in the paragraph, by number: "it" a
# country or a body ("Iran fired missiles. It said ..."), "they" one or several, "he",
# "she" a person a vocabulary resolves or a post ("Iran's foreign minister").
_SINGULAR_PRONOUNS = frozenset({"it", "its"})
_PLURAL_PRONOUNS = frozenset({"they", "their", "them"})
_PERSONAL_PRONOUNS = frozenset({"he", "his", "him", "she", "her"})
_PRONOUNS = _SINGULAR_PRONOUNS | _PLURAL_PRONOUNS | _PERSONAL_PRONOUNS
# Definite descriptions of a state ("the country", "the two countries", "both sides").
_STATE_NOUNS = frozenset("country countries nation nations kingdom republic regime state states side sides neighbour neighbours neighbor neighbors government governments".split())
_DEFINITE_DETS = frozenset({"the", "this", "these", "those", "that", "both"})
_IMPERSONAL_VERBS = frozenset({"seem", "appear", "matter", "take"})
_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4}
# A new paragraph: a blank line, or a line break after a sentence's end.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|(?<=[.!?\"'”’])[ \t]*\n")
#: Earlier sentences of the paragraph kept for what later ones refer to.
_MEMORY = 3
# Inside what a speaker says, a pronoun subject or possessor is the speaker: "Israel
# said its jets struck ...", "the Revolutionary Guards claimed they had shot down ...".
_SPEAKER_PRONOUNS = frozenset({"it", "they", "we", "he", "she"})
_SPEAKER_POSSESSIVES = frozenset({"its", "their", "our", "his", "her"})
_UNNAMED_PERSONS = frozenset("general official minister spokesman spokeswoman spokesperson commander diplomat envoy ambassador source officer representative delegate negotiator aide adviser advisor".split())
_ACCUSING_REPORTERS = frozenset({"allege", "charge", "accuse", "complain"})
_REVEALING = frozenset({"reveal", "show", "report", "describe", "indicate", "disclose", "expose", "accuse", "charge", "allege"})
_PERCEPTION_VERBS = frozenset({"see", "watch", "witness", "hear", "let", "make", "help", "expect"})
_DESTINATION_PREPS = ("to", "in", "into", "at", "for")
_TARGET_PREPS = ("against", "on", "upon", "at", "to", "toward", "towards", "with", "into", "over", "from", "for", "in", "between", "among", "amongst")
_NP_PREPS = frozenset({"of", "from"})
_NP_PLACE_PREPS = frozenset({"in", "within", "inside", "throughout", "across"})
# "by" names whom an act on an event is aimed at ("rejected calls by Belarus"), "between"
# and "among" the parties a meeting or a mediation concerns
_TARGET_NP_PREPS = frozenset({"of", "from", "in", "within", "inside", "on", "against", "to", "with", "toward", "towards", "into", "upon", "at", "near", "for", "by", "between", "among", "amongst"})
_PERSON_NOUNS = frozenset(
    """general official officials minister ministers spokesman spokeswoman spokesperson commander commanders diplomat
    diplomats leader leaders envoy envoys ambassador president prime premier chief head source sources officer officers
    representative representatives delegation delegate delegates negotiator negotiators analyst analysts government
    authorities forces troops army military people lawmakers politicians parliament ministry team court courts judge
    judges prosecutor prosecutors police""".split()
)
#: Verbs of a truce coming into force ("the ceasefire took effect at midnight").
_ONSET_VERBS = frozenset("start begin take come go enter commence hold".split())
#: What a spokesman declines to do without refusing anyone anything.
_NO_COMMENT = frozenset("comment elaborate speculate confirm".split())
_LABEL_VERBS = frozenset("view see regard consider call describe brand label deem characterize characterise denounce condemn term".split())
_NEGATIVE_LABELS = frozenset(
    """provocation violation aggression crime crimes terrorism breach outrage escalation threat act atrocity massacre
    betrayal lie lies interference blackmail piracy hypocrisy genocide invasion occupation""".split()
)
_PROPAGATING = frozenset(
    {"xcomp", "ccomp", "advcl", "pcomp", "pobj", "prep", "acl", "relcl", "dobj", "nsubj", "nsubjpass", "conj", "csubj", "attr", "oprd", "appos", "npadvmod", "agent", "dep", "parataxis", "advmod", "acomp"}
)


@dataclass(frozen=True)
class Event:
    """One event a text reports, with everything needed to weigh it.

    Attributes:
        type: the PLOVER event type (one of :data:`~._lexicon.EVENT_TYPES`).
        source: the actor who acts (canonical name), or ``None`` when the text does not say.
        target: the actor acted upon, or ``None``.
        modality: how the text holds the event, one of :data:`MODALITIES`.
        claimant: who says so, for reported and claimed events ("the West" in "the
            West alleges", "CENTCOM" in "according to CENTCOM"), also kept when a
            stronger modality wins; else ``None``.
        date: the event's date as a normalised value (see :class:`~._dates.DateValue`),
            or ``None`` when the text gives none.
        date_precision: ``"day"``, ``"week"``, ``"month"``, ... or ``"unknown"``.
        start: offset of the clause's first character in the article's text.
        end: offset just past the clause's last character.
        text: ``article.text[start:end]``.
        confidence: in [0, 1]: the lexicon's weight for the trigger, lowered when the
            source or target is missing or found only through a pronoun.
        trigger: the lemma (or phrase) that signalled the event.
        trigger_start: offset of the trigger word.
        trigger_end: offset just past the trigger word.
        indicators: names of the indicator patterns the event matches.
        decision: name of the decision pattern the event matches, or ``None``.
        sentence: the index of the event's sentence in the article (from 0).
        main: whether this is its sentence's main event (the trigger nearest the
            root of the parse; every source-target pair of that trigger): the event
            an event coder records the sentence by.
    """

    type: str
    source: str | None
    target: str | None
    modality: str
    claimant: str | None
    date: str | None
    date_precision: str
    start: int
    end: int
    text: str
    confidence: float
    trigger: str
    trigger_start: int
    trigger_end: int
    indicators: tuple[str, ...] = ()
    decision: str | None = None
    sentence: int = 0
    main: bool = False

    def to_dict(self) -> dict[str, object]:
        """The issue's JSON shape for one event."""
        return {
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "modality": self.modality,
            "claimant": self.claimant,
            "date": self.date,
            "date_precision": self.date_precision,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "indicators": list(self.indicators),
            "decision": self.decision,
            "confidence": self.confidence,
            "sentence": self.sentence,
            "main": self.main,
        }


def plover_type(event: Event) -> str:
    """The type an event coder following PLOVER records for ``event``.

    PLOVER codes what an actor did by saying: a refusal to act cooperatively is a
    REJECT ("will not release the prisoners"), a stated intent to act cooperatively an
    AGREE ("will host talks"), a stated intent to act conflictually a THREATEN ("will
    boycott the vote"); so is an act made conditional ("if Ankara buys the missiles,
    sanctions will be imposed": a threat; "will lift the embargo if ...": an offer).
    ``Event.type`` keeps the act itself, with the modality beside it.

    Example:
        >>> e = Event("RETREAT", "Israel", None, "negated", None, None, "unknown", 0, 1, "x", 0.8, "release", 0, 1)
        >>> plover_type(e), plover_type(replace(e, modality="predicted")), plover_type(replace(e, modality="asserted"))
        ('REJECT', 'AGREE', 'RETREAT')
    """
    cooperative = event.type in COOPERATIVE_TYPES
    if event.modality == "negated" and cooperative:
        return "REJECT"
    if event.modality in ("predicted", "conditional"):
        if cooperative:
            return "AGREE"
        if event.type not in ("ACCUSE", "REQUEST", "THREATEN"):
            return "THREATEN"
    return event.type


@dataclass(frozen=True)
class _Trigger:
    token: Token
    type: str
    weight: float
    label: str
    nominal: bool = False


def events_in_doc(
    doc: Doc,
    mentions: Sequence[Mention],
    vocabulary: ActorVocabulary,
    *,
    anchor: dt.date | None = None,
    text: str | None = None,
) -> list[Event]:
    """Every event in a parsed text, sentence by sentence: each sentence's main event
    first (flagged ``main``), then its others in text order.

    One event per (source, target) pair of a trigger, as event coders do ("Lavrov
    called Qatar, Egypt and Jordan" gives three CONSULT events on the same span).
    The main event is the trigger nearest the root of the sentence's parse; on a tie,
    the more confident, then the first.

    Args:
        doc: the text parsed by the pipeline of :func:`~._nlp.load_pipeline`.
        mentions: the actor mentions in ``doc.text`` (from :func:`~._actors.find_mentions`).
        vocabulary: the vocabulary the mentions came from.
        anchor: the article's date; relative dates and "historical" need it.
        text: ``doc.text``, when the caller has it (spaCy rebuilds it on every access).
    """
    at = _token_mentions(doc, mentions)
    context = _Context(doc, at, anchor, doc.text if text is None else text, vocabulary)
    events: list[Event] = []
    date_ents = [e for e in doc.ents if e.label_ == "DATE"]
    if anchor is None:
        context.reference = _reference_date(date_ents)
    for n, sent in enumerate(doc.sents):
        triggers = _triggers(sent)
        context.trigger_tokens = {t.token.i for t in triggers}
        context.dates = _attach_dates([e for e in date_ents if sent.start <= e.start < sent.end], context.trigger_tokens)
        found = [(trigger, list(_events_of(trigger, context))) for trigger in triggers]
        if found:
            main = min(found, key=lambda f: (_depth(f[0].token), -f[1][0].confidence, f[0].token.i))[0]
            events.extend(replace(e, sentence=n, main=True) for t, group in found if t is main for e in group)
            events.extend(replace(e, sentence=n) for t, group in found if t is not main for e in group)
        context.remember_subject(sent)
    return events


def _depth(token: Token) -> int:
    """How many heads are above ``token`` in its sentence's parse (0: the root)."""
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


@dataclass(frozen=True)
class _Said:
    """What one sentence leaves for the later sentences of its paragraph to refer to.

    Attributes:
        subject: the actors of its main subject ("it", "they" refer to them first).
        named: the actors it names, places aside, in text order ("the two countries").
        acts: (lemma, type, source actors) of its events: "the strikes" are the
            striker's, and so are the sites "hit" in the next sentence.
        person: whether its main subject is a person ("he", "she" may refer to it).
    """

    subject: tuple[str, ...]
    named: tuple[str, ...]
    acts: tuple[tuple[str, str, tuple[str, ...]], ...]
    person: bool


class _Context:
    """Per-document state threaded through one pass: the mentions, the dates, and what the
    paragraph's earlier sentences said (for pronouns and definite descriptions)."""

    def __init__(self, doc: Doc, at: dict[int, Mention], anchor: dt.date | None, text: str, vocabulary: ActorVocabulary) -> None:
        self.doc = doc
        self.vocabulary = vocabulary
        self.text = text
        self.at = at
        self.anchor = anchor
        #: the paragraph's earlier sentences, the latest last
        self.said: list[_Said] = []
        #: offset of the paragraph break after the latest sentence in ``said``
        self.paragraph_end = len(text)
        self.trigger_tokens: set[int] = set()
        #: this sentence's triggers so far: token index -> (type, sources)
        self.acts: dict[int, tuple[str, tuple[str, ...]]] = {}
        #: the subjects being resolved for a pronoun or a description (against cycles)
        self.resolving: set[int] = set()
        self.dates: dict[int, list[Span]] = {}
        #: without the article's date: the first day of the latest period it reports as
        #: past ("in 2004" in a past-tense clause): the article is no older than that
        self.reference: dt.date | None = None

    def remember_subject(self, sent: Span) -> None:
        """Keep what this sentence names, its main subject and its acts for the pronouns and
        definite descriptions of the next ones; a new paragraph forgets them."""
        if sent.start_char > self.paragraph_end:
            self.said = []
        # the break, if any, lies between this sentence's last word and the next one's first
        last = next((t for t in reversed(sent) if not t.is_space), sent[-1])
        after = sent.end
        while after < len(self.doc) and self.doc[after].is_space:
            after += 1
        following = self.doc[after] if after < len(self.doc) else None
        found = _PARAGRAPH_BREAK.search(self.text, last.idx + len(last.text) - 1, following.idx if following is not None else len(self.text))
        self.paragraph_end = found.start() if found else (following.idx if following is not None else len(self.text))
        root = sent.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        actors = _actors_of(subject, self, target=False) if subject is not None else []
        named = [m.actor for m in (self.at.get(i) for i in range(sent.start, sent.end)) if m is not None and not m.place]
        acts = [(self.doc[i].lemma_.lower(), kind, doers) for i, (kind, doers) in sorted(self.acts.items())]
        self.acts = {}
        person = subject is not None and _is_person(subject)
        self.said = [*self.said[-_MEMORY + 1 :], _Said(tuple(actors), tuple(dict.fromkeys(named)), tuple(acts), person)]

    def earlier(self, token: Token) -> list[_Said]:
        """The sentences of ``token``'s paragraph before its own, the latest first."""
        return list(reversed(self.said)) if token.sent.start_char <= self.paragraph_end else []


def visible_mentions(doc: Doc, mentions: Sequence[Mention], vocabulary: ActorVocabulary) -> list[Mention]:
    """The mentions that stand: a country's form inside a longer person's name ("Jordan"
    in "Michael Jordan", "Washington" in "George Washington") is dropped."""
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    if not persons:
        return list(mentions)
    countries = vocabulary.countries
    return [m for m in mentions if not (m.actor in countries and any(s <= m.start and m.end <= e and (e - s) > (m.end - m.start) for s, e in persons))]


def _token_mentions(doc: Doc, mentions: Sequence[Mention]) -> dict[int, Mention]:
    """Token index → the mention covering it."""
    at: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            at.setdefault(token.i, m)
    return at


# -- triggers ---------------------------------------------------------------------


_OBJECT_PREP_VERBS = frozenset({"go", "engage", "participate", "take", "embark", "enter", "agree", "remain", "stay", "put", "place", "lay", "keep"})


def _objects(verb: Token) -> list[Token]:
    """The nouns a verb acts on: direct object, passive subject, "of" after a gerund, and their conjuncts."""
    found = []
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass", "oprd", "attr") or (c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN")):
            found.append(c)
        elif c.dep_ == "prep" and c.lower_ in ("of", "on", "in", "into", "for", "to") and (verb.pos_ == "NOUN" or verb.lemma_ in _OBJECT_PREP_VERBS):
            found.extend(g for g in c.children if g.dep_ == "pobj")
    more = []
    for f in found:
        more.extend(c for c in f.children if c.dep_ == "conj")
    return found + more


def _object_classes(obj: Token) -> list[str]:
    """The lexicon classes of an object noun, of its noun modifiers, and of its "of" complement
    ("veto power", "a state of emergency", "a suspension of aid")."""
    classes = list(noun_class(obj.lemma_.lower())) + list(noun_class(obj.lower_))
    for c in obj.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < obj.i:
            classes += noun_class(c.lemma_.lower())
        elif c.dep_ == "prep" and c.lower_ == "of":
            classes += [cls for g in c.children if g.dep_ == "pobj" for cls in noun_class(g.lemma_.lower())]
    return classes


def _is_date(token: Token) -> bool:
    return token.ent_type_ in ("DATE", "TIME")


def _verb_type(token: Token, lemma: str) -> tuple[str, float, str] | None:
    """The (type, weight, label) a verb signals, or ``None``.

    Tried in order: a phrasal verb's object rule ("hand over" + aid), the phrasal verb
    ("call off"), the verb's object rule ("impose" + sanctions), a verb with a
    preposition or a set object ("call for", "stop work"), a verb labelling its object
    ("view ... as a provocation"), a light verb with an event noun ("announced a
    suspension"), the verb alone.
    """
    children = list(token.children)
    objects = _objects(token)
    particles = [c.lower_ for c in children if c.dep_ == "prt"]
    for particle in particles:
        for obj in objects:
            for cls in _object_classes(obj):
                hit = OBJECT_RULES.get((f"{lemma} {particle}", cls))
                if hit:
                    return hit[0], hit[1], f"{lemma} {particle} {obj.lemma_.lower()}"
        hit = PHRASAL.get((lemma, particle))
        if hit:
            return hit[0], hit[1], f"{lemma} {particle}"
    for obj in objects:
        for cls in _object_classes(obj):
            hit = OBJECT_RULES.get((lemma, cls))
            if hit:
                return hit[0], hit[1], f"{lemma} {obj.lemma_.lower()}"
    for c in children:
        if c.dep_ in ("prep", "dobj", "dative", "advmod", "acomp", "oprd", "ccomp", "xcomp"):
            if c.dep_ == "prep" and any(_is_date(g) for g in c.children if g.dep_ == "pobj"):
                continue  # "called Erdogan on Wednesday" is not "call on"
            hit = PHRASAL.get((lemma, c.lower_)) or PHRASAL.get((lemma, c.lemma_.lower()))
            if hit:
                return hit[0], hit[1], f"{lemma} {c.lower_}"
            if c.dep_ == "prep":
                for g in c.children:
                    hit = PHRASAL.get((lemma, g.lower_)) if g.dep_ == "pobj" else None
                    if hit:
                        return hit[0], hit[1], f"{lemma} {g.lower_}"
    for obj in objects:
        # an object complement the parser hangs on the object: "held the rebels responsible", "let free activists"
        for c in obj.children:
            hit = PHRASAL.get((lemma, c.lower_)) if c.dep_ == "amod" and (c.i > obj.i or c.i == token.i + 1) else None
            if hit:
                return hit[0], hit[1], f"{lemma} {c.lower_}"
    if lemma in _LABEL_VERBS:
        labels = [g for c in children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
        labels += [c for c in children if c.dep_ in ("oprd", "attr", "ccomp", "xcomp")]
        for label in labels:
            if label.lemma_.lower() in _NEGATIVE_LABELS:
                return "ACCUSE", 0.75, f"{lemma} as {label.lemma_.lower()}"
    if lemma in LIGHT_VERBS:
        for obj in objects:
            hit = EVENT_NOUNS.get(obj.lower_) or EVENT_NOUNS.get(obj.lemma_.lower())
            if hit:
                return hit[0], hit[1], f"{lemma} {obj.lemma_.lower()}"
    if lemma == "include" and (subject := _subject_token(token)) is not None and subject.lemma_.lower() == "target" and objects:
        return "ASSAULT", 0.6, "targets include"  # "Other targets included a school in Khomein": a list of what was struck
    if lemma == "call" and any(o.dep_ == "dobj" and (o.pos_ == "PROPN" or o.lemma_.lower() in _PERSON_NOUNS) for o in objects) and not any(c.dep_ in ("oprd", "xcomp") and c.pos_ != "VERB" for c in children):
        return "CONSULT", 0.65, "call"  # a telephone call: "Trump called King Salman on Saturday"
    if lemma in _ONSET_VERBS and any(c.dep_ == "nsubj" and "truce" in noun_class(c.lemma_.lower()) for c in children):
        return "RETREAT", 0.7, f"truce {lemma}"  # "the ceasefire will start on Tuesday", "a truce took effect"
    hit = VERBS.get(lemma)
    if hit is None:
        return None
    if lemma in NEEDS_OBJECT and not objects:
        return None
    if lemma in NOT_EVENTS and any(o.lemma_.lower() in NOT_EVENTS[lemma] for o in objects):
        return None
    if lemma in _ACCUSING_REPORTERS and not objects and any(c.dep_ == "ccomp" for c in children):
        return None  # "the West alleges that ...": a report, not an accusation of anyone
    if lemma in ("decline", "refuse") and any(c.dep_ == "xcomp" and c.lemma_.lower() in _NO_COMMENT for c in children):
        return None  # "declined to comment": no act refused
    if lemma == "defend" and not objects:
        return None  # "defend against strikes" is not verbal support
    if lemma in MOVEMENT_VERBS:
        subject = _subject_token(token)
        goes = subject is not None and (subject.lemma_.lower() in _PERSON_NOUNS or subject.pos_ == "PROPN")
        arrives = any(c.dep_ == "prep" and c.lower_ in _DESTINATION_PREPS for c in children)
        if arrives and _peacekeeping(token):
            return "AID", 0.7, f"{lemma} peacekeeping"  # "peacekeeping troops arrived in Monrovia"
        if not (goes and arrives):
            return None
    return hit[0], hit[1], lemma


def _triggers(sent: Span) -> list[_Trigger]:
    found: list[_Trigger] = []
    verbs: set[int] = set()
    nouns: list[Token] = []
    for token in sent:
        pos = token.pos_
        if pos == "NOUN":
            nouns.append(token)
        if pos in ("AUX", "VERB") and token.lemma_ in ("be", "remain") and token.dep_ not in ("aux", "auxpass"):
            copular = _copular(token)
            if copular:
                found.append(copular)
                verbs.add(token.i)
                continue
            if pos == "AUX":
                continue
        if pos != "VERB" or token.dep_ in ("amod", "compound", "aux", "auxpass"):
            continue
        lemma = token.lemma_.lower()
        hit = _verb_type(token, lemma)
        if hit and hit[0] == "MOBILIZE" and _peacekeeping(token):
            hit = ("AID", hit[1], f"{hit[2]} peacekeeping")
        if hit and hit[0] == "REQUEST" and _punishment_sought(token):
            hit = ("ACCUSE", hit[1], f"{hit[2]} sanctions")
        if _demanded(token):
            hit = ("REQUEST", 0.7, f"must {lemma}")
        if hit:
            found.append(_Trigger(token, hit[0], hit[1], hit[2]))
            verbs.add(token.i)
    for token in nouns:
        if token.dep_ in ("amod", "compound") or token.head.i in verbs:
            continue
        lower = token.lower_
        hit = None
        if _small_clause_verb(token):
            typed = _verb_type(token, token.lemma_.lower())
            if typed:
                found.append(_Trigger(token, typed[0], typed[1] * 0.9, typed[2]))
                continue
        if lower.endswith("ing") and len(lower) > 5:
            for stem in (lower[:-3], lower[:-3] + "e", lower[:-4]):
                typed = _verb_type(token, stem)
                if typed:
                    hit = (typed[0], typed[1] * 0.85, typed[2])
                    break
        if hit is None and _military_strike(token):
            hit = ("ASSAULT", 0.6, "strike")
        if hit is None and token.lemma_.lower() in NOUN_EVENTS and token.dep_ not in ("nsubj", "nsubjpass"):
            kind, weight = NOUN_EVENTS[token.lemma_.lower()]
            if any(c.dep_ in ("poss", "prep") for c in token.children):
                hit = (kind, weight, token.lemma_.lower())
        if hit:
            found.append(_Trigger(token, hit[0], hit[1], hit[2], nominal=True))
    return _with_purposes(sorted(found, key=lambda t: t.token.i))


#: Contacts (a call, a visit, experts sent) and the verbal acts their purpose can be.
_CONTACT_TYPES = frozenset({"CONSULT", "MOBILIZE"})
_PURPOSE_TYPES = frozenset({"SUPPORT", "ACCUSE"})
#: What an "operation" is launched for can be coercion ("launched operations to detain 110 people").
_OPERATION_PURPOSES = frozenset({"COERCE"})
#: Legal accusations whose conjoined penalty is what the court did ("convicted ... and sentenced him to prison").
_VERDICTS = frozenset({"convict", "find guilty", "charge", "indict", "prosecute"})


def _with_purposes(found: list[_Trigger]) -> list[_Trigger]:
    """A contact made to praise, apologise or accuse takes that purpose's type: "called
    Morrison to congratulate him" is recorded as the praise, the call's source and target
    kept; an operation launched to detain is the detention; a verdict with its penalty
    is the penalty (COERCE)."""
    out = []
    for trigger in found:
        if trigger.type in _CONTACT_TYPES:
            purposes = _PURPOSE_TYPES
        elif trigger.label.endswith((" operation", " operations")):
            purposes = _OPERATION_PURPOSES
        else:
            purposes = frozenset()
        for other in found:
            token = other.token
            if token.head.i != trigger.token.i or token.i == trigger.token.i:
                continue
            purpose = other.type in purposes and token.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
            penalty = trigger.type == "ACCUSE" and trigger.label in _VERDICTS and other.type == "COERCE" and token.dep_ == "conj"
            if purpose or penalty:
                trigger = replace(trigger, type=other.type, label=f"{trigger.label} {'and' if penalty else 'to'} {other.label}")
                break
        out.append(trigger)
    return out


_PEACEKEEPING = frozenset({"peacekeeping", "peacekeeper", "peacekeepers", "peace-keeping", "peace-keepers", "blue-helmets"})
#: The relations through which a verb's own phrases hang (not another clause's).
_PHRASAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "prep", "pobj", "appos", "compound", "amod", "nmod", "conj", "npadvmod", "poss"})


def _peacekeeping(verb: Token) -> bool:
    """Whether forces are sent or go on a peacekeeping mission ("sent troops to the UN
    peacekeeping force", "peacekeepers arrived"): PLOVER counts that as AID (CAMEO 074,
    military protection or peacekeeping), not as a show of force."""
    stack = [c for c in verb.children if c.dep_ in _PHRASAL_DEPS]
    while stack:
        node = stack.pop()
        if node.lower_ in _PEACEKEEPING or node.lemma_.lower() in _PEACEKEEPING:
            return True
        stack.extend(c for c in node.children if c.dep_ in _PHRASAL_DEPS)
    return False


_PUNISHMENTS = frozenset({"sanction", "sanctions", "embargo", "embargoes", "punishment"})


def _punishment_sought(verb: Token) -> bool:
    """Whether a demand is for sanctions against a party ("called for sanctions against
    China", "urged sanctions on Russia"): a condemnation of that party more than a request
    of whoever is to impose them, and event coders record it as such (ACCUSE)."""
    wanted = [c for c in verb.children if c.dep_ == "dobj"]
    wanted += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ == "pobj"]
    for noun in wanted:
        if noun.lemma_.lower() not in _PUNISHMENTS and noun.lower_ not in _PUNISHMENTS:
            continue
        aimed = [c for node in (noun, verb) for c in node.children if c.dep_ == "prep" and c.lower_ in ("against", "on")]
        if any(g.dep_ == "pobj" for c in aimed for g in c.children):
            return True
    return False


_DEONTIC = frozenset({"must", "should", "ought"})


def _demanded(verb: Token) -> bool:
    """Whether a speaker says that someone else must do something ("the US said North
    Korea must disarm first"): a demand on that party, a REQUEST whatever the act asked
    for. A pronoun subject is left alone: it is mostly the speaker ("we must defend ourselves")."""
    if verb.dep_ not in ("ccomp", "parataxis") or not any(c.dep_ == "aux" and c.lower_ in _DEONTIC for c in verb.children):
        return False
    head = verb.head
    if head.lemma_.lower() not in REPORTING_VERBS or head.pos_ not in ("VERB", "AUX"):
        return False
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    speaker = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ == "PRON":
        return False
    return speaker is None or subject.lemma_.lower() != speaker.lemma_.lower()


def _copular(verb: Token) -> _Trigger | None:
    """The event a copular clause states: "X remains the largest donor of aid", "X is one
    of the largest donors" (AID); "Y said Taliban militants were responsible" (ACCUSE,
    where someone says so of a party named, not of itself)."""
    for c in verb.children:
        noun = c
        if c.dep_ == "attr" and c.lemma_.lower() == "one":
            noun = next((g for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"), c)
        hit = COPULAR_NOUNS.get(noun.lemma_.lower()) if c.dep_ == "attr" else None
        if hit:
            return _Trigger(verb, hit[0], hit[1], f"be {noun.lemma_.lower()}")
        hit = COPULAR_ADJECTIVES.get(c.lemma_.lower()) if c.dep_ == "acomp" else None
        subject = next((g for g in verb.children if g.dep_ == "nsubj"), None)
        if hit and subject is not None and subject.pos_ != "PRON" and verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_.lower() in REPORTING_VERBS:
            return _Trigger(verb, hit[0], hit[1], f"be {c.lemma_.lower()}")
    return None


_STRIKE_MODIFIERS = frozenset("drone missile air rocket precision retaliatory military preemptive pre-emptive punitive surgical targeted artillery naval aerial".split())


def _military_strike(token: Token) -> bool:
    """Whether the noun "strike" is an attack, not a walkout: "a drone strike", "strikes
    on Israel", "Israeli strikes" (a labour strike has none of these)."""
    if token.lemma_.lower() != "strike" or token.dep_ in ("nsubj", "nsubjpass"):
        return False
    for c in token.children:
        if c.dep_ in ("compound", "amod", "nmod") and (c.lemma_.lower() in _STRIKE_MODIFIERS or c.ent_type_ in ("NORP", "GPE")):
            return True
        if c.dep_ == "prep" and c.lower_ in ("on", "against") and any(g.dep_ == "pobj" and not _is_date(g) for g in c.children):
            return True
    return False


def _small_clause_verb(token: Token) -> bool:
    """A verb the tagger took for a noun after a verb of perception: "see a delegation
    land in Moscow" parses as the noun "land" with "delegation" as its compound."""
    return (
        token.dep_ == "dobj"
        and token.head.lemma_.lower() in _PERCEPTION_VERBS
        and token.lemma_.lower() in VERBS
        and any(c.dep_ == "compound" and c.i < token.i for c in token.children)
        and any(c.dep_ == "prep" for c in token.children)
    )


# -- arguments ----------------------------------------------------------------------


def _mention_actor(token: Token, ctx: _Context, *, target: bool, head: bool = True) -> str | None:
    """The actor a token names. A place ("Natanz") heading a phrase only as a target: it
    locates, never acts; as a modifier it may say whose a body is ("an Istanbul court")."""
    m = ctx.at.get(token.i)
    return m.actor if m is not None and (target or not m.place or not head) else None


def _actors_of(token: Token, ctx: _Context, *, target: bool, depth: int = 0) -> list[str]:
    """The actors a noun phrase stands for: its own name, else its possessor, modifier,
    apposition or "of"/"in" complement; conjuncts add theirs."""
    if depth > 5:
        return []
    own = _mention_actor(token, ctx, target=target, head=depth == 0)
    out: list[str] = [own] if own else []
    if not out and token.pos_ == "PRON":
        return _antecedent(token, ctx)
    # a possessor named only through a pronoun or a description ("its troops", "his
    # country's support") yields to the phrase's complements: "withdraw its troops from Lebanon"
    referred: list[str] = []
    # as a target, whose support it is yields to whom it is for ("reiterated Turkey's
    # support for the GNA"); whose attack it is does not ("condemned Israel's strikes on Iran")
    aimed = (
        target
        and any(c.dep_ == "poss" for c in token.children)
        and any(c.dep_ == "prep" and c.lower_ in _AIMED_COMPLEMENTS for c in token.children)
        and _act_type(token) not in _HOSTILE_TYPES
    )
    owner: list[str] = []
    if not out:
        for c in token.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod", "appos", "npadvmod"):
                found = _actors_of(c, ctx, target=target, depth=depth + 1)
                if c.dep_ == "poss" and ctx.at.get(c.i) is None and (c.pos_ == "PRON" or not any(ctx.at.get(g.i) for g in c.subtree)):
                    referred += found
                elif c.dep_ == "poss" and aimed:
                    owner += found
                else:
                    out += found
    if not out:
        people = token.lemma_.lower() in _PERSON_NOUNS or token.lemma_.lower() in _GROUP_NOUNS  # "demonstrators in Baghdad"
        preps = _TARGET_NP_PREPS if target else _NP_PREPS | (_NP_PLACE_PREPS if people else frozenset())
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                for g in c.children:
                    if g.dep_ == "pobj":
                        out += _actors_of(g, ctx, target=target, depth=depth + 1)
    if not out:
        out = owner or referred or (_described(token, ctx) if token.pos_ == "NOUN" else [])
    for c in token.children:
        if c.dep_ == "conj":
            out += _actors_of(c, ctx, target=target, depth=depth + 1)
    return list(dict.fromkeys(out))


_HOSTILE_TYPES = frozenset({"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
_AIMED_COMPLEMENTS = frozenset({"for", "to", "on", "upon", "against", "toward", "towards", "with", "into", "over"})
_PERSON_HEADS = _UNNAMED_PERSONS | frozenset({"president", "leader", "king", "queen", "premier", "chancellor", "emir", "prince", "chief", "secretary"})


def _is_person(token: Token) -> bool:
    """Whether a phrase's head is a person ("he", "she" may refer to it, "it" may not)."""
    return token.ent_type_ == "PERSON" or token.lemma_.lower() in _PERSON_HEADS


def _agrees(pronoun: str, antecedent: Token | None, actors: Sequence[str], person: bool) -> bool:
    """Whether a pronoun can stand for ``actors``: "it" for one actor named in the
    singular, "he", "she" for a person, "they" for any (a plural, a body, a people)."""
    if pronoun in _PLURAL_PRONOUNS:
        return True
    if pronoun in _PERSONAL_PRONOUNS:
        return person
    plural = antecedent is not None and (antecedent.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in antecedent.children))
    return len(actors) == 1 and not plural and not person


def _antecedent(pronoun: Token, ctx: _Context) -> list[str]:
    """The actors a pronoun refers to: the subject of a clause above it named before it
    ("Israel said its jets ...", "Benin opened its borders"); for "it", "its", else the
    state named last before it in its sentence ("After the attacks on Kuwait, its
    ministry ..."); else the main subject of the paragraph's latest sentence that agrees
    in number ("Iran fired missiles. It said ...")."""
    word = pronoun.lower_
    if word not in _PRONOUNS or (word == "it" and _expletive(pronoun)):
        return []
    for node in pronoun.ancestors:
        if node.pos_ not in ("VERB", "AUX"):
            continue
        subject = _subject_token(node)
        if subject is None or subject.i >= pronoun.i or subject.pos_ == "PRON" or subject.left_edge.i <= pronoun.i <= subject.right_edge.i:
            continue
        actors = _resolved(subject, ctx)
        if actors and _agrees(word, subject, actors, _is_person(subject)):
            return actors
    if word in _SINGULAR_PRONOUNS:
        # a state named in a phrase put before the clause: "After the attacks on Kuwait, its foreign ministry ..."
        start = pronoun.sent.start
        for i in range(pronoun.i - 1, start - 1, -1):
            m = ctx.at.get(i)
            if m is not None and not m.place and ctx.doc[i].ent_type_ != "PERSON":
                return [m.actor]
    for said in ctx.earlier(pronoun)[:1]:
        if said.subject and _agrees(word, None, said.subject, said.person):
            return list(said.subject)
    return []


def _expletive(it: Token) -> bool:
    """Whether "it" stands for no one: "it was reported that", "it seems", "it is likely
    that" (a clause put off to the end), unlike "it is willing to withdraw"."""
    if it.dep_ in ("expl", "nsubjpass") or it.head.lemma_.lower() in _IMPERSONAL_VERBS:
        return True
    return it.head.lemma_.lower() == "be" and any(g.dep_ == "ccomp" for c in it.head.children for g in (c, *c.children) if c.dep_ in ("ccomp", "acomp", "attr"))


def _described(noun: Token, ctx: _Context) -> list[str]:
    """The actors a definite description refers to: "the country" the latest state named
    before it in the paragraph, "the two countries" ("both sides") the latest two; "the
    strikes" ("the attack", "the expulsions") whoever did the act it names, earlier in
    the sentence or the paragraph."""
    dets = [c for c in noun.children if c.dep_ in ("det", "predet", "nummod") and c.lower_ in _DEFINITE_DETS | _COUNTS.keys()]
    if not dets:
        return []
    lemma = noun.lemma_.lower()
    if lemma in _STATE_NOUNS:
        count = max((_COUNTS.get(d.lower_, 1) for d in dets), default=1)
        if count == 1 and noun.tag_ in ("NNS", "NNPS"):
            return []  # "the countries": how many is not said
        before = [m.actor for m in (ctx.at.get(i) for i in range(noun.i - 1, noun.sent.start - 1, -1)) if m is not None and not m.place]
        for said in ctx.earlier(noun):
            # an earlier sentence's subject first: "Russia expelled two Estonian diplomats. The country ..."
            before += [*said.subject, *reversed(said.named)] if count == 1 else reversed(said.named)
        states = list(dict.fromkeys(before))
        return states[count - 1 :: -1] if len(states) >= count else []  # in the order they were named
    for i in sorted(ctx.trigger_tokens, reverse=True):  # (the triggers of the noun's own sentence)
        if i < noun.i and _names_act(lemma, ctx.doc[i].lemma_.lower()):
            doer = _subject_token(ctx.doc[i])
            actors = _resolved(doer, ctx) if doer is not None and doer.i != noun.i else []
            if actors:
                return actors
    earlier = ctx.earlier(noun)
    named_kind = _act_type(noun) if earlier else None
    for said in earlier:
        for verb, kind, doers in reversed(said.acts):
            if doers and (_names_act(lemma, verb) or kind == named_kind):
                return list(doers)
    return []


_WEAPONS = frozenset("missile missiles rocket rockets drone drones shell shells projectile projectiles bomb bombs munition munitions torpedo torpedoes mortar mortars".split())
# What is deployed or sent is the sender's own: "Ecowas peacekeepers are being deployed"
# (the soldiers "killed" are acted upon)
_FORCES = frozenset("troop troops force forces soldier soldiers peacekeeper peacekeepers warship warships ship ships jet jets aircraft unit units battalion battalions brigade brigades".split())


def _instrument(token: Token, kind: str) -> bool:
    """Whether a passive subject is what an actor acts with, not on: weapons fired,
    forces deployed."""
    lemma = token.lemma_.lower()
    return lemma in _WEAPONS or (kind in ("MOBILIZE", "AID") and lemma in _FORCES)


def _act_type(token: Token) -> str | None:
    """The event type a verb or an event noun names, for matching acts across sentences
    ("the attack" after "fired missiles at"); ``None`` for anything else."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        typed = _verb_type(token, lemma)
        return typed[0] if typed else None
    if token.pos_ == "NOUN":
        hit = EVENT_NOUNS.get(lemma) or NOUN_EVENTS.get(lemma)
        return hit[0] if hit else ("ASSAULT" if "attack" in noun_class(lemma) else None)  # "the strikes", "the raid"
    return None


def _implicit_agent(token: Token, kind: str, ctx: _Context) -> list[str]:
    """Who did an act told in the passive without a "by" ("three sites were hit"): the
    doer of the paragraph's latest act of the same type before it ("Israel struck Iran
    overnight. Three sites were hit.")."""
    if not any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
        return []
    for i, (other, doers) in sorted(ctx.acts.items(), reverse=True):  # (the acts of the token's own sentence)
        if i < token.i and other == kind and doers:
            return list(doers)
    for said in ctx.earlier(token):
        for _, other, doers in reversed(said.acts):
            if doers and other == kind:
                return list(doers)
    return []


def _resolved(token: Token, ctx: _Context) -> list[str]:
    """``_actors_of`` a subject a pronoun or a description leads back to, once: a
    subject that leads back to the phrase being resolved stands for no one."""
    if token.i in ctx.resolving:
        return []
    ctx.resolving.add(token.i)
    try:
        return _actors_of(token, ctx, target=False)
    finally:
        ctx.resolving.discard(token.i)


def _names_act(noun: str, verb: str) -> bool:
    """Whether a noun names the act of a verb ("strikes" "strike", "invasion" "invade",
    "withdrawal" "withdraw"): the same stem, all but its last two letters shared."""
    shared = 0
    for a, b in zip(noun, verb):
        if a != b:
            break
        shared += 1
    return shared >= 4 and shared >= len(verb) - 2


def _subject_token(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            if c.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return verb.head
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if verb.pos_ == "NOUN" and _small_clause_verb(verb):
        return next(c for c in verb.children if c.dep_ == "compound" and c.i < verb.i)
    if verb.pos_ == "NOUN":
        for c in verb.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ == "by":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        if verb.dep_ == "pobj" and verb.head.lower_ in ("with", "through"):
            # "Iran opened a new campaign with attacks on ...": the means of the act is the actor's
            host = verb.head.head
            host = host.head if host.dep_ == "dobj" else host
            return _subject_token(host) if host.pos_ == "VERB" and host.i != verb.i else None
        return None
    if verb.dep_ == "acl" and verb.head.dep_ == "dobj" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and verb.head.head.pos_ == "VERB":
        return _subject_token(verb.head.head)  # a purpose: "Norway donated vaccines to assist Malawi"
    if verb.dep_ == "acl":
        return verb.head
    if verb.dep_ == "xcomp" and verb.head.dep_ == "acomp" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject_token(verb.head.head)  # "Syria is willing to withdraw"
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
        return _subject_token(verb.head)
    return None


def _sources(trigger: _Trigger, ctx: _Context) -> tuple[list[str], bool]:
    """The source actors, and whether they came through a pronoun or a neighbour; kept
    with the trigger's type for the next sentences' descriptions and passives."""
    sources, indirect = _find_sources(trigger, ctx)
    ctx.acts[trigger.token.i] = (trigger.type, tuple(sources))
    return sources, indirect


def _find_sources(trigger: _Trigger, ctx: _Context) -> tuple[list[str], bool]:
    subject = _subject_token(trigger.token)
    if subject is None:
        # "missiles from Iran were fired at ...": where the weapons came from
        instruments = [c for c in trigger.token.children if c.dep_ == "nsubjpass" and _instrument(c, trigger.type)]
        origin = [a for c in instruments for p in c.children if p.dep_ == "prep" and p.lower_ == "from" for g in p.children if g.dep_ == "pobj" for a in _actors_of(g, ctx, target=False, depth=1)]
        # "Ecowas peacekeepers were deployed": whose forces they are
        origin += [a for c in instruments if c.lemma_.lower() in _FORCES for a in _actors_of(c, ctx, target=False)]
        if origin:
            return list(dict.fromkeys(origin)), False
        if trigger.nominal:
            return _described(trigger.token, ctx), True  # "the attacks" named again: whoever made them
        return _implicit_agent(trigger.token, trigger.type, ctx), True
    if subject.pos_ == "PRON":
        speaker = _speaker(trigger.token, ctx) if subject.lower_ in _SPEAKER_PRONOUNS else []
        return speaker or _antecedent(subject, ctx), True
    if ctx.at.get(subject.i) is None and any(c.dep_ == "poss" and c.lower_ in _SPEAKER_POSSESSIVES for c in subject.children):
        actors = _speaker(trigger.token, ctx) or _actors_of(subject, ctx, target=False)
        if actors:
            return actors, True
    actors = _actors_of(subject, ctx, target=False)
    if not actors and subject.head.i == trigger.token.i and _small_clause_verb(trigger.token):
        # the misparsed subject's own modifiers ("Iranian") hang on the verb
        actors = [a for c in trigger.token.children if c.dep_ in ("amod", "nmod", "compound") for a in _actors_of(c, ctx, target=False)]
    if actors:
        return actors, False
    if _is_person(subject) or (subject.pos_ == "PROPN" and ctx.at.get(subject.i) is None):
        # "Erdogan reiterated Turkey's support for ...": a person outside the vocabulary
        # speaking of a state's stance speaks for that state
        owners = [a for o in trigger.token.children if o.dep_ == "dobj" for c in o.children if c.dep_ == "poss" and ctx.at.get(c.i) is not None for a in _actors_of(c, ctx, target=False, depth=1)]
        if owners:
            return owners, True
    if subject.lemma_.lower() in _UNNAMED_PERSONS:
        # "frustration within Iran's Revolutionary Guard, with a general blaming Russia":
        # an unnamed official belongs to the nearest actor named just before, in the same sentence.
        sent_start = subject.sent.start
        targets = _targets(trigger, ctx, ())  # before sources are known: keep a target from being the source
        for i in range(subject.i - 1, max(sent_start, subject.i - 12) - 1, -1):
            m = ctx.at.get(i)
            if m is not None and not m.place and m.actor not in targets:
                return [m.actor], True
    return [], False


def _speaker(token: Token, ctx: _Context) -> list[str]:
    """The actors of whoever says the clause ``token`` is in ("Israel" in "Israel said
    its jets struck ..."): the subject of the nearest reporting verb whose complement
    holds it; none outside reported speech."""
    child = token
    for node in token.ancestors:
        if child.dep_ not in ("ccomp", "parataxis", "conj", "xcomp", "advcl"):
            break
        if node.lemma_.lower() in REPORTING_VERBS and node.pos_ in ("VERB", "AUX") and child.dep_ in ("ccomp", "parataxis"):
            subject = _subject_token(node)
            return _actors_of(subject, ctx, target=False) if subject is not None else []
        child = node
    return []


def _targets(trigger: _Trigger, ctx: _Context, sources: Sequence[str], *, domestic: bool = True) -> list[str]:
    """The actors a trigger acts on. With ``domestic=False`` (the act an outer verb agreed
    to or refused) the fallback to the source's own people (:func:`_compatriots`) is
    left to the outer verb, whose other rules come first."""
    token = trigger.token
    by_dep: dict[str, list[Token]] = {}
    objects_of: dict[str, list[Token]] = {}
    for c in token.children:
        by_dep.setdefault(c.dep_, []).append(c)
        if c.dep_ == "prep":
            objects_of.setdefault(c.lower_, []).extend(g for g in c.children if g.dep_ == "pobj")
    # a dative "to" (spaCy's "gives equipment to Nicaragua") stands for its object
    datives = [g for c in by_dep.get("dative", []) for g in ([c] if c.pos_ != "ADP" else [x for x in c.children if x.dep_ == "pobj"])]
    candidates: list[Token] = datives + by_dep.get("iobj", []) + by_dep.get("dobj", [])
    if "nsubjpass" in by_dep:
        candidates += [c for c in by_dep["nsubjpass"] if not _instrument(c, trigger.type)]  # "missiles were fired at": what, not at whom
    # a name the parser hangs as an adverbial noun is the object it follows ("struck Haifa")
    candidates += [c for c in by_dep.get("npadvmod", []) if c.pos_ == "PROPN" and c.i == token.i + 1 and not _is_date(c)]
    if trigger.nominal:
        candidates += [g for prep in ("of", "on", "against", "with", "to") for g in objects_of.get(prep, [])]
    candidates += [g for prep in _TARGET_PREPS for g in objects_of.get(prep, [])]
    own: list[str] = []
    referred: list[str] = []
    for candidate in candidates:
        if candidate.pos_ == "PRON":
            continue
        actors = _actors_of(candidate, ctx, target=True)
        others = [a for a in actors if a not in sources]
        pronouns = [c for c in candidate.children if c.dep_ == "poss" and c.pos_ == "PRON"]
        if others and ctx.at.get(candidate.i) is None and pronouns and set(others) <= {a for c in pronouns for a in _antecedent(c, ctx)}:
            # "withdraw its troops from Lebanon": a possessive pronoun mostly points back
            # to the actor itself, so any actor named outright comes first
            referred = referred or others
            continue
        if others:
            return others
        if actors and ctx.at.get(candidate.i) is not None:
            # named outright, the source's own country is the target ("French farmers
            # would blockade Paris"); through a possessor ("Egypt's support") it is not
            return actors
        if actors and not own and not pronouns:
            own = actors  # (not "withdrew its troops": the source's own, not acted upon)
    aimed = _aimed_at(token, ctx, sources)
    if aimed:
        return aimed
    addressed = _addressee(token, ctx, sources)
    if addressed:
        return addressed
    # a purpose: "gave 20 million dollars to rebuild schools in Nepal", and for a gift
    # also on what is given ("donated vaccines to assist Malawi"; a "decision to take" is no purpose)
    gifts = [a for o in by_dep.get("dobj", []) for a in o.children if a.dep_ == "acl"] if trigger.type == "AID" else []
    purposes = [c for c in [*by_dep.get("advcl", []), *gifts] if any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
    for c in [*by_dep.get("xcomp", []), *purposes] if trigger.token.pos_ == "VERB" else ():
        # "Germany agreed to accept people from Greek camps", "refused to allow EU-based
        # airlines": the act agreed to or refused names whom it concerns; so does the
        # purpose of a gift ("donated ventilators to assist Ethiopia")
        if c.pos_ == "VERB":
            inner = _targets(_Trigger(c, trigger.type, trigger.weight, trigger.label), ctx, sources, domestic=False)
            if inner:
                return inner
    if referred:
        return referred
    if trigger.type in _LOCATED_TYPES:
        located = _located_in(token, ctx, sources)
        if located:
            return located
    # else the source's own country found through a possessor, a place or a modifier:
    # a domestic act ("Iraqi officials imposed a curfew on Basra") as event coders record it
    if own or not domestic:
        return own
    # the people acted on may be those of the act agreed to or its purpose ("opened fire to disperse demonstrators")
    inner = [o for c in [*by_dep.get("xcomp", []), *purposes] for o in c.children if o.dep_ in ("dobj", "nsubjpass")]
    return _compatriots(trigger, [*candidates, *inner], ctx, sources)


_GROUP_NOUNS = frozenset(
    """people person protester demonstrator activist rebel member prisoner civilian student worker opposition journalist
    militant insurgent guerrilla refugee citizen detainee suspect dissident party union group newspaper faction movement
    resident villager farmer teacher doctor lawmaker politician candidate cleric critic""".split()
)


def _compatriots(trigger: _Trigger, candidates: Sequence[Token], ctx: _Context, sources: Sequence[str]) -> list[str]:
    """A state's act on people whose country is not named, or its people's protest with no
    one named, is domestic: "Nigerian authorities jailed 52 members of a banned movement",
    "Egyptian demonstrators rioted" act on their own country, as event coders record it."""
    if len(sources) != 1 or ctx.vocabulary.code_of(sources[0]) in (None, "IGO"):
        return []
    if trigger.type == "PROTEST":
        return [sources[0]]  # against one's own government unless someone else is named
    for candidate in candidates:
        people = [candidate, *(g for p in candidate.children if p.dep_ == "prep" and p.lower_ in ("of", "from", "by") for g in p.children if g.dep_ == "pobj")]
        if any(p.ent_type_ == "PERSON" or p.lemma_.lower() in _GROUP_NOUNS | _PERSON_NOUNS for p in people):
            # people said to belong elsewhere belong there ("workers employed by the UNHCR")
            elsewhere = [m.actor for m in (ctx.at.get(t.i) for t in candidate.subtree) if m is not None and m.actor not in sources]
            return elsewhere[:1] or [sources[0]]
    return []


# Acts done to a place's country when no one else is named: a strike, an arrest, a
# deployment, a protest "in Tel Aviv", aid "in Yemen" (a meeting "in Moscow" only happens there).
_LOCATED_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "PROTEST", "AID"})
_LOCATING_PREPS = frozenset({"in", "at", "near", "across", "inside", "within", "throughout", "around", "off", "outside"})


def _located_in(token: Token, ctx: _Context, sources: Sequence[str]) -> list[str]:
    """The country of the place an act happens in: a place in the trigger's clause or
    its conjoined verbs ("killed one person and injured 32 in Kuwait"), or in the thing
    that is its subject ("a strike on a residential area in Tel Aviv killed ...")."""
    stack = [token]
    subject = _subject_token(token)
    if subject is not None and subject.i != token.i and subject.pos_ == "NOUN" and subject.lemma_.lower() not in _PERSON_NOUNS:
        stack.append(subject)
    seen = 0
    while stack and seen < 60:
        node = stack.pop()
        seen += 1
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in _LOCATING_PREPS | _AIMING_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj" and not _is_date(g):
                        others = [a for a in _actors_of(g, ctx, target=True) if a not in sources]
                        if others:
                            return others
            elif c.dep_ in ("conj", "dobj", "nsubjpass", "pobj", "acl", "npadvmod") or (c.dep_ == "prep" and c.lower_ not in ("with", "by", "from")):
                stack.append(c)
    return []


_AIMING_PREPS = frozenset({"against", "on", "upon", "at", "toward", "towards", "between", "among", "amongst"})
_CONDITION_SUBJECT_MARKS = frozenset({"if", "unless", "until"})


def _addressee(token: Token, ctx: _Context, sources: Sequence[str]) -> list[str]:
    """Whom an act with no object is meant for: the subject of the clause it asks, warns
    or agrees about ("demanded that China withdraw", "warned that the US would pay"), or
    of the condition it sets ("threatened to cut ties unless Argentina lifts ...", "will
    not lift the embargo until Cuba ...")."""
    clauses = [c for c in token.children if c.dep_ == "ccomp"]
    clauses += [c for c in token.children if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITION_SUBJECT_MARKS for m in c.children)]
    for clause in clauses:
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.pos_ == "PRON":
            continue
        others = [a for a in _actors_of(subject, ctx, target=True) if a not in sources]
        if others:
            return others
    return []


def _aimed_at(token: Token, ctx: _Context, sources: Sequence[str]) -> list[str]:
    """A target the parse hangs lower in the trigger's clause: "launched missile and drone
    strikes against Israel" (the "against" phrase on a conjoined noun), through nouns
    only, never into another verb's clause."""
    stack = [c for c in token.children if c.dep_ in ("dobj", "conj", "attr", "oprd") and c.pos_ in ("NOUN", "PROPN")]
    seen = 0
    while stack and seen < 40:
        node = stack.pop()
        seen += 1
        if node.pos_ == "VERB" and node.i in ctx.trigger_tokens:
            continue
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in _AIMING_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj" and not _is_date(g):
                        others = [a for a in _actors_of(g, ctx, target=True) if a not in sources]
                        if others:
                            return others
            elif c.pos_ in ("NOUN", "PROPN", "ADJ") and c.dep_ in ("dobj", "conj", "compound", "amod", "appos"):
                stack.append(c)
    return []


def _claimant_text(subject: Token, ctx: _Context) -> str:
    actors = _actors_of(subject, ctx, target=False)
    mention = ctx.at.get(subject.i)
    if len(actors) == 1 and mention is not None and not mention.metonymy:
        return actors[0]  # named outright ("according to Iran"); a body as written ("The IRGC")
    right = subject.i
    for c in subject.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "for", "from", "at", "in") and c.i > subject.i:
            right = max(right, c.right_edge.i)
    first = ctx.doc[subject.left_edge.i]
    last = ctx.doc[right]
    return ctx.text[first.idx : last.idx + len(last.text)]


# -- modality -------------------------------------------------------------------------


def _tense(verb: Token) -> str | None:
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _MODALS_FUTURE for a in auxes):
        return "future"
    if verb.lower_ == "going" or any(a.lower_ == "going" for a in auxes):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lower_ in ("had", "has", "have", "'ve", "'d") for a in auxes):
        return "past"
    return "present"


def _modality(trigger: _Trigger, ctx: _Context) -> tuple[set[str], str | None]:
    """The modalities that apply to a trigger, and the claimant if it is reported."""
    flags: set[str] = set()
    claimant: str | None = None
    token = trigger.token
    chain = [token, *token.ancestors]
    child: Token | None = None
    reported_context = any(n.lemma_.lower() in REPORTING_VERBS and n.i != token.i for n in chain)
    # a negation reaches down only through complements: "did not say that ..", "failed to .."
    negation_open = True
    for node in chain:
        rel = child.dep_ if child is not None else None
        if child is not None and rel not in _PROPAGATING:
            break
        if rel is not None and rel not in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj"):
            negation_open = False
        kids = list(node.children)
        lemma = node.lemma_.lower()
        if negation_open:
            if any(c.dep_ == "neg" for c in kids):
                flags.add("negated")
            if child is not None and lemma in NEGATING_HEADS and rel in ("xcomp", "ccomp", "pcomp", "dobj"):
                flags.add("negated")
            if node.dep_ in ("pcomp", "pobj") and node.head.lower_ == "without":
                flags.add("negated")
        if node is token or rel in ("conj", "xcomp"):
            for c in kids:
                if c.dep_ in ("dobj", "nsubj", "nsubjpass") and any(d.lower_ in ("no", "neither") and d.dep_ == "det" for d in c.children):
                    flags.add("negated")
        # conditional: inside an "if" clause, or the consequent of one
        marks = {c.lower_ for c in kids if c.dep_ == "mark"}
        if node.dep_ == "advcl" and marks & _CONDITION_MARKS:
            flags.add("conditional")
        if node is token or rel in ("conj", "xcomp"):
            for c in kids:
                if c.dep_ == "advcl" and {g.lower_ for g in c.children if g.dep_ == "mark"} & _CONDITION_MARKS and c.i < node.i:
                    flags.add("conditional")
        if any(c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ == "case" for g in c.children) for c in kids) and node.dep_ == "advcl":
            flags.add("conditional")
        # modal verbs, future
        for c in kids:
            if c.dep_ in ("aux", "auxpass"):
                word = c.lower_
                if word in _MODALS_FUTURE:
                    flags.add("predicted")
                elif word in ("would", "'d") and reported_context:
                    flags.add("predicted")
                elif word in _MODALS_HYPOTHETICAL:
                    flags.add("hypothetical_or_feared")
        if child is not None:
            if lemma in FEAR_HEADS:
                flags.add("hypothetical_or_feared")
            elif lemma in HYPOTHETICAL_NOUNS and node.pos_ == "NOUN":
                flags.add("hypothetical_or_feared")
            elif lemma in DESIRE_HEADS and rel in ("xcomp", "ccomp", "acomp"):
                flags.add("hypothetical_or_feared")
            elif (lemma in PREDICTING_HEADS or lemma in COMMISSIVE_HEADS) and rel in ("xcomp", "ccomp"):
                flags.add("hypothetical_or_feared" if lemma == "threaten" else "predicted")
            elif lemma == "threaten" and rel == "xcomp":
                flags.add("hypothetical_or_feared")
            if lemma in REPORTING_VERBS and node.pos_ in ("VERB", "AUX") and claimant is None and (rel in ("ccomp", "parataxis", "xcomp") or (lemma in _REVEALING and rel in ("dobj", "prep", "pobj"))):
                subject = _subject_token(node)
                flags.add("claimed" if lemma in CLAIMING_VERBS else "reported")
                claimant = _claimant_text(subject, ctx) if subject is not None else None
        for c in kids:
            if c.dep_ == "advmod" and c.lower_ in _REPORTED_ADVERBS:
                flags.add("reported")
            if c.dep_ == "advmod" and c.lower_ in _CLAIMED_ADVERBS:
                flags.add("claimed")
            if c.dep_ == "prep" and c.lower_ == "according":
                obj = next((g for p in c.children for g in [p, *p.children] if g.dep_ == "pobj"), None)
                flags.add("reported")
                if obj is not None and claimant is None:
                    claimant = _claimant_text(obj, ctx)
        child = node
    return flags, claimant


# -- dates ----------------------------------------------------------------------------


def _attach_dates(date_ents: Iterable[Span], triggers: set[int]) -> dict[int, list[Span]]:
    """DATE entity → the trigger or verb it belongs to (the first one above it). A "since"
    date ("a director since 1984") starts a state and dates no act."""
    out: dict[int, list[Span]] = {}
    for ent in date_ents:
        node = ent.root
        if node.head.lower_ == "since" or (ent.start > 0 and ent.doc[ent.start - 1].lower_ == "since"):
            continue
        for _ in range(8):
            if node.head.i == node.i:
                break
            node = node.head
            if node.i in triggers or node.pos_ in ("VERB", "AUX"):
                out.setdefault(node.i, []).append(ent)
                break
    return out


def _clause_chain(node: Token) -> Iterator[Token]:
    """The token and the heads of the clauses it belongs to, up to six, stopping at
    the root or a reporting verb: where a date or a time clause can date it."""
    for _ in range(6):
        yield node
        if node.head.i == node.i or node.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "acl", "dobj", "relcl"):
            return
        node = node.head
        if node.lemma_.lower() in REPORTING_VERBS:
            return


def _date_of(trigger: _Trigger, ctx: _Context) -> DateValue:
    for node in _clause_chain(trigger.token):
        for ent in ctx.dates.get(node.i, []):
            value = normalise_date(ent.text, ctx.anchor, tense=_tense(node))  # type: ignore[arg-type]
            if value.resolved:
                return value
    return DateValue(None, "unknown")


def date_of_span(span: Span, anchor: dt.date | None) -> DateValue:
    """Normalise a date expression in a parsed text with the tense of the clause it belongs to.

    The same reading events get: the expression's text against ``anchor``, looking
    back in a past-tense clause and ahead in a future one.
    """
    node = span.root
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") and node not in span:
            break
        if node.head.i == node.i:
            break
        node = node.head
    return normalise_date(span.text, anchor, tense=_tense(node))  # type: ignore[arg-type]


def _historical(value: DateValue, anchor: dt.date | None, reference: dt.date | None = None) -> bool:
    """Whether a date ends a month or more before the article's date or, the article
    having none, before the latest past the article itself reports (``reference``)."""
    if not value.resolved:
        return False
    bounds = period_bounds(value.value)
    if bounds is None:
        return False
    if anchor is not None:
        return (anchor - bounds[1]).days >= HISTORICAL_DAYS
    return reference is not None and (reference - bounds[1]).days >= HISTORICAL_DAYS


def _reference_date(date_ents: Iterable[Span]) -> dt.date | None:
    """The first day of the latest absolute date ("2004", "March 2005") of a past-tense
    clause: an undated article was written after it, so an event a month or more before
    it is history whatever the article's own date."""
    latest: dt.date | None = None
    for ent in date_ents:
        value = date_of_span(ent, None)
        node = ent.root
        while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
        if not value.resolved or _tense(node) != "past":
            continue
        bounds = period_bounds(value.value)
        if bounds is not None and (latest is None or bounds[0] > latest):
            latest = bounds[0]
    return latest


_LONG_AGO = re.compile(r"\b(?:years|decades|centuries|a\s+decade|a\s+century)\s+(?:ago|earlier|before)\b|\b(?:World\s+War|Cold\s+War)\b", re.IGNORECASE)


def _background_pluperfect(verb: Token) -> bool:
    """A main clause in the past perfect outside anyone's words ("The MSP had been a
    partner for Tods Murray"): news tells its present in the past or present perfect, and
    steps back to the past perfect for what came before."""
    if verb.pos_ not in ("VERB", "AUX") or verb.tag_ != "VBN" or verb.dep_ not in ("ROOT", "conj"):
        return False
    if verb.dep_ == "conj" and verb.head.dep_ != "ROOT":
        return False
    if not any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in verb.children):
        return False
    root = verb if verb.dep_ == "ROOT" else verb.head
    return not any(c.dep_ in ("ccomp", "parataxis") for c in root.children) and root.lemma_.lower() not in REPORTING_VERBS


def _long_ago(trigger: _Trigger, ctx: _Context) -> bool:
    """A clause dated years back without a date to reckon from ("two years ago", "during
    the Cold War"): history whatever the article's date."""
    node = trigger.token
    if _background_pluperfect(node):
        return True
    # "promised ... when he was elected two years ago": the time clause dates the act
    clauses = [c for c in node.children if c.dep_ == "advcl" and any(m.dep_ in ("advmod", "mark") and m.lower_ in ("when", "after", "as") for m in c.children)]
    if any(_LONG_AGO.search(ent.text) for c in clauses for ent in ctx.dates.get(c.i, [])):
        return True
    for node in _clause_chain(node):
        if any(_LONG_AGO.search(ent.text) for ent in ctx.dates.get(node.i, [])):
            return True
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in ("during", "in", "after", "before", "since") and _LONG_AGO.search(ctx.text[c.idx : c.right_edge.idx + len(c.right_edge.text)]):
                return True
    return False


# -- assembling ---------------------------------------------------------------------


def _clause_span(token: Token, text: str) -> tuple[int, int]:
    """The clause's offsets; a blanked dateline or byline at its edge (a whitespace token
    in the parse, the furniture itself in ``text``) is left out."""
    left, right = token.left_edge, token.right_edge
    doc = token.doc
    while left.is_space and left.i < token.i:
        left = doc[left.i + 1]
    while right.is_space and right.i > token.i:
        right = doc[right.i - 1]
    start, end = left.idx, right.idx + len(right.text)
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    return start, end


def _events_of(trigger: _Trigger, ctx: _Context) -> Iterable[Event]:
    sources, indirect = _sources(trigger, ctx)
    targets = _targets(trigger, ctx, sources)
    flags, claimant = _modality(trigger, ctx)
    if trigger.label.startswith("claim "):
        # "The IRGC claimed a drone strike on the tanker": the subject did it and says so
        flags.add("claimed")
        subject = _subject_token(trigger.token)
        claimant = claimant or (_claimant_text(subject, ctx) if subject is not None else None)
    date = _date_of(trigger, ctx)
    if _historical(date, ctx.anchor, ctx.reference) or _long_ago(trigger, ctx):
        flags.add("historical")
    modality = next((m for m in MODALITIES if m in flags), "asserted")
    confidence = trigger.weight * (1.0 if sources else 0.75) * (1.0 if targets else 0.9) * (0.85 if indirect else 1.0) * (0.9 if trigger.nominal else 1.0)
    start, end = _clause_span(trigger.token, ctx.text)
    token = trigger.token
    base = Event(
        type=trigger.type,
        source=None,
        target=None,
        modality=modality,
        claimant=claimant,
        date=date.value if date.resolved else None,
        date_precision=date.precision,
        start=start,
        end=end,
        text=ctx.text[start:end],
        confidence=round(min(0.99, max(0.05, confidence)), 3),
        trigger=trigger.label,
        trigger_start=token.idx,
        trigger_end=token.idx + len(token.text),
    )
    if not targets and len(sources) > 1:
        # "The United Kingdom and the United States signed an agreement", "Syria and Israel
        # have fired across the line": joint actors with no one else acted on act on each other
        for source in sources[:_MAX_SOURCES]:
            for target in [t for t in sources[:_MAX_SOURCES] if t != source]:
                yield replace(base, source=source, target=target)
        return
    for source in sources[:_MAX_SOURCES] or [None]:
        for target in targets[:_MAX_TARGETS] or [None]:
            yield replace(base, source=source, target=target)
