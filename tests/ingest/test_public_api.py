"""The ingest package's public surface is pinned."""

from __future__ import annotations

import realpolitik.ingest as ingest

PUBLIC = [
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


def test_public_names_are_pinned() -> None:
    assert sorted(ingest.__all__) == sorted(PUBLIC)
    for name in ingest.__all__:
        assert hasattr(ingest, name)
    assert len(ingest.EVENT_TYPES) == 16
