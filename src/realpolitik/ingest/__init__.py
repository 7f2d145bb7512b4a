"""News in: articles → actor mentions and events with modality, dates and confidence.

Read articles (:func:`read_articles`: text, HTML, JSONL, directories; bad input is
skipped with a reason), parse them with spaCy (:func:`load_pipeline`), and
:func:`extract` what they say: mentions of actors (:class:`ActorVocabulary`, metonymy
included) and PLOVER events with source, target, modality, claimant, date and
confidence, all with character offsets into the article's text, matched against
indicator and decision patterns (:class:`EventPattern`). Datelines and bylines
(:func:`find_datelines`, :func:`find_bylines`) are left out of the parse
(:func:`text_to_parse`); each sentence's main event is flagged and listed first.

Example:
    >>> from realpolitik.ingest import Article, EventPattern, extract, load_pipeline
    >>> nlp = load_pipeline()
    >>> text = "Russia will likely veto the resolution. Russia's foreign ministry condemned the strikes."
    >>> pattern = EventPattern("mfa_condemnation", types={"ACCUSE"}, sources={"Russia"}, keywords=("strike",))
    >>> [result] = extract([Article.from_text(text, id="a1")], nlp, patterns=[pattern])
    >>> [(e.type, e.modality, e.indicators) for e in result.events]
    [('REJECT', 'predicted', ()), ('ACCUSE', 'asserted', ('mfa_condemnation',))]
"""

from realpolitik.ingest._actors import Actor, ActorVocabulary, Mention, default_vocabulary, find_mentions
from realpolitik.ingest._datelines import Byline, Dateline, find_bylines, find_datelines, text_to_parse
from realpolitik.ingest._dates import PRECISIONS, DateValue, normalise_date, period_bounds
from realpolitik.ingest._events import MODALITIES, OBSERVING_MODALITIES, Event, plover_type
from realpolitik.ingest._extract import ArticleResult, analyse, extract
from realpolitik.ingest._lexicon import EVENT_TYPES
from realpolitik.ingest._nlp import load_pipeline
from realpolitik.ingest._patterns import EventPattern, apply_patterns, matches
from realpolitik.ingest._pipeline import IngestedArticle, IngestSummary, ingest, observations_of, scenario_patterns, scenario_vocabulary
from realpolitik.ingest._read import MAX_BYTES, Article, Skipped, read_articles

__all__ = [
    "EVENT_TYPES",
    "MAX_BYTES",
    "MODALITIES",
    "OBSERVING_MODALITIES",
    "PRECISIONS",
    "Actor",
    "ActorVocabulary",
    "Article",
    "ArticleResult",
    "Byline",
    "DateValue",
    "Dateline",
    "Event",
    "EventPattern",
    "IngestSummary",
    "IngestedArticle",
    "Mention",
    "Skipped",
    "analyse",
    "apply_patterns",
    "default_vocabulary",
    "extract",
    "find_bylines",
    "find_datelines",
    "find_mentions",
    "ingest",
    "load_pipeline",
    "matches",
    "normalise_date",
    "observations_of",
    "period_bounds",
    "plover_type",
    "read_articles",
    "scenario_patterns",
    "scenario_vocabulary",
    "text_to_parse",
]
