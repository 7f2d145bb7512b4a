"""From articles to results: parse in batches, find mentions and events, match patterns.

What is parsed is the article's text with its datelines and bylines blanked
(:func:`~._datelines.text_to_parse`): the same length, so every offset refers to the
article's own text, and "TEHRAN, March 14, 2026 — Israeli aircraft struck ..." parses
as the sentence does without its dateline.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from realpolitik.ingest._actors import ActorVocabulary, Mention, default_vocabulary, find_mentions
from realpolitik.ingest._datelines import Byline, Dateline, find_bylines, find_datelines, text_to_parse
from realpolitik.ingest._events import Event, events_in_doc, visible_mentions
from realpolitik.ingest._patterns import EventPattern, apply_patterns
from realpolitik.ingest._read import Article, Skipped

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["ArticleResult", "analyse", "extract"]

#: Articles parsed together by ``nlp.pipe``.
BATCH_SIZE = 32


@dataclass(frozen=True)
class ArticleResult:
    """What one article says.

    Attributes:
        article: the article (its text is what every offset refers to).
        mentions: actor mentions, in text order (none inside a dateline or a byline).
        events: events, sentence by sentence, each sentence's main event first, with
            the patterns they match.
        datelines: the datelines at the head of the article or of its paragraphs (the
            place and date it was filed from), left out of the parse.
        bylines: the bylines and credit lines, left out of the parse.
    """

    article: Article
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    datelines: tuple[Dateline, ...] = ()
    bylines: tuple[Byline, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``realpolitik ingest --json``: one object per article."""
        return {
            "article": self.article.to_dict(),
            "datelines": [d.to_dict() for d in self.datelines],
            "bylines": [b.to_dict() for b in self.bylines],
            "mentions": [m.to_dict() for m in self.mentions],
            "events": [e.to_dict() for e in self.events],
        }


def analyse(
    article: Article,
    doc: Doc,
    vocabulary: ActorVocabulary | None = None,
    patterns: Sequence[EventPattern] = (),
    *,
    today: dt.date | None = None,
) -> ArticleResult:
    """Mentions and events of one article whose text ``doc`` is the parse of.

    Args:
        article: the article.
        doc: ``nlp(text_to_parse(article.text))``: the article's text with its
            datelines and bylines blanked (the same as ``article.text`` without them).
        vocabulary: actors to resolve mentions to (default: :func:`default_vocabulary`).
        patterns: indicator and decision patterns to match events against.
        today: the date relative dates are read against when the article has none.

    Raises:
        ValueError: ``doc`` is not the parse of ``text_to_parse(article.text)``.
    """
    vocabulary = vocabulary or default_vocabulary()
    datelines = find_datelines(article.text, vocabulary)
    bylines = find_bylines(article.text)
    parsed = text_to_parse(article.text, datelines, bylines)
    if doc.text != parsed:  # built once here; the extraction below reuses the article's
        what = "the article's text with its datelines and bylines blanked (text_to_parse)" if parsed != article.text else "the article's text"
        raise ValueError(f"article {article.id}: the parsed text is not {what}")
    mentions = visible_mentions(doc, find_mentions(parsed, vocabulary), vocabulary)
    anchor = article.published or today
    events = [apply_patterns(e, patterns) for e in events_in_doc(doc, mentions, vocabulary, anchor=anchor, text=article.text)]
    return ArticleResult(article, tuple(mentions), tuple(events), tuple(datelines), tuple(bylines))


def extract(
    articles: Iterable[Article | Skipped],
    nlp: Language,
    vocabulary: ActorVocabulary | None = None,
    patterns: Sequence[EventPattern] = (),
    *,
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[ArticleResult | Skipped]:
    """Annotate a stream of articles, in order, parsing them in batches.

    Memory stays flat: articles are read, parsed and handed on a batch at a time.
    :class:`Skipped` items (from :func:`read_articles`) pass through in their place, so
    one loop can report both; an article longer than the parser accepts is skipped too.

    Args:
        articles: articles, e.g. ``read_articles(paths)``.
        nlp: the pipeline from :func:`load_pipeline`.
        vocabulary: actors to resolve mentions to (default: :func:`default_vocabulary`).
        patterns: indicator and decision patterns to match events against.
        today: the date relative dates are read against when an article has none
            (the CLI passes the day of the ingest; ``None`` leaves them unresolved).
        batch_size: articles per ``nlp.pipe`` batch.

    Example:
        >>> from realpolitik.ingest import load_pipeline
        >>> nlp = load_pipeline()
        >>> article = Article.from_text("On Monday, Russia condemned the Israeli strikes on Iran.", published="2026-03-11")
        >>> [result] = extract([article], nlp)
        >>> [(e.type, e.source, e.modality, e.date) for e in result.events]
        [('ACCUSE', 'Russia', 'asserted', '2026-03-09')]
    """
    vocabulary = vocabulary or default_vocabulary()
    pending: deque[Article | Skipped] = deque()
    limit = nlp.max_length

    def texts() -> Iterator[str]:
        for item in articles:
            if isinstance(item, Article) and len(item.text) > limit:
                item = Skipped(item.path or item.id, f"text too long to parse ({len(item.text):,} characters, the limit is {limit:,})", item.line)
            pending.append(item)
            if isinstance(item, Article):
                yield text_to_parse(item.text, find_datelines(item.text, vocabulary), find_bylines(item.text))

    for doc in nlp.pipe(texts(), batch_size=batch_size):
        while pending and isinstance(pending[0], Skipped):
            yield pending.popleft()
        article = pending.popleft()
        assert isinstance(article, Article)
        yield analyse(article, doc, vocabulary, patterns, today=today)
    while pending:
        yield pending.popleft()
