"""Inference: indicators' observation models, likelihood weighting of the ensemble,
resampling, and the value of watching an indicator. Depends on ``engine``, and on
``store`` for the observations ingested news left there (``stored_news``)."""

from realpolitik.inference._likelihood import Observation, ObservationDay, indicator_scores, observation_days
from realpolitik.inference._news import StoredNews, stored_news, stored_observations
from realpolitik.inference._update import (
    Mover,
    QuestionUpdate,
    UpdateResult,
    Watch,
    WatchResult,
    check_threshold,
    effective_sample_size,
    systematic_resample,
    update,
    watch,
    weighted_estimate,
)

__all__ = [
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
    "indicator_scores",
    "observation_days",
    "stored_news",
    "stored_observations",
    "systematic_resample",
    "update",
    "watch",
    "weighted_estimate",
]
