"""Inference: answers as of a date. Indicators' and price series' observation
models, the particle filter that conditions the ensemble on everything observed up
to a date, updates before and after the news, and the value of watching an
indicator. Depends on ``engine``, and on ``store`` for the observations ingested
news left there."""

from realpolitik.inference._asof import conditioned_run, evidence_as_of, run_as_of
from realpolitik.inference._evidence import Evidence, PriceSeries, parse_prices_option, read_prices
from realpolitik.inference._filter import (
    Conditioned,
    FilterDay,
    check_threshold,
    condition,
    effective_sample_size,
    observation_weights,
    restrict,
    systematic_indices,
    systematic_resample,
)
from realpolitik.inference._likelihood import Observation, ObservationDay, observation_days, report_loglik
from realpolitik.inference._news import StoredNews, news_date, stored_news, stored_observations
from realpolitik.inference._update import Mover, QuestionUpdate, UpdateResult, Watch, WatchResult, update, watch, weighted_estimate

__all__ = [
    "Conditioned",
    "Evidence",
    "FilterDay",
    "Mover",
    "Observation",
    "ObservationDay",
    "PriceSeries",
    "QuestionUpdate",
    "StoredNews",
    "UpdateResult",
    "Watch",
    "WatchResult",
    "check_threshold",
    "condition",
    "conditioned_run",
    "effective_sample_size",
    "evidence_as_of",
    "news_date",
    "observation_days",
    "observation_weights",
    "parse_prices_option",
    "read_prices",
    "report_loglik",
    "restrict",
    "run_as_of",
    "stored_news",
    "stored_observations",
    "systematic_indices",
    "systematic_resample",
    "update",
    "watch",
    "weighted_estimate",
]
