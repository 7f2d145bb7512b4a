"""The inference package's public surface is pinned."""

from __future__ import annotations

import realpolitik.inference as inference

PUBLIC = [
    "Conditioned",
    "Evidence",
    "FilterDay",
    "PriceSeries",
    "condition",
    "conditioned_run",
    "evidence_as_of",
    "observation_weights",
    "parse_prices_option",
    "read_prices",
    "restrict",
    "run_as_of",
    "systematic_indices",
    "Mover",
    "Observation",
    "ObservationDay",
    "QuestionUpdate",
    "StoredNews",
    "UpdateResult",
    "Watch",
    "WatchResult",
    "check_threshold",
    "effective_sample_size",
    "report_loglik",
    "observation_days",
    "news_date",
    "stored_news",
    "stored_observations",
    "systematic_resample",
    "update",
    "watch",
    "weighted_estimate",
]


def test_public_names_are_pinned() -> None:
    assert sorted(inference.__all__) == sorted(PUBLIC)
    for name in inference.__all__:
        assert hasattr(inference, name)
